using System.Diagnostics;
using System.Globalization;
using Portal.Benchmarks.Baseline;
using Portal.Benchmarks.Driver;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;
using Portal.Benchmarks.Scenarios;

namespace Portal.Benchmarks;

/// <summary>
/// run (default): the benchmark harness, rewrites BENCHMARKS.md. serve-hub / serve-counter: the baselines,
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
                var result = await BrowserParityScenario.RunAsync(new Uri(rest[0]), 4, 10, Console.WriteLine, rest[2], rest[1], background);
                Console.WriteLine(BrowserParityScenario.Report([result]).Figures);
                return 0;
            case "run":
                return await RunAsync(rest);
            default:
                Console.Error.WriteLine($"Unknown command '{command}'. Commands: run [--only hub,density,latency,parity] [--max-circuits N] [--quick] [--output FILE], serve-hub, serve-counter, probe URL [TESTID].");
                return 2;
        }
    }

    private static async Task<int> RunAsync(string[] args)
    {
        var options = BenchOptions.Parse(args);
        var total = Stopwatch.StartNew();
        void Log(string message) => Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {message}");

        var sections = new List<ScenarioReport>();
        var notRun = BenchOptions.AllScenarios.Where(s => !options.Only.Contains(s)).ToList();

        if (options.Only.Contains("parity") || options.Only.Contains("latency"))
        {
            await using var portal = await ServerProcess.StartPortalAsync(options.Configuration);
            Log($"portal started at {portal.BaseUri} (pid {portal.ProcessId})");
            // Every circuit and the Chromium page share one signed-in CF advocate's cookie, as tabs of one browser do.
            using var session = await PortalAccounts.SignInAsync(portal.BaseUri, PortalAccounts.AdvocateCf);
            if (options.Only.Contains("parity"))
            {
                var parity = new List<ParityResult>();
                foreach (var load in options.ParityLoads)
                {
                    parity.Add(await BrowserParityScenario.RunAsync(portal.BaseUri, options.ParityRounds, options.ParityClicksPerRound, Log, load: load, session: session));
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
                blazorRuns.Add(await LiveUpdateScenario.RunAsync(counter.BaseUri, LiveUpdateTargets.BaselineLivePage, observers, options.HubBroadcasts, TimeSpan.FromSeconds(10)));
                Log($"template live page to {observers}: {blazorRuns[^1].Latency}");
            }

            var portalRuns = new List<LiveUpdateRun>();
            if (LiveUpdateTargets.Portal.Count > 0)
            {
                await using var portal = await ServerProcess.StartPortalAsync(options.Configuration);
                foreach (var target in LiveUpdateTargets.Portal)
                {
                    foreach (var observers in options.HubClients)
                    {
                        portalRuns.Add(await LiveUpdateScenario.RunAsync(portal.BaseUri, target, observers, options.HubBroadcasts, TimeSpan.FromSeconds(10)));
                        Log($"{target.Name} to {observers}: {portalRuns[^1].Latency}");
                    }
                }
            }

            sections.Add(HubBroadcastScenario.Report(hubRuns, blazorRuns, portalRuns));
        }

        if (options.Only.Contains("density"))
        {
            var portal = await CircuitDensityScenario.RunAsync(CircuitDensityScenario.Portal(options.Configuration), options.DensityCircuits, Log);
            var counter = await CircuitDensityScenario.RunAsync(CircuitDensityScenario.Counter(), options.DensityCircuits, Log);
            sections.Add(CircuitDensityScenario.Report(portal, counter));
        }

        var markdown = BenchmarkReport.Render(sections, notRun, "./bench.sh " + string.Join(' ', args), total.Elapsed);
        var output = options.Output ?? Path.Combine(RepositoryPaths.Root, "BENCHMARKS.md");
        await File.WriteAllTextAsync(output, markdown);
        Log($"wrote {output}");
        return 0;
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
    string? Output)
{
    public static readonly string[] AllScenarios = ["parity", "hub", "density", "latency"];

    public static BenchOptions Parse(string[] args)
    {
        var only = new HashSet<string>(AllScenarios, StringComparer.Ordinal);
        var max = 500;
        var quick = false;
        var configuration = "Release";
        string? output = null;
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
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        IReadOnlyList<int> Cap(int[] sizes) => sizes.Where(n => n <= max).DefaultIfEmpty(max).Distinct().ToArray();
        return quick
            ? new BenchOptions(only, [1, 5], 5, [5], [1, 5], TimeSpan.FromSeconds(3), 0, 1, 5, [ParityLoad.Idle, new(5, BackToBack: true)], configuration, output)
            : new BenchOptions(only, Cap([1, 100, 500]), 30, Cap([100, 500, 1000]), Cap([1, 200]), TimeSpan.FromSeconds(20), 60, 4, 10, [ParityLoad.Idle, new(Cap([200])[0], false), new(Cap([20])[0], BackToBack: true)], configuration, output);
    }
}
