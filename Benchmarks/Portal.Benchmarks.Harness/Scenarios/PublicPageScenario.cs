using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;

namespace Portal.Benchmarks.Scenarios;

/// <summary>The bits a new visitor's form carries at a moment: seconds since the flood began (during it) or ended (after it).</summary>
public sealed record PowLevel(int Seconds, int Bits);

/// <summary>
/// The proof of work under a flood, computed by the portal's own classes (Portal.Benchmarks.Queues pow-flood).
/// Tries are expected numbers: a puzzle of b bits hides its number below 2^b, found after 2^(b-1) tries on average.
/// </summary>
/// <param name="AttackerTriesPerSubmission">Mean over every accepted submission of the flood, each at the cheapest level still accepted then.</param>
/// <param name="AttackerTriesSteady">The same over the flood's second half, once the level has settled.</param>
public sealed record PowFloodResult(
    int PerSecond, int Addresses, int Seconds, int RestBits, int FloodBits, int Puzzles, int MaxExtraBits, int GraceBits,
    double PersonTriesAtRest, double AttackerTriesPerSubmission, double AttackerTriesSteady, IReadOnlyList<PowLevel> DuringFlood, IReadOnlyList<PowLevel> AfterFlood)
{
    public double Ratio => AttackerTriesPerSubmission / PersonTriesAtRest;

    public double SteadyRatio => AttackerTriesSteady / PersonTriesAtRest;
}

/// <summary>One open of /help in Chromium, timed in the page from the start of its navigation.</summary>
/// <param name="RunningMs">pow.js had started the worker (main-thread work: the page, its scripts).</param>
/// <param name="SolvedMs">The answer was in the form.</param>
/// <param name="Tries">Numbers the worker tried.</param>
/// <param name="WorkerCpuMs">CPU time of the worker's thread from its start to its answer: its start, its script and its search.</param>
/// <param name="SendMs">When Send is pressed: 5 s of typing after the page was shown (DOMContentLoaded).</param>
/// <param name="ReceiptMs">From the press to the receipt on screen (the post, its redirect, the receipt page), with the proof already found.</param>
public sealed record PowOpen(double RunningMs, double SolvedMs, long Tries, double WorkerCpuMs, double SendMs, double ReceiptMs)
{
    /// <summary>
    /// The answer on a CPU <paramref name="rate"/> times slower. DevTools throttles the page but cannot slow a worker
    /// (Emulation.setCPUThrottlingRate answers "only supported for pages, not workers"), so every CPU millisecond of the
    /// worker's thread is charged <paramref name="rate"/> - 1 more times, as if none of it overlapped the page's own work.
    /// </summary>
    public double SolvedAt(int rate) => SolvedMs + ((rate - 1) * WorkerCpuMs);

    /// <summary>The wait after Send: what remains of the proof at that rate, then the post and the receipt as measured.</summary>
    public double WaitAfterSend(int rate) => Math.Max(0, SolvedAt(rate) - SendMs) + ReceiptMs;
}

/// <summary>The opens of /help at one CPU throttling rate.</summary>
public sealed record PowRun(int Rate, int Bits, int Puzzles, IReadOnlyList<PowOpen> Opens)
{
    public LatencySummary Solved => LatencySummary.Of(Opens.Select(o => TimeSpan.FromMilliseconds(o.SolvedAt(Rate))));

    public LatencySummary Wait => LatencySummary.Of(Opens.Select(o => TimeSpan.FromMilliseconds(o.WaitAfterSend(Rate))));

    /// <summary>The page's own part (scripts until the worker starts), median.</summary>
    public double RunningP50 => LatencySummary.Of(Opens.Select(o => TimeSpan.FromMilliseconds(o.RunningMs))).P50;

    /// <summary>The worker thread's CPU time, median, at this machine's speed.</summary>
    public double WorkerCpuP50 => LatencySummary.Of(Opens.Select(o => TimeSpan.FromMilliseconds(o.WorkerCpuMs))).P50;
}

/// <summary>
/// The worker's speed per second of CPU time: help/pow-worker.js searching a range that hides no answer, in a page that does
/// nothing else, its thread's CPU time read from /proc (its start included, slight beside so long a search). The machine's
/// other load delays the worker on the wall clock but does not add to its CPU time.
/// </summary>
public sealed record WorkerCalibration(long Tries, double CpuSeconds, double WallSeconds)
{
    public double TriesPerCpuSecond => Tries / CpuSeconds;
}

/// <summary>One response of the first open of /help: what it weighed on the wire (body and headers) and how it was encoded.</summary>
public sealed record PageResource(string Path, long BodyBytes, long HeaderBytes, string Encoding)
{
    public long Bytes => BodyBytes + HeaderBytes;
}

/// <summary>
/// Scenario 8: the public "Get help now" page as a cheap phone meets it. Real Chromium (Playwright, 390 x 844) opens
/// /help on the real portal at 1x and 6x CPU throttling (DevTools Emulation.setCPUThrottlingRate), types for 5 s,
/// presses Send and waits for the receipt; the first open counts the bytes. The flood is computed by the portal's
/// own pressure and proof-of-work classes on a clock the in-process program moves.
/// </summary>
public static class PublicPageScenario
{
    public const double GoalSolvedMs = 2000;
    public const double GoalWaitP95Ms = 1000;
    public const double GoalRatio = 100;
    public const long GoalBytes = 30 * 1024;
    public const int FloodPerSecond = 100;
    public const int FloodAddresses = 10_000;
    public const int FloodSeconds = 60;
    public static readonly int[] Rates = [1, 6];
    public static readonly TimeSpan Typing = TimeSpan.FromSeconds(5);

    // Marks, in the page's own clock (from the navigation's start), when pow.js started the worker and when the answer came.
    private const string Marks = """
        (() => {
          const marks = window.__pow = {};
          // The worker is ended once it has answered; the benchmark ends it itself after reading its thread's CPU time.
          const terminate = Worker.prototype.terminate;
          Worker.prototype.terminate = function () { marks.terminate = () => terminate.call(this); };
          new MutationObserver(() => {
            const form = document.querySelector('form[data-pow-form]');
            if (!form) { return; }
            if (marks.running === undefined && form.hasAttribute('data-pow-running')) { marks.running = performance.now(); }
            if (marks.solved === undefined && form.hasAttribute('data-pow-solved')) { marks.solved = performance.now(); marks.tries = Number(form.getAttribute('data-pow-tries')); }
          }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-pow-running', 'data-pow-solved'] });
        })();
        """;

    /// <summary>Range searched by the calibration: long enough that the worker's start is slight beside its search.</summary>
    public const int CalibrationBits = 23;

    public static async Task<(IReadOnlyList<PowRun> Runs, IReadOnlyList<PageResource> Weight, WorkerCalibration Calibration)> RunAsync(
        Uri baseUri, int opens, Action<string> log, int calibrationBits = CalibrationBits)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserParityScenario.LaunchChromiumAsync(playwright);

        var weight = new List<PageResource>();
        var runs = new List<PowRun>();
        string? workerUrl = null;
        foreach (var rate in Rates)
        {
            var samples = new List<PowOpen>();
            var bits = 0;
            var puzzles = 0;
            // One open first that is not counted: the portal's and Chromium's first page pays for JIT and caches.
            for (var i = -1; i < opens; i++)
            {
                var context = await browser.NewContextAsync(PhoneContext(baseUri));
                try
                {
                    var page = await context.NewPageAsync();
                    var cdp = await context.NewCDPSessionAsync(page);
                    await cdp.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = rate });
                    await page.AddInitScriptAsync(Marks);
                    var requests = new List<IRequest>();
                    page.RequestFinished += (_, request) => requests.Add(request);

                    var workers = ChromiumCpu.WorkerThreads();
                    await page.GotoAsync("help", new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = 120_000 });
                    var shownMs = await page.EvaluateAsync<double>("() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd");
                    await page.Locator("#account").FillAsync("A soldier hurt me near the market. I need a doctor and someone to talk to.");
                    await page.WaitForFunctionAsync("() => window.__pow.solved !== undefined", null, new PageWaitForFunctionOptions { Timeout = 600_000, PollingInterval = 50 });
                    var workerCpu = ChromiumCpu.NewWorker(workers, ChromiumCpu.WorkerThreads());
                    await page.EvaluateAsync("() => window.__pow.terminate && window.__pow.terminate()");
                    var marks = await page.EvaluateAsync<JsonElement>("() => window.__pow");
                    var token = page.Locator("[data-pow-token]");
                    bits = System.Numerics.BitOperations.Log2((ulong)long.Parse((await token.GetAttributeAsync("data-pow-max"))!, CultureInfo.InvariantCulture) + 1);
                    puzzles = (await token.GetAttributeAsync("data-pow-targets"))!.Split(' ').Length;
                    workerUrl ??= await token.GetAttributeAsync("data-pow-worker");

                    // Send at 5 s of typing after the page was shown (or at once if the proof took longer here).
                    var sendMs = shownMs + Typing.TotalMilliseconds;
                    var now = await page.EvaluateAsync<double>("() => performance.now()");
                    if (sendMs > now)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(sendMs - now));
                    }

                    var loaded = requests.Where(r => r.Url.StartsWith(baseUri.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)).ToList();
                    var pressed = Stopwatch.StartNew();
                    await page.GetByTestId("send").ClickAsync();
                    await page.GetByTestId("reference-code").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
                    var receiptMs = pressed.Elapsed.TotalMilliseconds;

                    if (i < 0)
                    {
                        continue;
                    }

                    samples.Add(new PowOpen(marks.GetProperty("running").GetDouble(), marks.GetProperty("solved").GetDouble(), marks.GetProperty("tries").GetInt64(), workerCpu.TotalMilliseconds, sendMs, receiptMs));
                    if (rate == 1 && weight.Count == 0)
                    {
                        weight.AddRange(await WeighAsync(loaded.Select(r => new Uri(r.Url))));
                    }
                }
                finally
                {
                    await context.CloseAsync();
                }
            }

            runs.Add(new PowRun(rate, bits, puzzles, samples));
            log($"public page at {rate}x: solved p50 {Format.Ms(runs[^1].Solved.P50)}, p95 {Format.Ms(runs[^1].Solved.P95)}; wait after Send p95 {Format.Ms(runs[^1].Wait.P95)}; worker CPU p50 {Format.Ms(runs[^1].WorkerCpuP50)}");
        }

        var calibration = await CalibrateAsync(browser, baseUri, workerUrl!, calibrationBits);
        log($"worker calibration: {calibration.TriesPerCpuSecond / 1e6:0.00} M tries per CPU second ({calibration.CpuSeconds:0.00} s CPU in {calibration.WallSeconds:0.00} s)");
        return (runs, weight, calibration);
    }

    private static BrowserNewContextOptions PhoneContext(Uri baseUri) => new()
    {
        BaseURL = baseUri.ToString(),
        Locale = "en-GB",
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        // The published portal's own certificate for 127.0.0.1, made for this run.
        IgnoreHTTPSErrors = true,
    };

    /// <summary>Runs the page's worker over 2^bits numbers that hide no answer and reads its thread's CPU time.</summary>
    private static async Task<WorkerCalibration> CalibrateAsync(IBrowser browser, Uri baseUri, string workerUrl, int bits)
    {
        var context = await browser.NewContextAsync(PhoneContext(baseUri));
        try
        {
            var page = await context.NewPageAsync();
            // A page without a proof of work of its own, on the portal's origin (a worker must come from the page's origin).
            await page.GotoAsync("help/problem/404");
            var workers = ChromiumCpu.WorkerThreads();
            var wall = Stopwatch.StartNew();
            await page.EvaluateAsync(
                """
                ([url, max]) => new Promise((resolve, reject) => {
                  const worker = window.__worker = new Worker(url);
                  worker.onerror = e => reject(new Error(e.message));
                  worker.onmessage = e => { if (e.data.failed) { resolve(); } };
                  worker.postMessage({ salt: '0'.repeat(32), targets: ['0'.repeat(64)], max });
                })
                """,
                new object[] { workerUrl, (1 << bits) - 1 });
            var elapsed = wall.Elapsed.TotalSeconds;
            return new WorkerCalibration(1L << bits, ChromiumCpu.NewWorker(workers, ChromiumCpu.WorkerThreads()).TotalSeconds, elapsed);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>Runs the flood in the in-process program (which references the portal) with the portal's shipped options.</summary>
    public static async Task<PowFloodResult> FloodAsync(Action<string> log)
    {
        var output = Path.Combine(Path.GetTempPath(), $"pow-flood-{Guid.NewGuid():N}.json");
        try
        {
            await InProcessProgram.RunAsync(
                [
                    "pow-flood", output, "--per-second", FloodPerSecond.ToString(CultureInfo.InvariantCulture),
                    "--addresses", FloodAddresses.ToString(CultureInfo.InvariantCulture), "--seconds", FloodSeconds.ToString(CultureInfo.InvariantCulture),
                ],
                line => log("pow-flood: " + line));
            await using var file = File.OpenRead(output);
            return await JsonSerializer.DeserializeAsync<PowFloodResult>(file, QueueScaleScenario.Json) ?? throw new InvalidOperationException("No flood result.");
        }
        finally
        {
            File.Delete(output);
        }
    }

    public static ScenarioReport Report(IReadOnlyList<PowRun> runs, IReadOnlyList<PageResource> weight, WorkerCalibration calibration, PowFloodResult flood)
    {
        var figures = new StringBuilder();
        var rest = runs[0];
        var slow = runs.Single(r => r.Rate == Rates.Max());
        var cpuRate = calibration.TriesPerCpuSecond;
        figures.AppendLine($"**At rest** ({rest.Puzzles} puzzles of {rest.Bits} bits: {rest.Puzzles * Math.Pow(2, rest.Bits - 1):N0} tries expected, at most {rest.Puzzles * Math.Pow(2, rest.Bits):N0}), {rest.Opens.Count} opens of /help per rate, each in a fresh 390 x 844 Chromium profile (load average {LoadAverage()} at the end of the run):");
        figures.AppendLine();
        RunTable(figures, runs);
        figures.AppendLine();
        figures.AppendLine($"The worker's thread is timed by its own CPU time, read from /proc when it answers: its start, its script and its search, without the time it waited for the machine. " +
                           $"At {slow.Rate}x each of its CPU milliseconds is counted {slow.Rate} times, added to the page's time as measured, as if none of it had overlapped the page's own work. " +
                           $"In a long search the worker tries {cpuRate / 1e6:0.00} million numbers per second of CPU ({calibration.Tries:N0} numbers in {calibration.CpuSeconds:0.00} s of CPU, {calibration.WallSeconds:0.00} s on the wall clock; one SHA-256 block each).");
        figures.AppendLine();
        figures.AppendLine($"Goals at {slow.Rate}x: median solved ≤ {Format.Ms(GoalSolvedMs)}: {Verdict(slow.Solved.P50 <= GoalSolvedMs)} ({Format.Ms(slow.Solved.P50)}); " +
                           $"p95 of the wait after Send ≤ {Format.Ms(GoalWaitP95Ms)}: {Verdict(slow.Wait.P95 <= GoalWaitP95Ms)} ({Format.Ms(slow.Wait.P95)}).");
        figures.AppendLine();

        figures.AppendLine($"**Under a flood** of {flood.PerSecond} accepted submissions a second from {flood.Addresses:N0} addresses for {flood.Seconds} s, with the portal's shipped settings (computed by its SubmissionPressure and ProofOfWork on a moved clock):");
        figures.AppendLine();
        figures.AppendLine("| seconds into the flood | " + string.Join(" | ", flood.DuringFlood.Select(l => l.Seconds.ToString(CultureInfo.InvariantCulture))) + " |");
        figures.AppendLine("|---|" + string.Concat(flood.DuringFlood.Select(_ => "---|")));
        figures.AppendLine("| bits per puzzle for a new visitor | " + string.Join(" | ", flood.DuringFlood.Select(l => l.Bits.ToString(CultureInfo.InvariantCulture))) + " |");
        figures.AppendLine();
        var fallBack = flood.AfterFlood.Where(l => l.Seconds / 60 is 1 or 2 or 5 or 10 or 15 or 20 or 30 or 60).ToList();
        figures.AppendLine("| minutes after the flood | " + string.Join(" | ", fallBack.Select(l => (l.Seconds / 60).ToString(CultureInfo.InvariantCulture))) + " |");
        figures.AppendLine("|---|" + string.Concat(fallBack.Select(_ => "---|")));
        figures.AppendLine("| bits per puzzle | " + string.Join(" | ", fallBack.Select(l => l.Bits.ToString(CultureInfo.InvariantCulture))) + " |");
        figures.AppendLine();
        figures.AppendLine($"The attacker's work per accepted submission: {flood.AttackerTriesPerSubmission:N0} tries on average over the flood, **{flood.Ratio:0}x** the person's {flood.PersonTriesAtRest:N0} at rest " +
                           $"({flood.AttackerTriesSteady:N0} tries, {flood.SteadyRatio:0}x, once settled); goal ≥ {GoalRatio:0}x: {Verdict(flood.Ratio >= GoalRatio)}. " +
                           $"Each submission is charged {flood.Puzzles} x 2^(b-1) tries at b = the level then less the {flood.GraceBits} grace bit, the cheapest challenge the portal still accepts; " +
                           $"a challenge from before the rise is refused as outdated, so none can be stocked up at rest.");
        var floodSeconds = flood.Puzzles * Math.Pow(2, flood.FloodBits - 1) / (cpuRate / slow.Rate);
        figures.AppendLine($"The price of that: a person opening the page at the height of the flood ({flood.FloodBits} bits) waits about {floodSeconds:0} s for the proof on a {slow.Rate}x phone " +
                           $"({flood.Puzzles} x 2^{flood.FloodBits - 1} tries at the worker's CPU-time speed / {slow.Rate}), with its progress on the Send button; " +
                           "without JavaScript the form is refused with a plain explanation until the level is back at rest.");
        figures.AppendLine();

        figures.AppendLine("**Weight** of the first open of /help with everything it loaded, as the published portal in Production sends it to a browser that " +
                           "accepts brotli (bodies as sent; headers counted as HTTP/1.1 text, an upper bound, since HTTP/2 compresses them). The static files go out " +
                           "as the brotli files the publish made; the page itself is compressed as it is asked for, from an address typed or bookmarked " +
                           "(Sec-Fetch-Site: none; the portal compresses no page another site could have asked for, against BREACH):");
        figures.AppendLine();
        figures.AppendLine("| request | body | headers | encoding |");
        figures.AppendLine("|---|---|---|---|");
        foreach (var resource in weight)
        {
            figures.AppendLine($"| `{resource.Path}` | {resource.BodyBytes:N0} | {resource.HeaderBytes:N0} | {resource.Encoding} |");
        }

        var total = weight.Sum(w => w.Bytes);
        figures.AppendLine($"| **total** | {weight.Sum(w => w.BodyBytes):N0} | {weight.Sum(w => w.HeaderBytes):N0} | **{total:N0}** bytes ({Format.Kb(total)}); goal < {Format.Kb(GoalBytes)}: {Verdict(total < GoalBytes)} |");

        var what = "The public \"Get help now\" page as a cheap phone meets it: how long its proof of work takes from page open, how long a person " +
                   "waits after pressing Send, what a flood costs the attacker, and what the page weighs. The portal is published and runs in Production " +
                   "over HTTPS. A phone 6 times slower than this machine is imitated by DevTools' CPU throttling for the page and, since DevTools cannot " +
                   "throttle a worker, by counting each CPU millisecond of the worker's thread 6 times.";
        var comparison = "The proof of work was one puzzle of 16 leading zero bits (geometric: a long tail, 0.4 to 7 s on a desktop and once 33 s at 6x, " +
                         "7 of 17 sends waiting 2.5 to 10.5 s). It is now several puzzles whose numbers lie in a known range, so the work has a ceiling " +
                         "(twice its mean) and a narrow spread, and it starts when the page opens, in a Web Worker.";
        var summary = new StringBuilder();
        summary.AppendLine("| measure | goal | figure |");
        summary.AppendLine("|---|---|---|");
        summary.AppendLine($"| time to a solved proof from page open, median at {slow.Rate}x | ≤ {Format.Ms(GoalSolvedMs)} | {Format.Ms(slow.Solved.P50)} |");
        summary.AppendLine($"| wait after Send (5 s of typing), p95 at {slow.Rate}x | ≤ {Format.Ms(GoalWaitP95Ms)} | {Format.Ms(slow.Wait.P95)} |");
        summary.AppendLine($"| attacker's work per accepted submission, flood of {flood.PerSecond}/s from {flood.Addresses:N0} addresses | ≥ {GoalRatio:0}x the person's at rest | {flood.Ratio:0}x ({flood.SteadyRatio:0}x once settled) |");
        summary.AppendLine($"| /help with its assets over the wire (published, Production, brotli) | < {Format.Kb(GoalBytes)} | {total:N0} bytes |");
        bool[] met = [slow.Solved.P50 <= GoalSolvedMs, slow.Wait.P95 <= GoalWaitP95Ms, flood.Ratio >= GoalRatio, total < GoalBytes];
        var verdict = $"{met.Count(m => m)} of 4 goals met (load average {LoadAverage()}).";

        return new ScenarioReport(
            "8. The public page on a slow phone: proof of work, flood and weight",
            new ScenarioSummary(
                $"on a phone {slow.Rate} times slower than a desktop, the proof is solved within {Format.Ms(GoalSolvedMs)} of page open (median) and a person who types for 5 s waits at most {Format.Ms(GoalWaitP95Ms)} after Send (p95); a flood costs the attacker ≥ {GoalRatio:0}x the resting work per accepted submission; /help weighs < {Format.Kb(GoalBytes)}.",
                summary.ToString(),
                verdict),
            what,
            figures.ToString(),
            comparison,
            "`./bench.sh --only phone` (`--phone-opens N`, opens per rate, default 20).");
    }

    /// <summary>Fetches again what the first open loaded, as Chromium asks for it, and counts what comes over the wire.</summary>
    private static async Task<List<PageResource>> WeighAsync(IEnumerable<Uri> urls)
    {
        using var http = new HttpClient(Hosting.ServerProcess.LoopbackHandler());
        var resources = new List<PageResource>();
        foreach (var url in urls.Distinct())
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br, zstd");
            // As Chromium asks for an address typed or bookmarked, and for the page's own files.
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", url.AbsolutePath == "/help" ? "none" : "same-origin");
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsByteArrayAsync();
            var headers = response.Headers.Concat(response.Content.Headers)
                .Sum(h => h.Key.Length + 2 + string.Join(", ", h.Value).Length + 2) + $"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}\r\n\r\n".Length;
            resources.Add(new PageResource(url.AbsolutePath, body.Length, headers, string.Join(",", response.Content.Headers.ContentEncoding) is { Length: > 0 } e ? e : "none"));
        }

        return resources;
    }

    private static void RunTable(StringBuilder figures, IEnumerable<PowRun> runs)
    {
        figures.AppendLine("| CPU | page until the worker starts, p50 | worker's CPU time at this machine's speed, p50 | solved from page open, p50 / p95 / max | wait after Send (5 s of typing), p50 / p95 / max |");
        figures.AppendLine("|---|---|---|---|---|");
        foreach (var run in runs)
        {
            var cpu = run.Rate == 1 ? "1x (this machine)" : $"{run.Rate}x (page throttled by DevTools; worker's CPU time x {run.Rate})";
            figures.AppendLine($"| {cpu} | {Format.Ms(run.RunningP50)} | {Format.Ms(run.WorkerCpuP50)} | {Format.Ms(run.Solved.P50)} / {Format.Ms(run.Solved.P95)} / {Format.Ms(run.Solved.Max)} | {Format.Ms(run.Wait.P50)} / {Format.Ms(run.Wait.P95)} / {Format.Ms(run.Wait.Max)} |");
        }
    }

    private static string Verdict(bool met) => met ? "met" : "**not met**";

    /// <summary>The machine's one-minute load average, for reports whose times it disturbs.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
