using System.Text;
using Microsoft.Playwright;
using Portal.Benchmarks.Driver;
using Portal.Benchmarks.Reporting;

namespace Portal.Benchmarks.Scenarios;

/// <param name="BrowserToSend">Browser: click until blazor.web.js hands the event to the WebSocket.</param>
/// <param name="BrowserRoundTrip">Browser: WebSocket send until the first message back (what the driver times).</param>
public sealed record ParityResult(string Target, LatencySummary Browser, LatencySummary Driver, LatencySummary BrowserToSend, LatencySummary BrowserRoundTrip)
{
    public double MedianRatio => Driver.P50 / Browser.P50;

    public bool WithinTolerance => Math.Abs(MedianRatio - 1) <= 0.20;
}

/// <summary>
/// Checks the driver against real Chromium for the same action on the same server: a click on the shell's
/// theme toggle. In the browser the click is dispatched in the page and timed to the first DOM mutation
/// (MutationObserver), which happens when blazor.web.js applies the render batch; the driver times event
/// sent → batch received. Rounds alternate browser and driver so drift hits both.
/// </summary>
public static class BrowserParityScenario
{
    // Notes when the page's WebSocket sends and receives, so the browser's time can be split into
    // click -> event sent, sent -> first message back, message -> DOM changed.
    private const string WebSocketProbeScript = """
        (() => {
          const Original = window.WebSocket;
          window.__bench = { sent: 0, received: 0, armed: false };
          const send = Original.prototype.send;
          Original.prototype.send = function (data) {
            if (window.__bench.armed && !window.__bench.sent) { window.__bench.sent = performance.now(); }
            return send.call(this, data);
          };
          window.WebSocket = function (...args) {
            const socket = new Original(...args);
            socket.addEventListener('message', () => {
              if (window.__bench.armed && window.__bench.sent && !window.__bench.received) { window.__bench.received = performance.now(); }
            });
            return socket;
          };
          Object.assign(window.WebSocket, Original);
          window.WebSocket.prototype = Original.prototype;
        })();
        """;

    private const string ClickToMutationScript = """
        async (testId) => {
          const button = document.querySelector(`[data-testid="${testId}"]`);
          return await new Promise(resolve => {
            let start = 0;
            const observer = new MutationObserver(() => {
              const end = performance.now();
              observer.disconnect();
              const b = window.__bench;
              b.armed = false;
              resolve([end - start, b.sent ? b.sent - start : -1, b.received && b.sent ? b.received - b.sent : -1]);
            });
            observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
            window.__bench.sent = 0;
            window.__bench.received = 0;
            window.__bench.armed = true;
            start = performance.now();
            button.click();
          });
        }
        """;

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    public static async Task<ParityResult> RunAsync(Uri baseUri, int rounds, int clicksPerRound, Action<string> log, string target = InteractionLatencyScenario.Target)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium was not found at {ChromiumPath}; install it (apt-get install chromium) or set PORTAL_CHROMIUM.");
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-quic"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-GB" });
        var page = await context.NewPageAsync();
        await page.AddInitScriptAsync(WebSocketProbeScript);
        await page.GotoAsync(baseUri.ToString());
        await page.GetByTestId("circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.WaitForTimeoutAsync(500);

        await using var driver = await CircuitDriver.OpenAsync(baseUri, new CircuitDriverOptions { ReadyTestId = "circuit-ready" });
        await driver.WaitForQuietAsync(TimeSpan.FromMilliseconds(300));

        var browserSamples = new List<TimeSpan>();
        var toSendSamples = new List<TimeSpan>();
        var roundTripSamples = new List<TimeSpan>();
        var driverSamples = new List<TimeSpan>();
        for (var round = -1; round < rounds; round++)
        {
            // Round -1 warms both up and is not counted.
            for (var i = 0; i < clicksPerRound; i++)
            {
                var ms = await page.EvaluateAsync<double[]>(ClickToMutationScript, target);
                if (round >= 0)
                {
                    browserSamples.Add(TimeSpan.FromMilliseconds(ms[0]));
                    if (ms[1] >= 0 && ms[2] >= 0)
                    {
                        toSendSamples.Add(TimeSpan.FromMilliseconds(ms[1]));
                        roundTripSamples.Add(TimeSpan.FromMilliseconds(ms[2]));
                    }
                }

                await page.WaitForTimeoutAsync(100);
            }

            for (var i = 0; i < clicksPerRound; i++)
            {
                var latency = await driver.ClickAsync(target);
                if (round >= 0)
                {
                    driverSamples.Add(latency);
                }

                await driver.WaitForQuietAsync(TimeSpan.FromMilliseconds(100));
            }
        }

        await context.CloseAsync();
        var result = new ParityResult(target, LatencySummary.Of(browserSamples), LatencySummary.Of(driverSamples), LatencySummary.Of(toSendSamples), LatencySummary.Of(roundTripSamples));
        log($"parity: browser {result.Browser}, driver {result.Driver}, ratio {result.MedianRatio:0.00}; browser click->send {result.BrowserToSend.P50:0.00} ms, send->message {result.BrowserRoundTrip.P50:0.00} ms");
        return result;
    }

    public static ScenarioReport Report(ParityResult result)
    {
        var figures = new StringBuilder();
        figures.AppendLine("| client | clicks | p50 | p95 | max |");
        figures.AppendLine("|---|---:|---:|---:|---:|");
        figures.AppendLine($"| headless Chromium (Playwright): click → first DOM mutation | {result.Browser.Count} | {Format.Ms(result.Browser.P50)} | {Format.Ms(result.Browser.P95)} | {Format.Ms(result.Browser.Max)} |");
        figures.AppendLine($"| circuit driver: event sent → render batch received | {result.Driver.Count} | {Format.Ms(result.Driver.P50)} | {Format.Ms(result.Driver.P95)} | {Format.Ms(result.Driver.Max)} |");
        return new ScenarioReport(
            "0. Driver validation against real Chromium",
            $"The same action on the same portal process: click the shell's theme toggle (`{result.Target}`) on \"/\" with one open circuit each. " +
            "Browser: `button.click()` inside the page, timed with `performance.now()` to the first MutationObserver callback. " +
            "Driver: `ClickAsync` from sending `DispatchEventAsync` to receiving the `JS.RenderBatch`. Rounds alternate browser and driver.",
            figures.ToString(),
            $"Driver p50 / browser p50 = **{Format.Ratio(result.MedianRatio)}** — {(result.WithinTolerance ? "within" : "NOT within")} the 20% the driver must meet.",
            "`./bench.sh --only parity`.");
    }
}
