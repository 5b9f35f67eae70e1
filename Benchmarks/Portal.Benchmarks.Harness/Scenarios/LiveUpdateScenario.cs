using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Portal.Benchmarks.Driver;
using Portal.Benchmarks.Reporting;

namespace Portal.Benchmarks.Scenarios;

/// <summary>
/// A page that shows live data, and what changes it. For the portal's queue page: PagePath "/queues/CD",
/// an advocate's circuit as the actor, Trigger = the actor clicks "claim" on a case, ShowsUpdate = the case
/// row shows the advocate in an observer's tree.
/// </summary>
/// <param name="Name">How the row is labelled in BENCHMARKS.md.</param>
/// <param name="PagePath">The page every observer opens.</param>
/// <param name="Trigger">The actor makes round <c>round</c>'s change (timing starts just before it).</param>
/// <param name="ShowsUpdate">True once an observer's tree shows round <c>round</c>'s change.</param>
/// <param name="Observer">Options for observer <c>index</c> (a signed-in session); null for anonymous.</param>
/// <param name="Actor">Options for the actor's circuit (a signed-in session); null for anonymous.</param>
/// <param name="ActorPagePath">Where the actor works; PagePath when null.</param>
public sealed record LiveUpdateTarget(
    string Name,
    string PagePath,
    Func<CircuitDriver, int, Task> Trigger,
    Func<RenderTree, int, bool> ShowsUpdate,
    Func<int, CircuitDriverOptions>? Observer = null,
    CircuitDriverOptions? Actor = null,
    string? ActorPagePath = null);

public sealed record LiveUpdateRun(string Target, int Observers, int Expected, int Delivered, LatencySummary Latency);

public static class LiveUpdateTargets
{
    /// <summary>Portal pages with live data. Empty until the queue page exists; add its target here.</summary>
    public static IReadOnlyList<LiveUpdateTarget> Portal { get; } = [];

    /// <summary>
    /// The Blazor floor, on the benchmark's template app (serve-counter): "/live" shows a shared number that a
    /// click re-renders in every circuit through an in-process event. Needs a fresh server (the number starts at 0).
    /// </summary>
    public static LiveUpdateTarget BaselineLivePage { get; } = new(
        "template app \"/live\" (in-process event, re-render)",
        "/live",
        (actor, _) => actor.ClickAsync("bump"),
        (tree, round) => long.TryParse(tree.FindByTestId("live-value")?.TextContent(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                         && value >= round + 1);
}

/// <summary>N observers on a live page; an actor changes data; time until each observer's tree shows it.</summary>
public static class LiveUpdateScenario
{
    public static async Task<LiveUpdateRun> RunAsync(Uri baseUri, LiveUpdateTarget target, int observers, int rounds, TimeSpan roundTimeout, int intervalMs = 200)
    {
        var options = target.Observer ?? (_ => new CircuitDriverOptions());
        await using var pool = new CircuitPool(new Uri(baseUri, target.PagePath.TrimStart('/')), options);
        await pool.GrowToAsync(observers);
        await using var actor = await CircuitDriver.OpenAsync(new Uri(baseUri, (target.ActorPagePath ?? target.PagePath).TrimStart('/')), target.Actor ?? new CircuitDriverOptions());
        await Task.WhenAll(pool.Drivers.Append(actor).Select(d => d.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(60))));

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
            await target.Trigger(actor, current);
            await Task.WhenAll(waits);
            await Task.Delay(intervalMs);
        }

        return new LiveUpdateRun(target.Name, observers, observers * rounds, delivered, LatencySummary.Of(latencies));
    }
}
