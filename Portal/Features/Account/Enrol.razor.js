// The enrolment link's secret is after '#': browsers keep it out of requests, so no server or proxy log holds it.
// It goes into the form only when the person submits, and rides along with a language switch.
const field = document.querySelector('[data-enrol-token]');
const token = field?.value || decodeURIComponent(location.hash.slice(1));
if (field && token) {
    field.value = token;
    for (const link of document.querySelectorAll('a[data-testid^="language-"]')) {
        link.href = link.href.split('#')[0] + '#' + encodeURIComponent(token);
    }
}
