using System.Text;
using Portal.Benchmarks.Driver;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;

namespace Portal.Benchmarks.Scenarios;

/// <param name="SignInAsync">Signs a browser in on the started server (every circuit shares its cookie); null for anonymous pages.</param>
public sealed record DensityApp(string Name, string PagePath, string? ReadyTestId, Func<Task<ServerProcess>> StartAsync, Func<Uri, Task<BrowserSession>>? SignInAsync = null);

public sealed record DensityReading(string App, int Circuits, MemoryReading Memory, MemoryReading Baseline)
{
    public double ManagedPerCircuit => (Memory.ManagedHeapBytes - Baseline.ManagedHeapBytes) / (double)Circuits;

    public double ResidentPerCircuit => (Memory.ResidentBytes - Baseline.ResidentBytes) / (double)Circuits;
}

/// <summary>
/// Memory per open circuit: the server process's managed heap and resident set after a full GC with N idle
/// circuits open, minus the same after start-up and a few warm-up circuits that were closed again.
/// </summary>
public static class CircuitDensityScenario
{
    /// <summary>
    /// A portal page as the CF advocate (one country; the shell's queue navigation with live counts included), or as
    /// another demo account for pages the advocate may not open (the coordinator's dashboard).
    /// </summary>
    public static DensityApp Portal(string configuration, string pagePath = "/", string? name = null, string userName = PortalAccounts.AdvocateCf) =>
        new(name ?? $"portal \"{pagePath}\"" + (userName == PortalAccounts.AdvocateCf ? string.Empty : $" ({userName.Split('@')[0]})"), pagePath, "circuit-ready",
            () => ServerProcess.StartPortalAsync(configuration),
            baseUri => PortalAccounts.SignInAsync(baseUri, userName));

    public static DensityApp Counter() =>
        new("template counter \"/counter\"", "/counter", "increment", () => ServerProcess.StartBenchmarkServerAsync("serve-counter"));

    public static async Task<IReadOnlyList<DensityReading>> RunAsync(DensityApp app, IReadOnlyList<int> circuitCounts, Action<string> log)
    {
        await using var server = await app.StartAsync();
        var page = new Uri(server.BaseUri, app.PagePath.TrimStart('/'));
        using var session = app.SignInAsync is null ? null : await app.SignInAsync(server.BaseUri);
        CircuitDriverOptions Options(int _) => session?.DriverOptions(app.ReadyTestId, TimeSpan.FromSeconds(60))
                                               ?? new CircuitDriverOptions { ReadyTestId = app.ReadyTestId, Timeout = TimeSpan.FromSeconds(60) };

        // Warm-up: JIT, caches and pools that the first circuits fill once; then close them again.
        await using (var warmup = new CircuitPool(page, Options))
        {
            await warmup.GrowToAsync(5);
        }

        await Task.Delay(1000);
        var baseline = await ProcessMemory.AfterFullGcAsync(server.ProcessId);
        log($"{app.Name}: baseline heap {Format.Mb(baseline.ManagedHeapBytes)}, RSS {Format.Mb(baseline.ResidentBytes)}");

        var readings = new List<DensityReading>();
        await using var pool = new CircuitPool(page, Options);
        foreach (var count in circuitCounts.Order())
        {
            await pool.GrowToAsync(count);
            await Task.WhenAll(pool.Drivers.Select(d => d.WaitForQuietAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(120))));
            var errors = pool.Drivers.Sum(d => d.Errors.Count);
            if (errors > 0)
            {
                throw new InvalidOperationException($"{errors} circuit errors on {app.Name}: {pool.Drivers.SelectMany(d => d.Errors).First()}");
            }

            var reading = new DensityReading(app.Name, count, await ProcessMemory.AfterFullGcAsync(server.ProcessId), baseline);
            readings.Add(reading);
            log($"{app.Name}: {count} circuits, heap {Format.Mb(reading.Memory.ManagedHeapBytes)} ({Format.Kb(reading.ManagedPerCircuit)}/circuit), RSS {Format.Mb(reading.Memory.ResidentBytes)} ({Format.Kb(reading.ResidentPerCircuit)}/circuit)");
        }

        return readings;
    }

    /// <summary>Goals: at most this much per open page, and this much for the whole process with 1000 open pages.</summary>
    public const double GoalBytesPerCircuit = 1024 * 1024;
    public const double GoalBytesFor1000 = 1.5 * 1024 * 1024 * 1024;

    public static ScenarioReport Report(IReadOnlyList<IReadOnlyList<DensityReading>> portalPages, IReadOnlyList<DensityReading> counter)
    {
        var figures = new StringBuilder();
        figures.AppendLine("| app | circuits | managed heap | per circuit | RSS | per circuit |");
        figures.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var reading in portalPages.SelectMany(p => p).Concat(counter))
        {
            figures.AppendLine($"| {reading.App} | {reading.Circuits} | {Format.Mb(reading.Memory.ManagedHeapBytes)} | {Format.Kb(reading.ManagedPerCircuit)} | {Format.Mb(reading.Memory.ResidentBytes)} | {Format.Kb(reading.ResidentPerCircuit)} |");
        }

        var baselines = portalPages.Select(p => p.FirstOrDefault()).OfType<DensityReading>().Concat(counter.Take(1))
            .Select(r => $"{r.App}: {Format.Mb(r.Baseline.ManagedHeapBytes)} heap, {Format.Mb(r.Baseline.ResidentBytes)} RSS");
        figures.AppendLine();
        figures.AppendLine("Baselines (after start-up and 5 warm-up circuits, closed): " + string.Join("; ", baselines) + ".");

        var comparison = new StringBuilder();
        foreach (var page in portalPages)
        {
            foreach (var p in page)
            {
                var c = counter.FirstOrDefault(x => x.Circuits == p.Circuits);
                if (c is not null)
                {
                    comparison.AppendLine($"- {p.App}, N = {p.Circuits}: managed heap per circuit {Format.Kb(p.ManagedPerCircuit)} vs {Format.Kb(c.ManagedPerCircuit)} = **{Format.Ratio(p.ManagedPerCircuit / c.ManagedPerCircuit)}** the template counter; RSS per circuit {Format.Ratio(p.ResidentPerCircuit / c.ResidentPerCircuit)}.");
                }
            }
        }

        comparison.AppendLine();
        comparison.AppendLine("Against the goals (≤ 1 MB per open page; 1000 open pages in under 1.5 GB for the whole process):");
        comparison.AppendLine();
        foreach (var page in portalPages.Where(p => p.Count > 0))
        {
            var largest = page.MaxBy(r => r.Circuits)!;
            var perCircuit = Math.Max(largest.ManagedPerCircuit, largest.ResidentPerCircuit);
            var at1000 = page.FirstOrDefault(r => r.Circuits == 1000);
            var rss1000 = at1000?.Memory.ResidentBytes ?? (largest.Baseline.ResidentBytes + (1000 * largest.ResidentPerCircuit));
            comparison.AppendLine(
                $"- {largest.App}: per circuit at N = {largest.Circuits} {Format.Kb(largest.ManagedPerCircuit)} managed, {Format.Kb(largest.ResidentPerCircuit)} RSS " +
                $"({(perCircuit <= GoalBytesPerCircuit ? "within" : "**over**")} 1 MB); 1000 open pages: {Format.Mb(rss1000)} RSS " +
                $"{(at1000 is null ? $"(projected from N = {largest.Circuits}: baseline + 1000 × RSS per circuit; `--max-circuits 1000` measures it)" : "(measured)")}, " +
                $"{(rss1000 <= GoalBytesFor1000 ? "within" : "**over**")} 1.5 GB.");
        }

        comparison.AppendLine();
        comparison.AppendLine(
            "Where it goes and what changed: most of a circuit's managed memory is its components' render trees (each component " +
            "keeps the frames of its last two renders) and their strings, so what counts is how many components a page holds. The " +
            "queue page's MudDataGrid gave way to a plain table of one component per row, with the chips and due labels written " +
            "into the row, and the navigation's counts lost their MudChip and MudStack. Side by side at N = 100 (`--only density " +
            "--pages /queues/new,/queues/all,/dashboard --max-circuits 100`, commit c133763 at 14:19 UTC, then the table at 14:20 " +
            "UTC): managed heap per circuit \"/queues/new\" 2107 → 1222 KB, \"/queues/all\" 1813 → 1231 KB, and \"/dashboard\" " +
            "1849 → 1528 KB (only its navigation changed); the template counter 150 and 151 KB. What is left over the template: the " +
            "shell (\"/\" alone, about 0.6 MB), the queue filters' MudBlazor inputs, the 25 rows; on the dashboard its three MudCharts " +
            "with their tables (about 0.5 MB of its 1.5 MB at N = 100, measured by leaving them out).");

        return new ScenarioReport(
            "2. Circuit density: memory per open circuit",
            "N idle headless circuits on one page, each fully rendered and acknowledged. Managed heap = all generations plus LOH and POH " +
            "right after a full blocking GC that the benchmark induces from outside through the runtime's diagnostic port (EventPipe " +
            "GCHeapCollect, as dotnet-gcdump does), so the portal exposes nothing new. RSS = VmRSS from /proc after that GC. " +
            "Per circuit = (reading − baseline) / N. The portal's circuits are one signed-in CF advocate's (one browser session; the cookie " +
            "backs every circuit), the dashboard's the coordinator's, so each page carries the shell, the navigation with its live queue counts and the page itself; the queue " +
            "pages hold a table of 25 row components and a live-event subscription each, the dashboard its figures (tiles, tables, three charts) and a live-event subscription. Each portal page gets a fresh portal process (demo data: " +
            "about 1,800 cases). The baseline app is the Blazor Web App template's counter page with global interactive server rendering, " +
            "hosted by the benchmark program as its own process.",
            figures.ToString(),
            comparison.ToString(),
            "`./bench.sh --only density --max-circuits 1000`.");
    }
}
