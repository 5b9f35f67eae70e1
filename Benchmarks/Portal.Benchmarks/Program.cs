using System.Diagnostics;
using System.Globalization;
using Portal.Benchmarks.Baseline;
using Portal.Benchmarks.Driver;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;
using Portal.Benchmarks.Scenarios;

namespace Portal.Benchmarks;

/// <summary>
/// run (default): the benchmark harness, rewrites BENCHMARKS.md and the detail files of the scenarios it ran. serve-hub / serve-counter: the baselines,
/// started by the harness as their own processes. probe URL [testid]: open one circuit and click, for debugging.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "run";
        var rest = command == "run" && (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) ? args : args.Skip(1).ToArray();
        switch (command)
        {
            case "serve-hub":
                await HubServer.RunAsync(rest);
                return 0;
            case "serve-counter":
                await CounterServer.RunAsync(rest);
                return 0;
            case "probe":
                return await ProbeAsync(rest);
            case "parity":
                // parity URL READY-TESTID CLICK-TESTID [BACK-TO-BACK-CIRCUITS]: the browser-vs-driver check on any page of a running app.
                var background = rest.Length > 3 ? new ParityLoad(int.Parse(rest[3], CultureInfo.InvariantCulture), BackToBack: true) : ParityLoad.Idle;
                var result = await BrowserParityScenario.RunAsync(
                    new Uri(rest[0]), 4, 10, Console.WriteLine, new ParityAction($"`{rest[2]}`", string.Empty, [rest[2]], null), rest[1], background);
                Console.WriteLine(BrowserParityScenario.Report([result]).Figures);
                return 0;
            case "run":
                return await RunAsync(rest);
            case "heap-histogram":
                // heap-histogram PATH [USER] [N] [TOP]: which types N open circuits of a portal page add to the heap.
                return await HeapHistogramAsync(
                    rest[0], rest.Length > 1 ? rest[1] : PortalAccounts.AdvocateCf, rest.Length > 2 ? int.Parse(rest[2], CultureInfo.InvariantCulture) : 100,
                    rest.Length > 3 ? int.Parse(rest[3], CultureInfo.InvariantCulture) : 40);
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{command}'. Commands: run [--only parity,hub,density,latency,queues,reminders,intake,signin,phone,slowlink,retained] [--max-circuits N] [--pages /,/dashboard] [--cases N] [--keep-data] [--referrals N] [--due N] [--intake-forms N] [--pow-difficulty N] [--phone-opens N] [--quick] [--output FILE], serve-hub, serve-counter, probe URL [TESTID], heap-histogram PATH [USER] [N] [TOP].");
                return 2;
        }
    }

    /// <summary>Portal pages whose memory per open circuit is measured, each on a fresh portal process.</summary>
    private static readonly (string Path, string User)[] DensityPages =
    [
        ("/", PortalAccounts.AdvocateCf),
        ("/queues/new", PortalAccounts.AdvocateCf),
        ("/queues/all", PortalAccounts.AdvocateCf),
        ("/dashboard", PortalAccounts.Coordinator),
    ];

    private static async Task<int> RunAsync(string[] args)
    {
        var options = BenchOptions.Parse(args);
        var total = Stopwatch.StartNew();
        void Log(string message) => Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {message}");

        var sections = new List<ScenarioReport>();

        if (options.Only.Contains("parity") || options.Only.Contains("latency"))
        {
            await using var portal = await ServerProcess.StartPortalAsync(options.Configuration);
            Log($"portal started at {portal.BaseUri} (pid {portal.ProcessId})");
            // Every circuit and the Chromium page share one signed-in CF advocate's cookie, as tabs of one browser do.
            using var session = await PortalAccounts.SignInAsync(portal.BaseUri, PortalAccounts.AdvocateCf);
            if (options.Only.Contains("parity"))
            {
                var parity = new List<ParityResult>();
                foreach (var action in (ParityAction[])[ParityAction.ThemeToggle, ParityAction.QueuePaging])
                {
                    foreach (var load in options.ParityLoads)
                    {
                        parity.Add(await BrowserParityScenario.RunAsync(portal.BaseUri, options.ParityRounds, options.ParityClicksPerRound, Log, action, load: load, session: session));
                    }
                }

                sections.Add(BrowserParityScenario.Report(parity));
            }

            if (options.Only.Contains("latency"))
            {
                var runs = new List<InteractionRun>();
                foreach (var circuits in options.LatencyCircuits)
                {
                    runs.Add(await InteractionLatencyScenario.RunAsync(portal.BaseUri, circuits, options.LatencyDuration, Log, minimumClicks: options.LatencyMinimumClicks, session: session));
                }

                sections.Add(InteractionLatencyScenario.Report(runs, options.LatencyDuration));
            }
        }

        if (options.Only.Contains("hub"))
        {
            var hubRuns = await HubBroadcastScenario.RunAsync(new HubBroadcastOptions(options.HubClients, options.HubBroadcasts), Log);
            var blazorRuns = new List<LiveUpdateRun>();
            foreach (var observers in options.HubClients)
            {
                // A fresh template app per N: its live number starts at 0.
                await using var counter = await ServerProcess.StartBenchmarkServerAsync("serve-counter");
                blazorRuns.Add(await LiveUpdateScenario.RunAsync(counter.BaseUri, LiveUpdateTargets.BaselineLivePage, observers, options.HubBroadcasts, TimeSpan.FromSeconds(10), serverProcessId: counter.ProcessId));
                Log($"template live page to {observers}: {blazorRuns[^1].Latency}");
            }

            var portalRuns = new List<LiveUpdateRun>();
            if (LiveUpdateTargets.Portal.Count > 0)
            {
                // One unclaimed CF intake per round: start once to migrate and seed, stop, add them, start again.
                var data = ServerProcess.NewDataDirectory();
                try
                {
                    await using (var first = await ServerProcess.StartPortalAsync(options.Configuration, dataDirectory: data))
                    {
                        await first.StopAsync();
                    }

                    await PortalDatabase.AddUnclaimedIntakesAsync(data, "CF", LiveUpdateTargets.IntakesNeeded(options.HubBroadcasts, options.HubClients.Count) + 10);
                    await using var portal = await ServerProcess.StartPortalAsync(options.Configuration, dataDirectory: data);
                    foreach (var create in LiveUpdateTargets.Portal)
                    {
                        using var target = await create(portal.BaseUri);
                        foreach (var observers in options.HubClients)
                        {
                            portalRuns.Add(await LiveUpdateScenario.RunAsync(portal.BaseUri, target, observers, options.HubBroadcasts, TimeSpan.FromSeconds(60), serverProcessId: portal.ProcessId));
                            Log($"{target.Name} to {observers}: {portalRuns[^1].Latency}; {portalRuns[^1].SecondaryName}: {portalRuns[^1].SecondaryLatency}; actor: {portalRuns[^1].ActorLatency}");
                        }
                    }

                    await portal.StopAsync();
                }
                finally
                {
                    TryDelete(data);
                }
            }

            sections.Add(HubBroadcastScenario.Report(hubRuns, blazorRuns, portalRuns));
        }

        if (options.Only.Contains("density"))
        {
            var pages = new List<IReadOnlyList<DensityReading>>();
            foreach (var (path, user) in DensityPages.Where(p => options.DensityPages is null || options.DensityPages.Contains(p.Path)))
            {
                pages.Add(await CircuitDensityScenario.RunAsync(CircuitDensityScenario.Portal(options.Configuration, path, userName: user), options.DensityCircuits, Log));
            }

            var counter = await CircuitDensityScenario.RunAsync(CircuitDensityScenario.Counter(), options.DensityCircuits, Log);
            sections.Add(CircuitDensityScenario.Report(pages, counter));
        }

        if (options.Only.Contains("queues"))
        {
            sections.Add(await RunQueuesAtScaleAsync(options, Log));
        }

        if (options.Only.Contains("reminders"))
        {
            sections.Add(await RunRemindersAtScaleAsync(options, Log));
        }

        if (options.Only.Contains("intake"))
        {
            sections.Add(await RunIntakeThroughputAsync(options, Log));
        }

        if (options.Only.Contains("signin"))
        {
            await using var portal = await ServerProcess.StartPortalAsync(options.Configuration, SignInTimingScenario.PortalSettings());
            var runs = new List<SignInTimingRun>();
            foreach (var busy in (int[])[0, 4])
            {
                runs.Add(await SignInTimingScenario.RunAsync(portal.BaseUri, options.SignInRounds, busy, Log));
            }

            sections.Add(SignInTimingScenario.Report(runs, options.SignInRounds));
        }

        if (options.Only.Contains("phone"))
        {
            sections.Add(await RunPublicPageAsync(options, Log));
        }

        if (options.Only.Contains("slowlink"))
        {
            await using var portal = await ServerProcess.StartPublishedPortalAsync(options.Configuration, SlowLinkScenario.PortalSettings(), environmentName: "Development");
            Log($"published portal started with its demo data at {portal.BaseUri} (pid {portal.ProcessId})");
            sections.Add(SlowLinkScenario.Report(await SlowLinkScenario.RunAsync(portal.BaseUri, portal.CertificatePin!, options.SlowLinkProfiles, Log)));
            await portal.StopAsync();
        }

        if (options.Only.Contains("retained"))
        {
            sections.Add(RetainedCircuitScenario.Report(await RetainedCircuitScenario.RunAsync(options.Configuration, options.RetainedCircuits, Log)));
        }

        // Sections this run did not measure keep their summary and detail file as the last run that measured them left them.
        var files = ReportFiles.For(options.Output, options.Quick);
        await BenchmarkReport.WriteAsync(files, sections, "./bench.sh " + string.Join(' ', args), total.Elapsed);
        Log($"wrote {files.Summary} and its details in {files.DetailDirectory}");
        return 0;
    }

    /// <summary>
    /// Scenario 4: start the portal once on a fresh folder (migrate, demo data and accounts), stop it, bulk-load the
    /// file, start the portal again on it (the demo seeding sees cases and stops at once) to time its queue pages, then
    /// measure QueueService in-process.
    /// </summary>
    private static async Task<ScenarioReport> RunQueuesAtScaleAsync(BenchOptions options, Action<string> log)
    {
        var data = ServerProcess.NewDataDirectory();
        try
        {
            await using (var portal = await ServerProcess.StartPortalAsync(options.Configuration, dataDirectory: data))
            {
                log($"portal migrated and seeded {data}; stopping it for the bulk load");
                await portal.StopAsync();
            }

            var load = await PortalDatabase.BulkLoadAsync(data, options.QueueCases, referralsPerCase: 3, log);
            log($"bulk load: {load.Cases:N0} cases, {load.Referrals:N0} referrals, {load.FollowUps:N0} follow-ups in {load.Elapsed.TotalSeconds:0} s, file {Format.Mb(load.FileBytes)}");

            var measurements = await QueueScaleScenario.MeasureAsync(data, options.QueueRepeat, deepPage: 5000, log);
            var pages = await OpenQueuePagesAsync(options, data, log);
            return QueueScaleScenario.Report([new QueueScaleResult("QueueService on the loaded file", load.Cases, load.Referrals, load.FollowUps, measurements)], load, pages);
        }
        finally
        {
            if (options.KeepData)
            {
                log($"kept the loaded data folder {data} (--keep-data); delete it when done");
            }
            else
            {
                TryDelete(data);
            }
        }
    }

    /// <summary>
    /// Scenario 5: start the portal once on a fresh folder (migrate, demo accounts), stop it, bulk-load the
    /// referrals (<c>--referrals</c>) dated well before the scan, move the deadlines of the due ones into the hour before it, then run the
    /// scan and the deliveries in-process once per Hangfire job storage (Portal.Benchmarks.Queues reminders).
    /// </summary>
    private static async Task<ScenarioReport> RunRemindersAtScaleAsync(BenchOptions options, Action<string> log)
    {
        var data = ServerProcess.NewDataDirectory();
        try
        {
            await using (var portal = await ServerProcess.StartPortalAsync(options.Configuration, dataDirectory: data))
            {
                log($"portal migrated and seeded {data}; stopping it for the bulk load");
                await portal.StopAsync();
            }

            var scanAt = ReminderScaleScenario.ScanMoment(DateTime.UtcNow);
            var cases = (options.ReminderReferrals + 2) / 3;
            var load = await PortalDatabase.BulkLoadAsync(data, cases, referralsPerCase: 3, log, scanAt - ReminderScaleScenario.LoadBeforeScan);
            var due = await PortalDatabase.ArrangeDueReferralsAsync(data, options.ReminderDue, scanAt - ReminderScaleScenario.Window, scanAt);
            log($"bulk load: {load.Cases:N0} cases, {load.Referrals:N0} referrals in {load.Elapsed.TotalSeconds:0} s; {due:N0} due in the hour before {scanAt:u}");
            var runs = new List<ReminderRun>();
            foreach (var storage in ReminderScaleScenario.Storages)
            {
                runs.Add(await ReminderScaleScenario.MeasureAsync(data, storage, scanAt, due, options.ReminderLimit, log));
            }

            if (options.KeepData)
            {
                log($"kept the loaded data folder {data} (--keep-data; rerun one storage with: Portal.Benchmarks.Queues reminders {data} OUT.json --storage InMemory --due {due} --scan-at {scanAt:O}); delete it when done");
            }

            return ReminderScaleScenario.Report(runs, load);
        }
        finally
        {
            if (!options.KeepData)
            {
                TryDelete(data);
            }
        }
    }

    /// <summary>Scenario 6: a fresh portal per passphrase-hashing cost, rate limits raised; the static file, the form page and the submissions.</summary>
    private static async Task<ScenarioReport> RunIntakeThroughputAsync(BenchOptions options, Action<string> log)
    {
        var runs = new List<IntakeRun>();
        foreach (var (label, iterations) in new[] { ("password-grade hashing (210,000 PBKDF2 iterations, the earlier default)", 210_000), ("default hashing (10,000 PBKDF2 iterations)", 10_000) })
        {
            var data = ServerProcess.NewDataDirectory();
            try
            {
                var portal = await ServerProcess.StartPortalAsync(options.Configuration, IntakeThroughputScenario.PortalSettings(iterations, options.PowDifficulty), data);
                IntakeRun run;
                await using (portal)
                {
                    log($"portal started at {portal.BaseUri} (pid {portal.ProcessId}), {iterations:N0} PBKDF2 iterations");
                    run = await IntakeThroughputScenario.RunAsync(portal.BaseUri, portal.ProcessId, data, label, iterations, options.PowDifficulty, options.IntakeForms, options.IntakeClients, options.IntakeDuration, log);
                    await portal.StopAsync();
                }

                run = run with { Durable = await IntakeThroughputScenario.CountSubmissionsAsync(data) - run.SubmissionsBefore };
                log($"{label}: {run.Accepted:N0} accepted, {run.Durable:N0} in the file");
                runs.Add(run);
            }
            finally
            {
                TryDelete(data);
            }
        }

        return IntakeThroughputScenario.Report(runs, options.IntakeDuration);
    }

    /// <summary>
    /// Scenario 8: the published portal in Production with its shipped proof-of-work settings (its limits and normal levels raised only because every
    /// open comes from this one address), opened in Chromium at each CPU rate; then the flood, in-process.
    /// </summary>
    private static async Task<ScenarioReport> RunPublicPageAsync(BenchOptions options, Action<string> log)
    {
        var settings = new Dictionary<string, string>
        {
            ["Portal:Intake:RateLimits:FormPostsPerWindow"] = "10000000",
            ["Portal:Intake:RateLimits:PageViewsPerWindow"] = "10000000",
            ["Portal:Intake:ProofOfWork:NormalInTotal"] = "10000000",
            ["Portal:Intake:ProofOfWork:NormalPerAddress"] = "10000000",
            ["Portal:SeedDemoData"] = "false",
        };
        await using var portal = await ServerProcess.StartPublishedPortalAsync(options.Configuration, settings);
        log($"published portal started in Production at {portal.BaseUri} (pid {portal.ProcessId})");
        var (runs, weight, calibration) = await PublicPageScenario.RunAsync(portal.BaseUri, options.PhoneOpens, log);
        await portal.StopAsync();
        var flood = await PublicPageScenario.FloodAsync(log);
        return PublicPageScenario.Report(runs, weight, calibration, flood);
    }

    /// <summary>
    /// The real portal on the loaded file: how long it takes to start, to open queue pages (page request, circuit, first
    /// rows rendered) for a coordinator and a CF advocate, and for a claim or an accepted referral to reach an open
    /// dashboard. The first open pays for JIT and a cold cache.
    /// </summary>
    private static async Task<List<PortalObservation>> OpenQueuePagesAsync(BenchOptions options, string data, Action<string> log)
    {
        var pages = new List<PortalObservation>();
        // Referrals for the acceptance rounds below (a warm-up and the measured ones, for each dashboard page), written before the portal opens the file.
        var referralCase = await PortalDatabase.ArrangeReferralsToAcceptAsync(data, PortalAccounts.AdvocateCf, "CF", 2 * (DashboardClaimRounds + 1), DateTime.UtcNow);
        var restart = Stopwatch.StartNew();
        await using var portal = await ServerProcess.StartPortalAsync(options.Configuration, dataDirectory: data);
        var started = $"{restart.Elapsed.TotalSeconds:0.0} s";
        pages.Add(new("the portal starts on the loaded file", started, $"the portal started on the loaded file and answered /health after {started}"));
        foreach (var (user, path) in new[] { (PortalAccounts.AdvocateCf, "/queues/new"), (PortalAccounts.AdvocateCf, "/queues/all"), (PortalAccounts.Coordinator, "/queues/new"), (PortalAccounts.Coordinator, "/queues/all") })
        {
            using var session = await PortalAccounts.SignInAsync(portal.BaseUri, user);
            var times = new List<TimeSpan>();
            var who = user == PortalAccounts.Coordinator ? "coordinator" : "CF advocate";
            try
            {
                for (var i = 0; i < 4; i++)
                {
                    var opened = Stopwatch.StartNew();
                    await using var driver = await CircuitDriver.OpenAsync(new Uri(portal.BaseUri, path.TrimStart('/')), session.DriverOptions("circuit-ready", TimeSpan.FromSeconds(60)));
                    await driver.WaitForAsync(t => t.FindByTestId("case-link") is not null || t.FindByTestId("queue-empty") is not null, TimeSpan.FromSeconds(60));
                    times.Add(opened.Elapsed);
                }

                var warm = times.Skip(1).Order().ToList();
                var figure = $"first {Format.Ms(times[0].TotalMilliseconds)}, then median {Format.Ms(warm[warm.Count / 2].TotalMilliseconds)}";
                pages.Add(new($"a {who} opens {path}", figure, $"{user} opens {path}: {figure} (page request, circuit start, first rows rendered)"));
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or InvalidOperationException)
            {
                pages.Add(new($"a {who} opens {path}", "**no rows within 60 s**", $"{user} opens {path}: **no rows within 60 s** ({ex.GetType().Name})"));
            }

            log(pages[^1].Detail);
        }

        // Changes reaching an open dashboard (all countries, last 12 months) on the loaded file. In the portal's layout the
        // page's navigation recounts the coordinator's queues after the same event; the wall screen has none.
        static string Where(string path) => path == "/dashboard" ? "in the portal's layout, whose navigation recounts the coordinator's queues after the same event" : "the wall screen, no navigation";
        var changes = new (string What, string Figure, Func<string, Task<LiveUpdateTarget>> Target, Func<string, LiveUpdateRun, string> Describe)[]
        {
            ("a claim", "the unclaimed figure", path => LiveUpdateTargets.DashboardClaimAsync(portal.BaseUri, path), (path, run) =>
                $"a CF advocate claims a case while a coordinator's {path} (all countries, last 12 months; {Where(path)}) is open: the unclaimed figure dropped in {run.Delivered} of {run.Expected} claims, " +
                $"p50 {Format.Ms(run.Latency.P50)}, max {Format.Ms(run.Latency.Max)} from the click (the claim's commit, the live event, the page's coalescing window, the figures computed again, the re-render); " +
                $"the advocate's own queue dropped the row in p50 {Format.Ms(run.ActorLatency?.P50 ?? 0)}"),
            ("a referral accepted", "the accepted-referrals figure", path => LiveUpdateTargets.DashboardReferralAsync(portal.BaseUri, referralCase, path), (path, run) =>
                $"a CF advocate accepts a referral on case {referralCase} while a coordinator's {path} (all countries, last 12 months; {Where(path)}) is open: the accepted-referrals figure rose in {run.Delivered} of {run.Expected} acceptances, " +
                $"p50 {Format.Ms(run.Latency.P50)}, max {Format.Ms(run.Latency.Max)} from the click on the dialog's confirmation (the commit, the live event, the coalescing window, the figures computed again, the re-render); " +
                $"the advocate's own page in p50 {Format.Ms(run.ActorLatency?.P50 ?? 0)}"),
        };
        foreach (var (what, figureName, makeTarget, describe) in changes)
        {
            foreach (var path in new[] { "/dashboard", "/dashboard/wall" })
            {
                var label = $"{what}: {figureName} on an open {path} moves";
                try
                {
                    using var target = await makeTarget(path);
                    var run = await LiveUpdateScenario.RunAsync(portal.BaseUri, target, observers: 1, rounds: DashboardClaimRounds, roundTimeout: TimeSpan.FromSeconds(30), intervalMs: 1000);
                    pages.Add(new(label, $"{(run.Delivered < run.Expected ? $"**{run.Delivered} of {run.Expected}**, " : string.Empty)}p50 {Format.Ms(run.Latency.P50)}, max {Format.Ms(run.Latency.Max)}", describe(path, run)));
                }
                catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or InvalidOperationException)
                {
                    pages.Add(new(label, "**not measured**", $"{what} while a coordinator's {path} is open: **not measured** ({ex.GetType().Name}: {ex.Message})"));
                }

                log(pages[^1].Detail);
            }
        }

        await portal.StopAsync();
        return pages;
    }

    /// <summary>Changes of each kind made while a dashboard is open on the loaded file (one warm-up change before them).</summary>
    private const int DashboardClaimRounds = 9;

    private static async Task<int> HeapHistogramAsync(string path, string user, int circuits, int top)
    {
        await using var portal = await ServerProcess.StartPortalAsync();
        using var session = await PortalAccounts.SignInAsync(portal.BaseUri, user);
        var page = new Uri(portal.BaseUri, path.TrimStart('/'));
        CircuitDriverOptions Options(int _) => session.DriverOptions("circuit-ready", TimeSpan.FromSeconds(60));
        await using (var warmup = new CircuitPool(page, Options))
        {
            await warmup.GrowToAsync(5);
        }

        await Task.Delay(1000);
        var before = await HeapHistogram.TakeAsync(portal.ProcessId);
        await using var pool = new CircuitPool(page, Options);
        await pool.GrowToAsync(circuits);
        await Task.WhenAll(pool.Drivers.Select(d => d.WaitForQuietAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(120))));
        var after = await HeapHistogram.TakeAsync(portal.ProcessId);
        var growth = after.Select(a => (Type: a.Key, Bytes: a.Value.Bytes - before.GetValueOrDefault(a.Key).Bytes, Count: a.Value.Count - before.GetValueOrDefault(a.Key).Count))
            .OrderByDescending(g => g.Bytes).ToList();
        Console.WriteLine($"{path} as {user}: {circuits} circuits add {growth.Sum(g => g.Bytes) / 1024.0 / circuits:0} KB each; by type (per circuit):");
        foreach (var (type, bytes, count) in growth.Take(top))
        {
            Console.WriteLine($"{bytes / 1024.0 / circuits,10:0.0} KB {count / (double)circuits,10:0.0} objects  {type}");
        }

        return 0;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans temp.
        }
    }

    private static async Task<int> ProbeAsync(string[] args)
    {
        var testId = args.Length > 1 ? args[1] : InteractionLatencyScenario.Target;
        await using var driver = await CircuitDriver.OpenAsync(new Uri(args[0]), new CircuitDriverOptions { Trace = Console.WriteLine });
        await driver.WaitForQuietAsync(TimeSpan.FromMilliseconds(300));
        Console.WriteLine($"circuit started, {driver.BatchesReceived} batches");
        for (var i = 0; i < 5; i++)
        {
            var latency = await driver.ClickAsync(testId);
            Console.WriteLine($"click {testId} -> batch {latency.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture)} ms");
            await driver.WaitForQuietAsync(TimeSpan.FromMilliseconds(100));
        }

        Console.WriteLine("errors: " + string.Join("; ", driver.Errors));
        return driver.Errors.IsEmpty ? 0 : 1;
    }
}

internal sealed record BenchOptions(
    IReadOnlySet<string> Only,
    IReadOnlyList<int> HubClients,
    int HubBroadcasts,
    IReadOnlyList<int> DensityCircuits,
    IReadOnlyList<int> LatencyCircuits,
    TimeSpan LatencyDuration,
    int LatencyMinimumClicks,
    int ParityRounds,
    int ParityClicksPerRound,
    IReadOnlyList<ParityLoad> ParityLoads,
    string Configuration,
    string? Output,
    int QueueCases = 1_000_000,
    int QueueRepeat = 5,
    int ReminderReferrals = 1_000_000,
    int ReminderDue = 10_000,
    int IntakeForms = 6000,
    int PowDifficulty = 12,
    IReadOnlyList<int>? IntakeClientCounts = null,
    TimeSpan? IntakeRunTime = null,
    bool KeepData = false,
    IReadOnlySet<string>? DensityPages = null,
    bool Quick = false,
    int SignInRounds = 100,
    int PhoneOpens = 20,
    IReadOnlyList<LinkProfile>? SlowLinks = null,
    int RetainedCircuits = RetainedCircuitScenario.ConfiguredMaximum)
{
    public IReadOnlyList<LinkProfile> SlowLinkProfiles => SlowLinks ?? [LinkProfile.Loopback, LinkProfile.Field, LinkProfile.ThreeG];

    public static readonly string[] AllScenarios = BenchmarkReport.Scenarios.Keys.ToArray();

    public IReadOnlyList<int> IntakeClients => IntakeClientCounts ?? [1, 16];

    /// <summary>How long a reminder run may take (both scans and every delivery) before it is stopped and reported as unfinished.</summary>
    public TimeSpan ReminderLimit => TimeSpan.FromSeconds(ReminderDue <= 1000 ? 60 : 240);

    public TimeSpan IntakeDuration => IntakeRunTime ?? TimeSpan.FromSeconds(20);

    public static BenchOptions Parse(string[] args)
    {
        var only = new HashSet<string>(AllScenarios, StringComparer.Ordinal);
        var max = 500;
        var quick = false;
        var configuration = "Release";
        string? output = null;
        int? cases = null;
        int? referrals = null;
        int? due = null;
        int? forms = null;
        var difficulty = 12;
        var keepData = false;
        int? phoneOpens = null;
        HashSet<string>? pages = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--only":
                    only = new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
                    break;
                case "--max-circuits":
                    max = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--configuration":
                    configuration = args[++i];
                    break;
                case "--output":
                    output = args[++i];
                    break;
                case "--pages":
                    pages = new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
                    break;
                case "--keep-data":
                    keepData = true;
                    break;
                case "--cases":
                    cases = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--referrals":
                    referrals = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--due":
                    due = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--intake-forms":
                    forms = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--pow-difficulty":
                    difficulty = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--phone-opens":
                    phoneOpens = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        IReadOnlyList<int> Cap(int[] sizes) => sizes.Where(n => n <= max).DefaultIfEmpty(max).Distinct().ToArray();
        var unknown = only.Where(s => !AllScenarios.Contains(s)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown scenario(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AllScenarios)}.");
        }

        var options = quick
            ? new BenchOptions(only, [1, 5], 5, [5], [1, 5], TimeSpan.FromSeconds(3), 0, 1, 5, [ParityLoad.Idle, new(5, BackToBack: true)], configuration, output, cases ?? 20_000, 2,
                referrals ?? 30_000, due ?? 300, forms ?? 200, difficulty, [1, 4], TimeSpan.FromSeconds(3))
            : new BenchOptions(only, Cap([1, 100, 500]), 30, Cap([100, 500, 1000]), Cap([1, 200]), TimeSpan.FromSeconds(20), 60, 4, 10, [ParityLoad.Idle, new(Cap([200])[0], false), new(Cap([20])[0], BackToBack: true), new(Cap([100])[0], BackToBack: true)], configuration, output, cases ?? 1_000_000, 5,
                referrals ?? 1_000_000, due ?? 10_000, forms ?? 6000, difficulty);
        return options with { KeepData = keepData, DensityPages = pages, Quick = quick, SignInRounds = quick ? 10 : 100, PhoneOpens = phoneOpens ?? (quick ? 3 : 20),
            SlowLinks = quick ? [LinkProfile.Loopback, LinkProfile.Quick] : null, RetainedCircuits = quick ? 5 : RetainedCircuitScenario.ConfiguredMaximum };
    }
}
