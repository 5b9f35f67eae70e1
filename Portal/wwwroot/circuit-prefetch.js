// A static page (sign-in and the other account pages) fetches the staff pages' scripts, listed on its own script element,
// once it has loaded: they come while the person types, and do not share the slow link with the page's own stylesheet.
const scripts = document.currentScript.dataset.prefetch.split(" ");
addEventListener("load", () => {
    for (const href of scripts) {
        const link = document.createElement("link");
        link.rel = "prefetch";
        link.href = href;
        document.head.append(link);
    }
}, { once: true });
