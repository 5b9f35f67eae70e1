// The portal's reconnection: Blazor is started here (blazor.web.js has autostart="false") so that a dropped link is
// retried for as long as the server holds the page, with pauses that grow to a ceiling, rather than giving up after a
// few tries: field links drop for minutes.
const reconnectModal = document.getElementById("components-reconnect-modal");
const restoredNotice = document.getElementById("portal-reconnect-restored");
const heldForMs = Number(reconnectModal.dataset.retrySeconds || 900) * 1000;
const longestPauseMs = 30000;

function pauseBefore(previousAttempts) {
    return previousAttempts === 0 ? 0 : Math.min(1000 * 2 ** (previousAttempts - 1), longestPauseMs);
}

function attemptsWithin(periodMs) {
    let attempts = 0;
    for (let total = 0; total < periodMs; attempts++) {
        total += Math.max(pauseBefore(attempts), 1000);
    }
    return attempts;
}

Blazor.start({
    circuit: {
        // Straight to the WebSocket, without SignalR's negotiate request first: one round trip less to every page's
        // start. Blazor uses WebSockets alone anyway, so negotiating a transport buys nothing.
        configureSignalR: builder => builder.withUrl(new URL("_blazor", document.baseURI).toString(), { skipNegotiation: true, transport: 1 }),
        // The portal and its libraries have no JS initializers: given the empty list, Blazor skips asking the server for it
        // (_blazor/initializers, uncacheable), another round trip before every page's start. ShellTests checks the list is empty.
        initializers: { beforeStart: [], afterStarted: [] },
        reconnectionOptions: {
            maxRetries: attemptsWithin(heldForMs),
            retryIntervalMilliseconds: pauseBefore,
        },
    },
});

reconnectModal.addEventListener("components-reconnect-state-changed", handleReconnectStateChanged);

const retryButton = document.getElementById("components-reconnect-button");
retryButton.addEventListener("click", retry);

const resumeButton = document.getElementById("components-resume-button");
resumeButton.addEventListener("click", resume);

let wasLost = false;
let restoredTimer = 0;

function handleReconnectStateChanged(event) {
    if (event.detail.state === "show") {
        wasLost = true;
        restoredNotice.hidden = true;
        reconnectModal.showModal();
    } else if (event.detail.state === "hide") {
        reconnectModal.close();
        showRestored();
    } else if (event.detail.state === "failed") {
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    } else if (event.detail.state === "rejected") {
        location.reload();
    }
}

// Says so for a few seconds once the page is live again, where it was.
function showRestored() {
    if (!wasLost) {
        return;
    }
    wasLost = false;
    restoredNotice.hidden = false;
    clearTimeout(restoredTimer);
    restoredTimer = setTimeout(() => { restoredNotice.hidden = true; }, 8000);
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenDocumentBecomesVisible);

    try {
        // true: rejoined; false: the server answered but no longer holds the page; an exception: not reached.
        const successful = await Blazor.reconnect();
        if (!successful) {
            // The page was given up on the server: resume it if it was paused, otherwise reload it (drafts bring back
            // what was typed).
            const resumeSuccessful = await Blazor.resumeCircuit();
            if (!resumeSuccessful) {
                location.reload();
            } else {
                reconnectModal.close();
                showRestored();
            }
        }
    } catch (err) {
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    }
}

async function resume() {
    try {
        const successful = await Blazor.resumeCircuit();
        if (!successful) {
            location.reload();
        } else {
            showRestored();
        }
    } catch {
        reconnectModal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

async function retryWhenDocumentBecomesVisible() {
    if (document.visibilityState === "visible") {
        await retry();
    }
}
