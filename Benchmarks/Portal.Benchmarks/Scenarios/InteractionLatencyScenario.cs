using System.Collections.Concurrent;
using System.Text;
using Portal.Benchmarks.Driver;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;

namespace Portal.Benchmarks.Scenarios;

public sealed record InteractionRun(int Circuits, int Attempts, int Failures, LatencySummary Latency);

/// <summary>
/// Click → render latency while C circuits each click the theme toggle on "/" once a second (phases spread
/// over the second), measured from sending the event to receiving the render batch it caused.
/// </summary>
public static class InteractionLatencyScenario
{
    public const string Target = "theme-toggle";

    public static async Task<InteractionRun> RunAsync(Uri baseUri, int circuits, TimeSpan duration, Action<string> log, string page = "/", string readyTestId = "circuit-ready", string target = Target)
    {
        await using var pool = new CircuitPool(new Uri(baseUri, page.TrimStart('/')), _ => new CircuitDriverOptions { ReadyTestId = readyTestId, Timeout = TimeSpan.FromSeconds(60) });
        await pool.GrowToAsync(circuits);
        await Task.WhenAll(pool.Drivers.Select(d => d.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(60))));

        var latencies = new ConcurrentBag<TimeSpan>();
        var attempts = 0;
        var failures = 0;
        var warmup = TimeSpan.FromSeconds(2);
        var start = DateTime.UtcNow;
        var end = start + warmup + duration;
        await Task.WhenAll(pool.Drivers.Select(async (driver, index) =>
        {
            var next = start + TimeSpan.FromSeconds((double)index / circuits);
            while (next < end)
            {
                var wait = next - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                var measured = next >= start + warmup;
                try
                {
                    var latency = await driver.ClickAsync(target, TimeSpan.FromSeconds(10));
                    if (measured)
                    {
                        latencies.Add(latency);
                    }
                }
                catch (TimeoutException)
                {
                    if (measured)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }

                if (measured)
                {
                    Interlocked.Increment(ref attempts);
                }

                next += TimeSpan.FromSeconds(1);
            }
        }));

        var run = new InteractionRun(circuits, attempts, failures, LatencySummary.Of(latencies));
        log($"interaction with {circuits} active circuits: {run.Latency} ({failures} failures)");
        return run;
    }

    public static ScenarioReport Report(IReadOnlyList<InteractionRun> runs, TimeSpan duration)
    {
        var figures = new StringBuilder();
        figures.AppendLine("| active circuits (1 click/s each) | clicks measured | failed | p50 | p95 | p99 | max |");
        figures.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            figures.AppendLine($"| {run.Circuits} | {run.Attempts} | {run.Failures} | {Format.Ms(run.Latency.P50)} | {Format.Ms(run.Latency.P95)} | {Format.Ms(run.Latency.P99)} | {Format.Ms(run.Latency.Max)} |");
        }

        var single = runs.FirstOrDefault(r => r.Circuits == 1);
        var comparison = single is null
            ? string.Empty
            : string.Join("\n", runs.Where(r => r.Circuits != 1).Select(r =>
                $"- p95 with {r.Circuits} active circuits / p95 with 1: **{Format.Ratio(r.Latency.P95 / single.Latency.P95)}** (p50 ratio {Format.Ratio(r.Latency.P50 / single.Latency.P50)})."));

        return new ScenarioReport(
            "3. Interaction latency under load",
            $"C headless circuits on \"/\"; each clicks the shell's theme toggle (`data-testid=\"theme-toggle\"`, which re-renders the " +
            $"MudBlazor theme: a ~13 KB render batch) once a second, phases spread evenly over the second, for {duration.TotalSeconds:0} s after a 2 s warm-up. " +
            "Latency = event sent → render batch received by that circuit's driver. The load generator shares the machine's 2 cores with the portal.",
            figures.ToString(),
            comparison,
            "`./bench.sh --only latency` (`--max-circuits` caps C).");
    }
}
