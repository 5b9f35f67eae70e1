using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;

namespace Portal.Benchmarks.Scenarios;

/// <summary>A link the benchmark puts between Chromium and the portal (a <see cref="LinkProxy"/>); <see cref="Loopback"/> has none.</summary>
public sealed record LinkProfile(string Name, int DownKbps, int UpKbps, int RoundTripMs)
{
    public static readonly LinkProfile Loopback = new("loopback (no emulation)", 0, 0, 0);

    /// <summary>The issue's field link: mobile data or a satellite link at its worst usable.</summary>
    public static readonly LinkProfile Field = new("256 kbps / 128 kbps, 400 ms", 256, 128, 400);

    /// <summary>DevTools' "Fast 3G" rates with Lighthouse's round trip in place of DevTools' added latency (figures in Benchmarks/results/9-slowlink.md).</summary>
    public static readonly LinkProfile ThreeG = new("3G: 1.6 Mbps / 750 kbps, 150 ms", 1600, 750, 150);

    /// <summary>For quick runs and the smoke test: emulated all the same, fast enough to take seconds.</summary>
    public static readonly LinkProfile Quick = new("quick: 10 Mbps / 5 Mbps, 20 ms", 10_000, 5_000, 20);

    public bool Emulated => DownKbps > 0;

    /// <summary>How long <paramref name="down"/> and <paramref name="up"/> bytes take at this link's rates alone.</summary>
    public double TransferMs(long down, long up) => Emulated ? ((down * 8.0 / DownKbps) + (up * 8.0 / UpKbps)) : 0;
}

/// <summary>One step of the journey: from its start (a navigation or a click) to its positive signal on screen.</summary>
/// <param name="BytesDown">HTTP responses received over the network (headers and encoded bodies; the cache's not counted) plus WebSocket frames' payloads received, as DevTools saw them.</param>
/// <param name="BytesUp">WebSocket frames' payloads sent (the form post and request headers are not counted).</param>
/// <param name="WireDown">What crossed the emulated link towards the browser (TLS records, compressed frames); 0 on the loopback.</param>
/// <param name="WireUp">What crossed the emulated link towards the portal; 0 on the loopback.</param>
public sealed record SlowLinkStep(string Name, bool InPage, double Ms, long BytesDown, long BytesUp, int Requests, int FramesSent, int FramesReceived, long WireDown = 0, long WireUp = 0, int Connections = 0, string Protocols = "");

/// <summary>The journey once: a first visit (fresh profile, empty cache) or a repeat (same profile, signed out, cache kept).</summary>
/// <param name="StaticAssets">Static files fetched over the wire in this visit; <paramref name="CompressedImmutable"/> of them came compressed and immutable.</param>
/// <param name="QueueReadableMs">The sign-in page, then the post until the queue's first row shows (a link to its case), before the live connection.</param>
/// <param name="TypingMs">How long the user name and password took to type, not counted.</param>
/// <param name="TypingWireDown">What crossed the link towards the browser while the person typed (the prefetched files).</param>
/// <param name="SignInTimeline">What went over the wire from the sign-in click to the usable queue, with its time from the click.</param>
public sealed record SlowLinkVisit(LinkProfile Profile, bool Repeat, IReadOnlyList<SlowLinkStep> Steps, int StaticAssets, int CompressedImmutable, double QueueReadableMs, IReadOnlyList<string>? SignInTimeline = null, double TypingMs = 0, long TypingWireDown = 0)
{
    /// <summary>The sign-in page, then the post until the queue it returns to is usable (typing not counted).</summary>
    public double SignInToQueueMs => Steps.Take(2).Sum(s => s.Ms);

    public long BytesDown => Steps.Sum(s => s.BytesDown);

    /// <summary>Everything the link carried towards the browser, the prefetch during the typing included.</summary>
    public long WireDown => Steps.Sum(s => s.WireDown) + TypingWireDown;
}

/// <summary>
/// Scenario 9: an advocate's day on a slow link. Real Chromium, through a <see cref="LinkProxy"/>, signs in to the
/// published portal, opens the new-intakes queue, opens a case, claims it, switches to its notes and saves one; once in a
/// fresh profile (first visit) and once more in the same profile after signing out (repeat visit, cache kept). Each step
/// is timed to its positive signal on screen; requests and WebSocket frames come from DevTools' Network events, the bytes
/// on the wire from the relay.
/// </summary>
public static class SlowLinkScenario
{
    public const double GoalFirstMs = 8000;
    public const double GoalRepeatMs = 3000;

    /// <summary>
    /// English-speaking advocates (South Sudan, Haiti), so the tabs are found by their English names; taken in turn, since
    /// each journey claims one of its country's few unclaimed demo intakes.
    /// </summary>
    public static readonly string[] Advocates = ["advocate.ss@example.org", "advocate.ht@example.org"];

    private const string TimelineTab = "Notes and timeline";

    /// <summary>Between two keys of the user name and the password: about 80 words a minute.</summary>
    public const int TypingDelayMs = 150;

    /// <summary>Demo accounts and cases (Development), sign-in limits out of the way for the repeated sign-ins.</summary>
    public static Dictionary<string, string> PortalSettings() => new()
    {
        ["Portal:SeedDemoData"] = "true",
        ["Portal:Security:RequireTwoFactor"] = "false",
        ["Portal:Security:LoginRateLimit:PerAddressPermitLimit"] = "1000000",
    };

    /// <param name="certificatePin">The portal's certificate pin (<see cref="ServerProcess.CertificatePin"/>): Chromium trusts it as it would a valid certificate, where merely ignoring the error (Playwright's <c>IgnoreHTTPSErrors</c>) would also keep the site's files out of its cache.</param>
    /// <param name="typingDelayMs">Between two typed keys on an emulated link (the loopback types at once).</param>
    public static async Task<IReadOnlyList<SlowLinkVisit>> RunAsync(Uri baseUri, string certificatePin, IReadOnlyList<LinkProfile> profiles, Action<string> log, int typingDelayMs = TypingDelayMs)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserParityScenario.LaunchChromiumAsync(playwright, $"--ignore-certificate-errors-spki-list={certificatePin}");

        // One journey unthrottled and not counted first: the portal's first pages pay for JIT and cold caches.
        await using (var warmUp = await browser.NewContextAsync(Context(baseUri)))
        {
            await JourneyAsync(await warmUp.NewPageAsync(), LinkProfile.Loopback, null, repeat: false, Advocates[0], typingDelayMs: 0);
        }

        var visits = new List<SlowLinkVisit>();
        foreach (var profile in profiles)
        {
            // Same host, the link's port: the portal's certificate and cookies (which ignore the port) serve as they are.
            await using var link = profile.Emulated
                ? new LinkProxy(new IPEndPoint(IPAddress.Loopback, baseUri.Port), profile.DownKbps, profile.UpKbps, profile.RoundTripMs)
                : null;
            await using var context = await browser.NewContextAsync(Context(link is null ? baseUri : new UriBuilder(baseUri) { Port = link.Port }.Uri));
            foreach (var repeat in new[] { false, true })
            {
                if (repeat)
                {
                    // Signed out, as the next morning: the cookies go, the browser's cache stays; a new tab, so only the disk cache serves.
                    await context.ClearCookiesAsync();
                }

                var page = await context.NewPageAsync();
                visits.Add(await JourneyAsync(page, profile, link, repeat, Advocates[(visits.Count + 1) % Advocates.Length], profile.Emulated ? typingDelayMs : 0));
                await page.CloseAsync();
                log($"{profile.Name}, {(repeat ? "repeat" : "first")} visit: " +
                    string.Join(", ", visits[^1].Steps.Select(s => $"{s.Name} {Format.Ms(s.Ms)} ({Format.Kb(s.BytesDown)}, {s.FramesSent}/{s.FramesReceived} frames)")));
            }
        }

        return visits;
    }

    private static BrowserNewContextOptions Context(Uri baseUri) => new()
    {
        BaseURL = baseUri.ToString(),
        Locale = "en-GB",
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
    };

    private static async Task<SlowLinkVisit> JourneyAsync(IPage page, LinkProfile profile, LinkProxy? link, bool repeat, string advocate, int typingDelayMs)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var wire = new WireTally(cdp);
        await cdp.SendAsync("Network.enable");

        var steps = new List<SlowLinkStep>();
        async Task StepAsync(string name, bool inPage, Func<Task> start, Func<Task> shown)
        {
            var before = wire.Snapshot();
            var (downBefore, upBefore, connectionsBefore) = (link?.BytesDown ?? 0, link?.BytesUp ?? 0, link?.Connections ?? 0);
            var clock = Stopwatch.StartNew();
            await start();
            await shown();
            var elapsed = clock.Elapsed.TotalMilliseconds;
            var after = wire.Snapshot();
            steps.Add(new SlowLinkStep(name, inPage, elapsed, after.Down - before.Down, after.Up - before.Up,
                after.Requests - before.Requests, after.Sent - before.Sent, after.Received - before.Received,
                (link?.BytesDown ?? 0) - downBefore, (link?.BytesUp ?? 0) - upBefore, (link?.Connections ?? 0) - connectionsBefore, wire.TakeProtocols()));
        }

        var wait = new LocatorWaitForOptions { Timeout = 300_000 };
        await StepAsync("the sign-in page", false,
            () => page.GotoAsync("account/login?returnUrl=%2Fqueues%2Fnew", new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = 300_000 }),
            async () =>
            {
                await page.GetByTestId("login-submit").WaitForAsync(wait);
                await page.WaitForLoadStateAsync(LoadState.Load, new PageWaitForLoadStateOptions { Timeout = 300_000 });
            });
        // Typed key by key at a fast typist's pace: the staff pages' files the sign-in page prefetches come meanwhile, as
        // they do for a person. The typing is not counted in the figures.
        var typing = Stopwatch.StartNew();
        var downBeforeTyping = link?.BytesDown ?? 0;
        await page.GetByTestId("login-user-name").PressSequentiallyAsync(advocate, new() { Delay = typingDelayMs });
        await page.GetByTestId("login-password").PressSequentiallyAsync(PortalAccounts.Password, new() { Delay = typingDelayMs });
        var typedMs = typing.Elapsed.TotalMilliseconds;
        var typingWireDown = (link?.BytesDown ?? 0) - downBeforeTyping;
        var signIn = new Stopwatch();
        var readableMs = 0.0;
        await StepAsync("sign in to the new-intakes queue", false,
            () =>
            {
                signIn.Start();
                wire.StartTimeline();
                return page.GetByTestId("login-submit").ClickAsync();
            },
            async () =>
            {
                // The prerendered rows can be read (and their cases opened) before the live connection makes the page usable.
                await ShownAsync(page, "case-link");
                readableMs = signIn.Elapsed.TotalMilliseconds;
                await ShownAsync(page, "circuit-ready", attached: true);
            });
        var timeline = wire.StopTimeline();
        var number = (await page.GetByTestId("case-link").First.InnerTextAsync()).Trim();
        await StepAsync("open a case", true,
            () => page.GetByTestId("case-link").First.ClickAsync(),
            () => ShownAsync(page, "action-claim"));
        await StepAsync("claim it", true,
            () => page.GetByTestId("action-claim").ClickAsync(),
            () => ShownAsync(page, "action-release"));
        var tab = page.GetByRole(AriaRole.Tab, new() { Name = TimelineTab });
        await StepAsync("switch to the notes tab", true,
            () => tab.ClickAsync(),
            () => ShownAsync(page, "note-text"));
        var note = $"Called her back from the field office about case {number}; next call on Thursday.";
        await page.GetByTestId("note-text").FillAsync(note);
        // The button turns on once the server has the text: the typing's own traffic is over before the save is timed.
        await Assertions.Expect(page.GetByTestId("note-add")).ToBeEnabledAsync(new() { Timeout = 300_000 });
        await StepAsync("save a note", true,
            () => page.GetByTestId("note-add").ClickAsync(),
            () => ShownAsync(page, "timeline-text", text: note));

        await cdp.DetachAsync();
        return new SlowLinkVisit(profile, repeat, steps, wire.StaticAssets, wire.CompressedImmutable, steps[0].Ms + readableMs, timeline, typedMs, typingWireDown);
    }

    /// <summary>
    /// Waits for a step's signal, checked at every animation frame in the page: the first element with <paramref name="testId"/>
    /// (whose text contains <paramref name="text"/>, if given) attached or visible. Playwright's own waits back off to long
    /// pauses between looks, and a step that lasted longer than the first few was timed up to one pause late.
    /// </summary>
    private static async Task ShownAsync(IPage page, string testId, bool attached = false, string? text = null) =>
        await (await page.WaitForFunctionAsync(
            """
            ([testId, attached, text]) => {
                const element = [...document.querySelectorAll(`[data-testid="${testId}"]`)].find(e => text === null || e.textContent.includes(text));
                if (!element || attached) {
                    return !!element;
                }
                const box = element.getBoundingClientRect();
                return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== "hidden";
            }
            """,
            new object?[] { testId, attached, text },
            new PageWaitForFunctionOptions { Timeout = 300_000 })).DisposeAsync();

    /// <summary>
    /// Round trips an in-page step took beyond the server's own time, estimated: its time on the link less the same step's
    /// time on the loopback (the server and the browser at work) less the time the bytes it put on the wire take at the
    /// link's rates, in round trips. Null for the loopback and for page loads.
    /// </summary>
    public static double? RoundTrips(SlowLinkStep step, SlowLinkVisit visit, IReadOnlyList<SlowLinkVisit> visits)
    {
        var loopback = visits.FirstOrDefault(v => !v.Profile.Emulated && v.Repeat == visit.Repeat)?.Steps.FirstOrDefault(s => s.Name == step.Name);
        return !step.InPage || !visit.Profile.Emulated || loopback is null
            ? null
            : Math.Max(0, step.Ms - loopback.Ms - visit.Profile.TransferMs(step.WireDown, step.WireUp)) / visit.Profile.RoundTripMs;
    }

    /// <summary>One round trip plus the server's time: the estimate rounds to one.</summary>
    public static bool OneRoundTrip(double roundTrips) => roundTrips < 1.5;

    public static ScenarioReport Report(IReadOnlyList<SlowLinkVisit> visits)
    {
        var profiles = visits.Select(v => v.Profile).Distinct().ToList();
        var emulated = profiles.Where(p => p.Emulated).ToList();
        var inPage = visits[0].Steps.Where(s => s.InPage).Select(s => s.Name).ToList();
        SlowLinkVisit Visit(LinkProfile p, bool repeat) => visits.Single(v => v.Profile == p && v.Repeat == repeat);
        string Trips(SlowLinkVisit v, string step)
        {
            var s = v.Steps.Single(x => x.Name == step);
            var trips = RoundTrips(s, v, visits);
            return $"{(trips is { } t ? t.ToString("0.0", CultureInfo.InvariantCulture) + (OneRoundTrip(t) ? "" : " **(more than one)**") : "n/a")} ({Format.Ms(s.Ms)}; {s.FramesSent}/{s.FramesReceived} frames)";
        }

        var summary = new StringBuilder();
        summary.AppendLine("| measure | goal | " + string.Join(" | ", emulated.SelectMany(p => new[] { $"{p.Name}, first visit", "repeat visit" })) + " |");
        summary.AppendLine("|---|---|" + string.Concat(emulated.SelectMany(_ => new[] { "---:|", "---:|" })));
        summary.AppendLine($"| sign-in page to a usable new-intakes queue | ≤ {Format.Ms(GoalFirstMs)} first, ≤ {Format.Ms(GoalRepeatMs)} repeat, at {LinkProfile.Field.Name} | " +
                           string.Join(" | ", emulated.SelectMany(p => new[] { false, true }.Select(r =>
                           {
                               var v = Visit(p, r);
                               return p == LinkProfile.Field ? $"{Format.Ms(v.SignInToQueueMs)} ({Verdict(v.SignInToQueueMs <= (r ? GoalRepeatMs : GoalFirstMs))})" : Format.Ms(v.SignInToQueueMs);
                           }))) + " |");
        summary.AppendLine("| sign-in page to the queue's rows readable, links to their cases (before the live connection) | | " +
                           string.Join(" | ", emulated.SelectMany(p => new[] { false, true }.Select(r => Format.Ms(Visit(p, r).QueueReadableMs)))) + " |");
        summary.AppendLine("| bytes received over the link, whole journey | | " + string.Join(" | ", emulated.SelectMany(p => new[] { false, true }.Select(r => Format.Kb(Visit(p, r).WireDown)))) + " |");
        foreach (var step in inPage)
        {
            summary.AppendLine($"| {step}: round trips beyond the server's time (time; WebSocket frames sent/received) | one | " +
                               string.Join(" | ", emulated.SelectMany(p => new[] { false, true }.Select(r => Trips(Visit(p, r), step)))) + " |");
        }

        var figures = new StringBuilder();
        foreach (var profile in profiles)
        {
            figures.AppendLine($"**{profile.Name}**" + (profile.Emulated ? $" (the relay: {profile.RoundTripMs} ms round trip, {profile.DownKbps} kbps down, {profile.UpKbps} kbps up)" : string.Empty) + ":");
            figures.AppendLine();
            figures.AppendLine("| step | visit | time | received (DevTools) | sent (WebSocket, DevTools) | over the link down / up | HTTP requests (protocols) | TCP connections opened | WebSocket frames sent / received | round trips beyond the server's time |");
            figures.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var visit in visits.Where(v => v.Profile == profile))
            {
                foreach (var s in visit.Steps)
                {
                    var trips = RoundTrips(s, visit, visits);
                    figures.AppendLine($"| {s.Name} | {(visit.Repeat ? "repeat" : "first")} | {Format.Ms(s.Ms)} | {s.BytesDown:N0} B | {s.BytesUp:N0} B | {s.WireDown:N0} / {s.WireUp:N0} B | {s.Requests} ({s.Protocols}) | {s.Connections} | {s.FramesSent} / {s.FramesReceived} | " +
                                       $"{(trips is { } t ? t.ToString("0.0", CultureInfo.InvariantCulture) : "—")} |");
                }
            }

            figures.AppendLine();
            figures.AppendLine(string.Join("; ", visits.Where(v => v.Profile == profile).Select(v =>
                $"{(v.Repeat ? "repeat" : "first")} visit: sign-in page to the queue's rows readable {Format.Ms(v.QueueReadableMs)}, to a usable queue {Format.Ms(v.SignInToQueueMs)}, {v.BytesDown:N0} bytes received, " +
                $"{v.StaticAssets} static files over the network ({v.CompressedImmutable} of them compressed and immutable), typing {Format.Ms(v.TypingMs)} (not counted; {Format.Kb(v.TypingWireDown)} came over the link meanwhile)")) + ".");
            figures.AppendLine();
        }

        foreach (var visit in visits.Where(v => v.Profile == LinkProfile.Field && v.SignInTimeline is { Count: > 0 }))
        {
            figures.AppendLine($"Where the sign-in's time goes at {visit.Profile.Name}, {(visit.Repeat ? "repeat" : "first")} visit (from the click; DevTools' events as the harness received them):");
            figures.AppendLine();
            figures.AppendLine("```");
            foreach (var line in visit.SignInTimeline!)
            {
                figures.AppendLine(line);
            }

            figures.AppendLine("```");
            figures.AppendLine();
        }

        figures.AppendLine($"Load average at the end of the run: {PublicPageScenario.LoadAverage()} (on {Environment.ProcessorCount} cores; the loopback rows carry the machine's load, and the round-trip estimates subtract them).");
        var field = emulated.FirstOrDefault(p => p == LinkProfile.Field) ?? emulated.FirstOrDefault();
        var met = new List<bool>();
        if (field is not null)
        {
            met.Add(Visit(field, false).SignInToQueueMs <= GoalFirstMs);
            met.Add(Visit(field, true).SignInToQueueMs <= GoalRepeatMs);
        }

        var fieldTrips = field is null ? [] : new[] { false, true }.SelectMany(r => Visit(field, r).Steps.Where(s => s.InPage).Select(s => RoundTrips(s, Visit(field, r), visits) ?? 0)).ToList();
        var verdict = field is null
            ? "No emulated link in this run."
            : $"At {field.Name}: {met.Count(m => m)} of {met.Count} sign-in goals met (first and repeat visit); " +
              $"{fieldTrips.Count(OneRoundTrip)} of {fieldTrips.Count} in-page actions answered in one round trip plus the server's time.";
        return new ScenarioReport(
            "9. Slow links: an advocate's day at 256 kbps and on 3G",
            new ScenarioSummary(
                $"At {LinkProfile.Field.Name}, signing in to a usable new-intakes queue takes ≤ {Format.Ms(GoalFirstMs)} on a first visit and ≤ {Format.Ms(GoalRepeatMs)} on a repeat; " +
                "each in-page action (open a case, claim it, switch tabs, save a note) is answered in one round trip plus the server's time.",
                summary.ToString(),
                verdict),
            "Real Chromium (Playwright, headless, 1280 × 800) against the published Release build, over HTTPS with a certificate made for the run. " +
            "The portal runs in the Development environment only for its demo accounts and cases (South Sudan's and Haiti's advocates in turn) (the published output serves its static files " +
            "compressed and immutable as in Production; the detail counts them), with the second factor off, so the sign-in is one form where " +
            "Production adds the code page. The link is a TCP relay between Chromium and the portal (LinkProxy): every chunk waits half the " +
            "round trip in its direction, and each direction carries only its rate, shared by all connections; it delays WebSocket frames like " +
            "everything else (DevTools' emulation, used before, let them through early) and counts the bytes on the wire. It adds no delay to " +
            "opening a TCP connection, so a new connection costs one round trip less than on a real link. One unthrottled journey warms the portal up first. Each " +
            "profile gets a fresh browser profile (first visit, empty cache); then its cookies are cleared and the journey repeats (the repeat " +
            "visit: signed out, cache kept, in a new tab). Chromium trusts the run's certificate by its key (as it would a valid one), since it keeps no files in its disk cache from a site whose certificate error was only ignored. The steps, each timed to its positive signal (looked for in the page at every animation frame; Playwright's own waits look only every half second once they have waited a quarter of one): the sign-in page (from navigation to its load event, its styles and scripts in), " +
            $"then the user name and password typed key by key, {TypingDelayMs} ms apart (a fast typist; not counted: the page's prefetch of the staff pages' files runs meanwhile, as it does while a person types), " +
            "the post to the new-intakes queue with its live connection and first row (and, within it, the first row readable: the prerendered page's link to its case, before the live connection), a case opened from the queue (its Claim button), the claim " +
            "(the Release button), the notes tab (the note box) and a saved note (on the timeline; timed from the click, after the typed text " +
            "reached the server). Requests and frames come from DevTools' Network events (responses received over the network, not those the cache answered; WebSocket frames' payloads before the " +
            "connection's compression); the bytes over the link are the relay's. Round trips beyond the server's time: (time on the link − the same " +
            "step's time on the loopback − its bytes over the link at the link's rates) / round trip.",
            figures.ToString(),
            "The loopback rows are the server's and the browser's own time for each step; an emulated row's excess over them is the link's. " +
            "WebSocket frames sent per in-page action include the event itself and the acknowledgements of each render batch received.",
            "`./bench.sh --only slowlink`.");
    }

    private static string Verdict(bool met) => met ? "met" : "**not met**";

    /// <summary>Counts what DevTools saw go over the wire: HTTP responses as received, WebSocket frames both ways.</summary>
    private sealed class WireTally
    {
        private readonly object _gate = new();
        private long _down;
        private long _up;
        private int _requests;
        private int _sent;
        private int _received;

        // Requests the browser's cache answered: DevTools reports them with their full size, though nothing crossed the network.
        private readonly HashSet<string> _fromCache = [];

        private Stopwatch? _timelineClock;
        private readonly List<string> _timeline = [];

        public void StartTimeline()
        {
            lock (_gate)
            {
                _timeline.Clear();
                _timelineClock = Stopwatch.StartNew();
            }
        }

        public IReadOnlyList<string> StopTimeline()
        {
            lock (_gate)
            {
                _timelineClock = null;
                return [.. _timeline];
            }
        }

        private void Note(string what)
        {
            lock (_gate)
            {
                if (_timelineClock is { } clock)
                {
                    _timeline.Add($"{clock.Elapsed.TotalMilliseconds,7:0} ms  {what}");
                }
            }
        }

        private static string PathOf(JsonElement e, string property) =>
            e.TryGetProperty(property, out var r) && r.TryGetProperty("url", out var u) && Uri.TryCreate(u.GetString(), UriKind.Absolute, out var uri) ? uri.PathAndQuery : "?";

        private static string FrameText(JsonElement frame)
        {
            var response = frame.GetProperty("response");
            if (response.GetProperty("opcode").GetDouble() == 2)
            {
                // Blazorpack is MessagePack: its strings (the hub method, the JS function) say what the frame is.
                var bytes = Convert.FromBase64String(response.GetProperty("payloadData").GetString() ?? string.Empty);
                var words = System.Text.RegularExpressions.Regex.Matches(Encoding.ASCII.GetString(bytes), "[A-Za-z][A-Za-z0-9._/-]{3,}").Select(m => m.Value).Take(6);
                return $"binary, {FrameBytes(frame):N0} B: {string.Join(" ", words)}";
            }

            var text = response.GetProperty("payloadData").GetString() ?? string.Empty;
            return $"text, {FrameBytes(frame):N0} B: {new string(text.Take(60).Select(c => char.IsControl(c) ? '·' : c).ToArray())}";
        }

        public WireTally(ICDPSession cdp)
        {
            cdp.Event("Network.requestWillBeSent").OnEvent += (_, e) => Note($"request {e!.Value.GetProperty("request").GetProperty("method").GetString()} {PathOf(e.Value, "request")}");
            cdp.Event("Network.webSocketWillSendHandshakeRequest").OnEvent += (_, _) => Note("WebSocket handshake sent");
            cdp.Event("Network.webSocketHandshakeResponseReceived").OnEvent += (_, _) => Note("WebSocket handshake answered");
            cdp.Event("Network.webSocketFrameSent").OnEvent += (_, e) => Note($"frame sent ({FrameText(e!.Value)})");
            cdp.Event("Network.webSocketFrameReceived").OnEvent += (_, e) => Note($"frame received ({FrameText(e!.Value)})");
            cdp.Event("Network.loadingFinished").OnEvent += (_, e) => Note($"loaded, {(long)e!.Value.GetProperty("encodedDataLength").GetDouble():N0} B");
            cdp.Event("Network.requestServedFromCache").OnEvent += (_, e) => { lock (_gate) { _fromCache.Add(RequestId(e!.Value)); } };
            cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
            {
                if (!FromCache(e!.Value))
                {
                    Add(ref _down, (long)e.Value.GetProperty("encodedDataLength").GetDouble(), ref _requests);
                }
            };
            cdp.Event("Network.webSocketFrameSent").OnEvent += (_, e) => Add(ref _up, FrameBytes(e!.Value), ref _sent);
            cdp.Event("Network.webSocketFrameReceived").OnEvent += (_, e) => Add(ref _down, FrameBytes(e!.Value), ref _received);
            cdp.Event("Network.responseReceived").OnEvent += (_, e) =>
            {
                Note($"response {e!.Value.GetProperty("response").GetProperty("status").GetDouble()} {PathOf(e.Value, "response")}{(FromCache(e.Value) ? " (cache)" : "")}");
                if (!FromCache(e.Value))
                {
                    if (e.Value.GetProperty("response").TryGetProperty("protocol", out var protocol))
                    {
                        lock (_gate)
                        {
                            _protocols.Add(protocol.GetString() ?? "?");
                        }
                    }

                    CountAsset(e.Value.GetProperty("response"));
                }
            };
        }

        private static string RequestId(JsonElement e) => e.GetProperty("requestId").GetString()!;

        private bool FromCache(JsonElement e)
        {
            lock (_gate)
            {
                return _fromCache.Contains(RequestId(e));
            }
        }

        public int StaticAssets { get; private set; }

        /// <summary>The HTTP versions of the responses since the last call (h2 lets the WebSocket share the page's connection).</summary>
        public string TakeProtocols()
        {
            lock (_gate)
            {
                var protocols = string.Join(", ", _protocols.Order(StringComparer.Ordinal));
                _protocols.Clear();
                return protocols;
            }
        }

        private readonly HashSet<string> _protocols = [];

        public int CompressedImmutable { get; private set; }

        public (long Down, long Up, int Requests, int Sent, int Received) Snapshot()
        {
            lock (_gate)
            {
                return (_down, _up, _requests, _sent, _received);
            }
        }

        private void Add(ref long bytes, long count, ref int events)
        {
            lock (_gate)
            {
                bytes += count;
                events++;
            }
        }

        /// <summary>A static file the network delivered (not the cache): .css, .js, fonts, images.</summary>
        private void CountAsset(JsonElement response)
        {
            var path = new Uri(response.GetProperty("url").GetString()!).AbsolutePath;
            if (response.TryGetProperty("fromDiskCache", out var cached) && cached.GetBoolean()
                || Path.GetExtension(path) is not (".css" or ".js" or ".woff2" or ".woff" or ".svg" or ".png" or ".ico"))
            {
                return;
            }

            var headers = response.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString(), StringComparer.OrdinalIgnoreCase);
            lock (_gate)
            {
                StaticAssets++;
                if (headers.GetValueOrDefault("content-encoding") is "br" or "gzip" && headers.GetValueOrDefault("cache-control")?.Contains("immutable", StringComparison.Ordinal) == true)
                {
                    CompressedImmutable++;
                }
            }
        }

        /// <summary>A frame's payload: binary frames (blazorpack) come base64-encoded.</summary>
        private static long FrameBytes(JsonElement frame)
        {
            var response = frame.GetProperty("response");
            var payload = response.GetProperty("payloadData").GetString() ?? string.Empty;
            return response.GetProperty("opcode").GetDouble() == 2 ? Base64Length(payload) : Encoding.UTF8.GetByteCount(payload);
        }

        private static long Base64Length(string base64) => (base64.Length * 3 / 4) - base64.TakeLast(2).Count(c => c == '=');
    }
}
