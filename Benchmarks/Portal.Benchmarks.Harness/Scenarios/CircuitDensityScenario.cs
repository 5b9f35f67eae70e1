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

    /// <summary>RSS with 1000 open pages: measured when the run went that far, else projected from the largest N.</summary>
    private static (double Bytes, bool Measured) ResidentFor1000(IReadOnlyList<DensityReading> page)
    {
        var largest = page.MaxBy(r => r.Circuits)!;
        var at1000 = page.FirstOrDefault(r => r.Circuits == 1000);
        return at1000 is not null ? (at1000.Memory.ResidentBytes, true) : (largest.Baseline.ResidentBytes + (1000 * largest.ResidentPerCircuit), false);
    }

    private static bool WithinGoal(IReadOnlyList<DensityReading> page)
    {
        var largest = page.MaxBy(r => r.Circuits)!;
        return Math.Max(largest.ManagedPerCircuit, largest.ResidentPerCircuit) <= GoalBytesPerCircuit && ResidentFor1000(page).Bytes <= GoalBytesFor1000;
    }

    private static ScenarioSummary Summary(IReadOnlyList<IReadOnlyList<DensityReading>> portalPages, IReadOnlyList<DensityReading> counter)
    {
        var table = new StringBuilder();
        table.AppendLine("| page | N | managed heap per circuit | RSS per circuit | RSS with 1000 open | heap per circuit / template | within goal |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        var pages = portalPages.Where(p => p.Count > 0).ToList();
        foreach (var page in pages)
        {
            var largest = page.MaxBy(r => r.Circuits)!;
            var template = counter.FirstOrDefault(c => c.Circuits == largest.Circuits);
            var (rss, measured) = ResidentFor1000(page);
            table.AppendLine($"| {largest.App} | {largest.Circuits} | {Format.Kb(largest.ManagedPerCircuit)} | {Format.Kb(largest.ResidentPerCircuit)} | " +
                             $"{Format.Mb(rss)}{(measured ? string.Empty : " (projected)")} | {(template is null ? "—" : Format.Ratio(largest.ManagedPerCircuit / template.ManagedPerCircuit))} | " +
                             $"{(WithinGoal(page) ? "yes" : "**no**")} |");
        }

        if (counter.MaxBy(r => r.Circuits) is { } counterLargest)
        {
            table.AppendLine($"| {counterLargest.App} (baseline) | {counterLargest.Circuits} | {Format.Kb(counterLargest.ManagedPerCircuit)} | {Format.Kb(counterLargest.ResidentPerCircuit)} | | | |");
        }

        var over = pages.Where(p => !WithinGoal(p)).Select(p => p[0].App).ToList();
        var verdict = pages.Count == 0
            ? "No portal page was measured in this run."
            : over.Count == 0
                ? "Every page measured is within both goals."
                : $"{pages.Count - over.Count} of {pages.Count} pages within both goals; over: {string.Join(", ", over)}. A page's memory is mostly its components' " +
                  "render trees, so it follows how many components the page holds (the detail file says where it goes).";
        return new ScenarioSummary(
            "Many people can keep pages open: at most 1 MB per open page, and 1000 open pages in under 1.5 GB for the whole process.",
            table.ToString(),
            verdict);
    }

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
            "Where it goes: most of a circuit's managed memory is its components' render trees (each component keeps the frames of " +
            "its last two renders) and their strings, so what counts is how many components a page holds: the shell and its navigation " +
            "(the \"/\" row), the queue filters' MudBlazor inputs and one row component per row on the queue pages, the tiles, tables " +
            "and charts on the dashboard. The benchmark program's `heap-histogram PATH` command (Benchmarks/README.md) lists the types an open page adds.");

        return new ScenarioReport(
            "2. Circuit density: memory per open circuit",
            Summary(portalPages, counter),
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
