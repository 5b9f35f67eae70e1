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

    /// <param name="session">The signed-in browser whose cookie every circuit shares (the portal needs one); null for anonymous.</param>
    public static async Task<InteractionRun> RunAsync(
        Uri baseUri, int circuits, TimeSpan duration, Action<string> log, string page = "/", string readyTestId = "circuit-ready", string target = Target,
        int minimumClicks = 60, BrowserSession? session = null)
    {
        await using var pool = new CircuitPool(new Uri(baseUri, page.TrimStart('/')), _ => session?.DriverOptions(readyTestId, TimeSpan.FromSeconds(60))
                                                                                           ?? new CircuitDriverOptions { ReadyTestId = readyTestId, Timeout = TimeSpan.FromSeconds(60) });
        await pool.GrowToAsync(circuits);
        await Task.WhenAll(pool.Drivers.Select(d => d.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(60))));

        var latencies = new ConcurrentBag<TimeSpan>();
        var attempts = 0;
        var failures = 0;
        var warmup = TimeSpan.FromSeconds(2);

        // Enough clicks that one circuit's p95 is not simply its second-slowest click.
        duration = TimeSpan.FromSeconds(Math.Max(duration.TotalSeconds, Math.Ceiling((double)minimumClicks / circuits)));
        var measureFrom = DateTime.UtcNow + warmup;
        using var stop = new CancellationTokenSource(warmup + duration);
        await ClickEverySecondAsync(pool.Drivers, target, (at, latency) =>
        {
            if (at < measureFrom)
            {
                return;
            }

            Interlocked.Increment(ref attempts);
            if (latency is { } value)
            {
                latencies.Add(value);
            }
            else
            {
                Interlocked.Increment(ref failures);
            }
        }, stop.Token);

        var run = new InteractionRun(circuits, attempts, failures, LatencySummary.Of(latencies));
        log($"interaction with {circuits} active circuits: {run.Latency} ({failures} failures)");
        return run;
    }

    /// <summary>
    /// Each driver clicks <paramref name="target"/> once a second, phases spread evenly over the second, until
    /// cancelled; reports each click's scheduled time and latency (null when no render came within 10 s).
    /// </summary>
    public static async Task ClickEverySecondAsync(IReadOnlyList<CircuitDriver> drivers, string target, Action<DateTime, TimeSpan?> onClick, CancellationToken stop)
    {
        var start = DateTime.UtcNow;
        await Task.WhenAll(drivers.Select(async (driver, index) =>
        {
            var next = start + TimeSpan.FromSeconds((double)index / drivers.Count);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var wait = next - DateTime.UtcNow;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, stop);
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                try
                {
                    onClick(next, await driver.ClickAsync(target, TimeSpan.FromSeconds(10)));
                }
                catch (TimeoutException)
                {
                    onClick(next, null);
                }

                next += TimeSpan.FromSeconds(1);
            }
        }));
    }

    /// <summary>Each driver clicks again as soon as the previous click's render arrived: a closed loop that saturates the server.</summary>
    public static async Task ClickBackToBackAsync(IReadOnlyList<CircuitDriver> drivers, string target, CancellationToken stop)
    {
        await Task.WhenAll(drivers.Select(async driver =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await driver.ClickAsync(target, TimeSpan.FromSeconds(10));
                }
                catch (TimeoutException)
                {
                    // Keep loading; the measured circuits report their own failures.
                }
            }
        }));
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
                $"- p95 with {r.Circuits} active circuits / p95 with 1: **{Format.Ratio(r.Latency.P95 / single.Latency.P95)}** " +
                $"(p50 {Format.Ratio(r.Latency.P50 / single.Latency.P50)}, p99 {Format.Ratio(r.Latency.P99 / single.Latency.P99)})."));
        if (single is not null && runs.Any(r => r.Circuits != 1 && r.Latency.P50 < single.Latency.P50))
        {
            comparison += "\n\nA busier server answering faster is not a mistake: with one click a second, every click finds the " +
                          "portal's and the driver's threads (and the virtual CPUs) asleep and pays to wake them; with hundreds of clicks a second they " +
                          "stay awake. Load shows in the tail (max) first.";
        }

        var busiest = runs.Where(r => r.Circuits != 1).MaxBy(r => r.Circuits);
        var summary = new ScenarioSummary(
            "A click is answered as fast when many people work at once as when one does: the p95 with hundreds of active circuits close to the p95 " +
            "with one (no absolute target; the parity section shows what a browser adds).",
            figures.ToString(),
            single is null || busiest is null
                ? $"{runs.Sum(r => r.Failures)} failed clicks; no comparison of one circuit with many in this run."
                : $"p95 with {busiest.Circuits} active circuits is **{Format.Ratio(busiest.Latency.P95 / single.Latency.P95)}** the p95 with one " +
                  $"({Format.Ms(busiest.Latency.P95)} vs {Format.Ms(single.Latency.P95)}); {runs.Sum(r => r.Failures)} failed clicks. Load shows in the tail " +
                  $"first (max {Format.Ms(busiest.Latency.Max)}).");
        return new ScenarioReport(
            "3. Interaction latency under load",
            summary,
            $"C headless circuits on \"/\"; each clicks the shell's theme toggle (`data-testid=\"theme-toggle\"`, which re-renders the " +
            $"MudBlazor theme: a ~13 KB render batch) once a second, phases spread evenly over the second, for {duration.TotalSeconds:0} s (longer with few circuits, to measure at least 60 clicks) after a 2 s warm-up. " +
            "Latency = event sent → render batch received by that circuit's driver. The load generator shares the machine's 2 cores with the portal.",
            figures.ToString(),
            comparison,
            "`./bench.sh --only latency` (`--max-circuits` caps C).");
    }
}
