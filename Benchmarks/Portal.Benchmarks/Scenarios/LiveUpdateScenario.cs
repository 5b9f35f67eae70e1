using System.Collections.Concurrent;
using System.Diagnostics;
using Portal.Benchmarks.Driver;
using Portal.Benchmarks.Reporting;

namespace Portal.Benchmarks.Scenarios;

/// <summary>What a live-update target's trigger gets: the server and a way to open circuits (signed in, if needed).</summary>
public sealed record LiveUpdateContext(Uri BaseUri, Func<string, Task<CircuitDriver>> OpenAsync);

/// <summary>
/// A portal page that shows live data, and what changes it. For the queue page: PagePath "/queues/CD",
/// Trigger = an advocate's circuit clicks "claim" on a case, ShowsUpdate = the case row shows the advocate.
/// </summary>
/// <param name="Name">How the row is labelled in BENCHMARKS.md.</param>
/// <param name="PagePath">The page every observer opens.</param>
/// <param name="Trigger">Makes the change as another user; awaited before the next round.</param>
/// <param name="ShowsUpdate">True once an observer's tree shows round <c>round</c>'s change.</param>
/// <param name="Observer">Options for observer <c>index</c> (e.g. a signed-in session); null for anonymous.</param>
public sealed record LiveUpdateTarget(
    string Name,
    string PagePath,
    Func<LiveUpdateContext, int, Task> Trigger,
    Func<RenderTree, int, bool> ShowsUpdate,
    Func<int, CircuitDriverOptions>? Observer = null);

public sealed record LiveUpdateRun(string Target, int Observers, int Expected, int Delivered, LatencySummary Latency);

public static class LiveUpdateTargets
{
    /// <summary>Registered portal pages with live data. Empty until the queue page exists.</summary>
    public static IReadOnlyList<LiveUpdateTarget> All { get; } = [];
}

/// <summary>N observers on a live page; a trigger changes data; time until each observer's tree shows it.</summary>
public static class LiveUpdateScenario
{
    public static async Task<LiveUpdateRun> RunAsync(Uri baseUri, LiveUpdateTarget target, int observers, int rounds, TimeSpan roundTimeout)
    {
        var options = target.Observer ?? (_ => new CircuitDriverOptions());
        await using var pool = new CircuitPool(new Uri(baseUri, target.PagePath.TrimStart('/')), options);
        await pool.GrowToAsync(observers);
        var context = new LiveUpdateContext(baseUri, path => CircuitDriver.OpenAsync(new Uri(baseUri, path.TrimStart('/')), new CircuitDriverOptions()));
        var latencies = new ConcurrentBag<TimeSpan>();
        var delivered = 0;
        for (var round = 0; round < rounds; round++)
        {
            var current = round;
            var started = Stopwatch.GetTimestamp();
            var waits = pool.Drivers.Select(async d =>
            {
                try
                {
                    var batch = await d.WaitForAsync(tree => target.ShowsUpdate(tree, current), roundTimeout);
                    latencies.Add(Stopwatch.GetElapsedTime(started, batch?.ReceivedTimestamp ?? Stopwatch.GetTimestamp()));
                    Interlocked.Increment(ref delivered);
                }
                catch (TimeoutException)
                {
                    // Counted as not delivered.
                }
            }).ToList();
            await target.Trigger(context, current);
            await Task.WhenAll(waits);
        }

        return new LiveUpdateRun(target.Name, observers, observers * rounds, delivered, LatencySummary.Of(latencies));
    }
}
