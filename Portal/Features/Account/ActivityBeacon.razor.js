// Tells the server, at most once per interval, that the person at this page is using it, so that the
// server-side idle timeout measures real use. The request carries a header a cross-site form cannot set.
const meta = document.querySelector('meta[name="portal-activity-interval"]');
const interval = Math.max(1000, Number(meta?.content) || 60000);
let last = 0;

function reportActivity() {
    const now = Date.now();
    if (now - last < interval) {
        return;
    }
    last = now;
    fetch('/account/activity', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-Portal-Activity': '1' },
        keepalive: true,
    }).catch(() => { /* offline: the circuit's reconnection UI tells the person */ });
}

for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart']) {
    document.addEventListener(type, reportActivity, { capture: true, passive: true });
}
