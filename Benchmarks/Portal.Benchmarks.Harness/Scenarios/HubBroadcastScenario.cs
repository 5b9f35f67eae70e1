using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Benchmarks.Baseline;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;

namespace Portal.Benchmarks.Scenarios;

public sealed record HubBroadcastOptions(IReadOnlyList<int> ClientCounts, int Broadcasts = 30, int IntervalMs = 200);

public sealed record HubBroadcastRun(int Clients, int Expected, int Delivered, LatencySummary Latency);

/// <summary>
/// Live-update floor: one sender invokes a bare SignalR hub that relays a small message to N other clients on
/// the same machine; each client's receive time minus the send time. Sender and receivers share one clock
/// (this process); the hub runs in its own process.
/// </summary>
public static class HubBroadcastScenario
{
    public static async Task<IReadOnlyList<HubBroadcastRun>> RunAsync(HubBroadcastOptions options, Action<string> log)
    {
        await using var server = await ServerProcess.StartBenchmarkServerAsync("serve-hub");
        var hubUri = new Uri(server.BaseUri, HubServer.HubPath.TrimStart('/'));
        var runs = new List<HubBroadcastRun>();
        foreach (var count in options.ClientCounts)
        {
            runs.Add(await RunOnceAsync(hubUri, count, options));
            log($"hub broadcast to {count}: {runs[^1].Latency}");
        }

        return runs;
    }

    public static ScenarioReport Report(IReadOnlyList<HubBroadcastRun> runs, IReadOnlyList<LiveUpdateRun> blazorRuns, IReadOnlyList<LiveUpdateRun> portalRuns)
    {
        var figures = new StringBuilder();
        figures.AppendLine("| side | N receivers | delivered | p50 | p95 | p99 | max |");
        figures.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            figures.AppendLine($"| bare SignalR hub (MessagePack) | {run.Clients} | {run.Delivered}/{run.Expected} | {Format.Ms(run.Latency.P50)} | {Format.Ms(run.Latency.P95)} | {Format.Ms(run.Latency.P99)} | {Format.Ms(run.Latency.Max)} |");
        }

        foreach (var run in blazorRuns)
        {
            figures.AppendLine($"| Blazor floor: {run.Target} | {run.Observers} | {run.Delivered}/{run.Expected} | {Format.Ms(run.Latency.P50)} | {Format.Ms(run.Latency.P95)} | {Format.Ms(run.Latency.P99)} | {Format.Ms(run.Latency.Max)} |");
        }

        foreach (var run in portalRuns)
        {
            figures.AppendLine($"| **portal: {run.Target}** | {run.Observers} | {run.Delivered}/{run.Expected} | **{Format.Ms(run.Latency.P50)}** | **{Format.Ms(run.Latency.P95)}** | **{Format.Ms(run.Latency.P99)}** | {Format.Ms(run.Latency.Max)} |");
            if (run.SecondaryLatency is { } second)
            {
                figures.AppendLine($"| ↳ same claims, {run.SecondaryName} | {run.Observers} | {run.SecondaryDelivered}/{run.Expected} | {Format.Ms(second.P50)} | {Format.Ms(second.P95)} | {Format.Ms(second.P99)} | {Format.Ms(second.Max)} |");
            }

            if (run.ActorLatency is { Count: > 0 } actor)
            {
                figures.AppendLine($"| ↳ same claims, the claiming advocate's own page | 1 | {actor.Count}/{run.Expected / Math.Max(1, run.Observers)} | {Format.Ms(actor.P50)} | {Format.Ms(actor.P95)} | {Format.Ms(actor.P99)} | {Format.Ms(actor.Max)} |");
            }
        }

        figures.Append(CpuPerChange(blazorRuns, portalRuns));

        var floor = string.Join("\n", blazorRuns.Select(b =>
        {
            var hub = runs.FirstOrDefault(h => h.Clients == b.Observers);
            return hub is null ? string.Empty : $"- N = {b.Observers}: Blazor re-render p95 {Format.Ms(b.Latency.P95)} vs bare hub {Format.Ms(hub.Latency.P95)} = **{Format.Ratio(b.Latency.P95 / hub.Latency.P95)}** (p50 {Format.Ratio(b.Latency.P50 / hub.Latency.P50)}).";
        }));
        var comparison = floor + "\n\n" + (portalRuns.Count == 0
            ? "Portal side: not run (`LiveUpdateTargets.Portal` is empty or the run was capped)."
            : string.Join("\n", portalRuns.Select(p =>
            {
                var hub = runs.FirstOrDefault(h => h.Clients == p.Observers);
                var blazor = blazorRuns.FirstOrDefault(b => b.Observers == p.Observers);
                return $"- Portal queue page, N = {p.Observers}: p50 {Format.Ms(p.Latency.P50)}, p95 {Format.Ms(p.Latency.P95)}" +
                       (hub is null ? string.Empty : $" = {Format.Ratio(p.Latency.P95 / hub.Latency.P95)} the bare hub's p95") +
                       (blazor is null ? string.Empty : $", {Format.Ratio(p.Latency.P95 / blazor.Latency.P95)} the template page's") + ".";
            })) + "\n\n" + Goal(runs, portalRuns) +
              "Where the portal's time goes: a live event reaches every open page of its scope at once; the first event refreshes " +
              "at once (leading-edge coalescing), and only what arrives during that refresh or within a short window after it is merged " +
              "into one more refresh, so a burst of changes costs at most two. The rows and the navigation counts come from a cache of " +
              "queue views that the event clears for its country before any page hears of it: the first page to re-query runs the query " +
              "and every other open page of the same view shares its result, so N identical pages cost one page query and one set of " +
              "counts per change, not N. What grows with N is each circuit's own work after the event: rendering what changed (the rows " +
              "are row components keyed by case that render again only when what they show changed; the navigation re-renders only the " +
              "count that moved), then serialising and sending each circuit's batch, on the cores the load generator shares" +
              PerCircuit(blazorRuns, portalRuns) + ". During a fan-out the portal and the driver's receiving circuits together keep " +
              "every core busy, so the driver's own cost per batch is inside these figures." + CpuBound(portalRuns));

        return new ScenarioReport(
            "1. Live update latency: bare hub, Blazor re-render, portal queue page",
            Summary(runs, blazorRuns, portalRuns),
            "A sender calls `Broadcast(seq)` on a bare SignalR hub (its own Kestrel process, MessagePack protocol); the hub " +
            "relays it to N connected clients. Latency = client receive time − send time, all clients in one process with one clock, " +
            $"over {runs.FirstOrDefault()?.Expected / Math.Max(1, runs.FirstOrDefault()?.Clients ?? 1)} broadcasts per N, 200 ms apart. " +
            "The Blazor floor: N headless circuits on the benchmark template app's `/live` page (a shared number; a click re-renders every circuit " +
            "through an in-process event), an actor circuit clicks, latency = click sent → each observer's batch showing the new number. " +
            "The portal: N circuits of one signed-in CF advocate (one browser session: a cookie backs any number of circuits, as tabs do) " +
            "on \"New intakes\" (`/queues/new`, the table and the navigation's live counts); a second CF advocate's circuit on the same page " +
            "clicks `claim-{number}` on the oldest unclaimed case (seeded before the portal starts: `PortalDatabase.AddUnclaimedIntakesAsync`); " +
            "latency = click sent → each observer's render batch in which that row has gone (the commit itself is inside this time: the claim's " +
            "UPDATE, then the live event, then each page's re-query). One unmeasured warm-up round per N.",
            figures.ToString(),
            comparison,
            "`./bench.sh --only hub` (add `--max-circuits 100` to cap N).");
    }

    /// <summary>Issue #11's goal for the portal's live queue page.</summary>
    private const double GoalP95Ms = 250;

    private const double GoalRatio = 5;

    private static ScenarioSummary Summary(IReadOnlyList<HubBroadcastRun> runs, IReadOnlyList<LiveUpdateRun> blazorRuns, IReadOnlyList<LiveUpdateRun> portalRuns)
    {
        var table = new StringBuilder();
        table.AppendLine("| open pages N | bare hub p95 | Blazor template page p95 | portal queue page p50 | portal p95 | portal p95 / hub p95 |");
        table.AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var n in runs.Select(r => r.Clients).Union(blazorRuns.Select(b => b.Observers)).Union(portalRuns.Select(p => p.Observers)).Order())
        {
            var hub = runs.FirstOrDefault(h => h.Clients == n);
            var blazor = blazorRuns.FirstOrDefault(b => b.Observers == n);
            var portal = portalRuns.FirstOrDefault(p => p.Observers == n);
            table.AppendLine($"| {n} | {Ms(hub?.Latency.P95)} | {Ms(blazor?.Latency.P95)} | {Ms(portal?.Latency.P50)} | **{Ms(portal?.Latency.P95)}** | " +
                             $"{(hub is null || portal is null ? "—" : Format.Ratio(portal.Latency.P95 / hub.Latency.P95))} |");
        }

        string verdict;
        if (portalRuns.Count == 0)
        {
            verdict = "The portal's side was not measured in this run.";
        }
        else
        {
            var underBound = portalRuns.Where(p => p.Latency.P95 < GoalP95Ms).Select(p => p.Observers).ToList();
            var ratios = portalRuns.Select(p => (p.Observers, Ratio: runs.FirstOrDefault(h => h.Clients == p.Observers) is { } hub ? p.Latency.P95 / hub.Latency.P95 : double.NaN))
                .Where(x => !double.IsNaN(x.Ratio)).ToList();
            var largest = portalRuns.MaxBy(p => p.Observers)!;
            verdict = $"p95 under {GoalP95Ms:0} ms at {(underBound.Count == portalRuns.Count ? "every N" : underBound.Count == 0 ? "no N" : "N = " + string.Join(", ", underBound))} " +
                      $"({Format.Ms(largest.Latency.P95)} at N = {largest.Observers}); " +
                      (ratios.Count == 0
                          ? "no bare hub run to compare with."
                          : ratios.All(x => x.Ratio <= GoalRatio)
                              ? $"within {GoalRatio:0}× the bare hub at every N."
                              : $"{Format.Ratio(ratios.Min(x => x.Ratio))} to {Format.Ratio(ratios.Max(x => x.Ratio))} the bare hub's p95, " +
                                $"{(ratios.Any(x => x.Ratio <= GoalRatio) ? "partly " : string.Empty)}outside the {GoalRatio:0}× bound: a hub relays a message, a page re-queries and re-renders.") +
                      (double.IsNaN(largest.ServerCpuMsPerChange)
                          ? string.Empty
                          : $" At N = {largest.Observers} one change costs the portal {Format.Ms(largest.ServerCpuMsPerChange)} of CPU ({Format.Ms(largest.ServerCpuMsPerPage)} per open page) " +
                            $"and the load generator {Format.Ms(largest.DriverCpuMsPerChange)}: about {Format.Ms(largest.CpuMsPerCorePerChange)} of each core's time per change, " +
                            "on cores the two processes share.");
        }

        return new ScenarioSummary(
            $"A change reaches every open queue page quickly: p95 under {GoalP95Ms:0} ms with 500 pages open, and at most {GoalRatio:0}× the p95 of a bare SignalR hub " +
            "relaying one message to as many clients (issue #11). Measured from one advocate's claim to the row leaving every other open page.",
            table.ToString(),
            verdict);

        static string Ms(double? value) => value is { } v ? Format.Ms(v) : "—";
    }

    private static string Goal(IReadOnlyList<HubBroadcastRun> runs, IReadOnlyList<LiveUpdateRun> portalRuns)
    {
        var lines = portalRuns.Select(p =>
        {
            var hub = runs.FirstOrDefault(h => h.Clients == p.Observers);
            var ratio = hub is null ? double.NaN : p.Latency.P95 / hub.Latency.P95;
            var met = p.Latency.P95 < GoalP95Ms && (double.IsNaN(ratio) || ratio <= GoalRatio);
            return $"- N = {p.Observers}: p95 {Format.Ms(p.Latency.P95)}" + (double.IsNaN(ratio) ? string.Empty : $", {Format.Ratio(ratio)} the bare hub") +
                   $": {(met ? "within" : "**outside**")} the goal.";
        });
        return $"Against issue #11's goal (p95 under {GoalP95Ms:0} ms at 500 open pages, at most {GoalRatio:0}× the bare hub's p95):\n\n" +
               string.Join("\n", lines) + "\n\n";
    }

    /// <summary>
    /// Both processes' CPU per change (server and load generator, each measured over the measured rounds): the work one change
    /// costs the machine. Not all of it lies before the last page has the change (the counts' refresh, acknowledgements).
    /// </summary>
    private static string CpuPerChange(IReadOnlyList<LiveUpdateRun> blazorRuns, IReadOnlyList<LiveUpdateRun> portalRuns)
    {
        // Only the largest N of each side: the CPU time is the whole process's, so it also holds the server's other work over
        // the rounds (the JIT still optimising in the first runs after start, garbage collection, timers), which the
        // per-page work only outweighs with many pages.
        var measured = new[] { blazorRuns.MaxBy(r => r.Observers), portalRuns.MaxBy(r => r.Observers) }
            .OfType<LiveUpdateRun>().Where(r => !double.IsNaN(r.ServerCpuMsPerChange)).ToList();
        if (measured.Count == 0)
        {
            return string.Empty;
        }

        var table = new StringBuilder();
        table.AppendLine();
        table.AppendLine("CPU per change at the largest N (each process's CPU time over the measured rounds, divided by the rounds, other work of the " +
                         "process over that time included; the last column spreads both processes' CPU evenly over the cores):");
        table.AppendLine();
        table.AppendLine("| side | N observing pages | server CPU per change | per observing page | load generator CPU per change | both, per core |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var run in measured)
        {
            var side = portalRuns.Contains(run) ? $"portal: {run.Target}" : $"Blazor floor: {run.Target}";
            table.AppendLine($"| {side} | {run.Observers} | {Format.Ms(run.ServerCpuMsPerChange)} | {Format.Ms(run.ServerCpuMsPerPage)} | {Format.Ms(run.DriverCpuMsPerChange)} | " +
                             $"{Format.Ms(run.CpuMsPerCorePerChange)} |");
        }

        return table.ToString();
    }

    /// <summary>What the CPU per change (table above) says about the goal, at the largest N.</summary>
    private static string CpuBound(IReadOnlyList<LiveUpdateRun> portalRuns)
    {
        var run = portalRuns.MaxBy(p => p.Observers);
        if (run is null || double.IsNaN(run.ServerCpuMsPerChange))
        {
            return string.Empty;
        }

        return $" At N = {run.Observers} one change cost the portal {Format.Ms(run.ServerCpuMsPerChange)} of CPU ({Format.Ms(run.ServerCpuMsPerPage)} per open page, " +
               $"the navigation counts' refresh and the acknowledgements included) and the load generator, receiving and decoding every page's batches, " +
               $"{Format.Ms(run.DriverCpuMsPerChange)}: together about {Format.Ms(run.CpuMsPerCorePerChange)} of the {Environment.ProcessorCount} cores' time per change, the same order as the " +
               $"p95 ({Format.Ms(run.Latency.P95)}) and the goal's {GoalP95Ms:0} ms. During a fan-out the cores are full, so the p95 lands on either side " +
               "of the goal from run to run on this machine; a portal on cores of its own would have only its own share to get through.";
    }

    /// <summary>The portal's p50 per open page at the largest N, next to the template page's for one number, from this run.</summary>
    private static string PerCircuit(IReadOnlyList<LiveUpdateRun> blazorRuns, IReadOnlyList<LiveUpdateRun> portalRuns)
    {
        var portal = portalRuns.MaxBy(p => p.Observers);
        var blazor = portal is null ? null : blazorRuns.FirstOrDefault(b => b.Observers == portal.Observers);
        if (portal is null || portal.Observers < 100)
        {
            return string.Empty;
        }

        return $": at N = {portal.Observers} about {portal.Latency.P50 / portal.Observers:0.00} ms per circuit at p50" +
               (blazor is null ? string.Empty : $", against the template page's {blazor.Latency.P50 / blazor.Observers:0.00} ms for one number");
    }

    private static async Task<HubBroadcastRun> RunOnceAsync(Uri hubUri, int count, HubBroadcastOptions options)
    {
        var sendTimes = new ConcurrentDictionary<long, long>();
        var latencies = new ConcurrentBag<TimeSpan>();
        var rounds = new ConcurrentDictionary<long, Round>();
        var receivers = new List<HubConnection>();
        try
        {
            using (var gate = new SemaphoreSlim(32))
            {
                await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        var connection = Connect(hubUri);
                        connection.On<long>("changed", sequence =>
                        {
                            var now = Stopwatch.GetTimestamp();
                            if (sendTimes.TryGetValue(sequence, out var sent) && rounds.TryGetValue(sequence, out var round))
                            {
                                latencies.Add(Stopwatch.GetElapsedTime(sent, now));
                                round.OneReceived();
                            }
                        });
                        await connection.StartAsync();
                        lock (receivers)
                        {
                            receivers.Add(connection);
                        }
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            await using var sender = Connect(hubUri);
            await sender.StartAsync();

            // One unmeasured round so connections and JIT are warm.
            await sender.InvokeAsync("Broadcast", -1L);
            await Task.Delay(500);

            var delivered = 0;
            for (long sequence = 0; sequence < options.Broadcasts; sequence++)
            {
                var round = rounds[sequence] = new Round(count);
                sendTimes[sequence] = Stopwatch.GetTimestamp();
                await sender.InvokeAsync("Broadcast", sequence);
                await Task.WhenAny(round.AllReceived, Task.Delay(TimeSpan.FromSeconds(10)));
                delivered += round.Received;
                await Task.Delay(options.IntervalMs);
            }

            return new HubBroadcastRun(count, count * options.Broadcasts, delivered, LatencySummary.Of(latencies));
        }
        finally
        {
            await Task.WhenAll(receivers.Select(r => r.DisposeAsync().AsTask()));
        }
    }

    private sealed class Round(int expected)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _received;

        public int Received => Volatile.Read(ref _received);

        public Task AllReceived => _all.Task;

        public void OneReceived()
        {
            if (Interlocked.Increment(ref _received) >= expected)
            {
                _all.TrySetResult();
            }
        }
    }

    private static HubConnection Connect(Uri hubUri) =>
        new HubConnectionBuilder()
            .WithUrl(hubUri, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .AddMessagePackProtocol()
            .Build();
}
