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
            })) + "\n\n" +
              "Where the portal's time goes: the queue page waits 150 ms after a live event before it re-queries (`Coalescer` in " +
              "`QueuesPage.razor`, so a burst of changes becomes one refresh) and the navigation counts wait 300 ms; a single claim " +
              "therefore cannot reach an open page sooner than 150 ms plus the page's query, by design, and the figures above sit on " +
              "that floor. Every open page then re-queries on its own: N pages mean N page queries and N sets of navigation counts " +
              "(four COUNTs for an advocate) per change, all on the 2 cores the load generator shares. A coalescer that refreshes " +
              "at once on the first event and merges only what follows would take the 150 ms off an isolated change; counts shared " +
              "between pages with the same view (see scenario 4) would take N − 1 sets of COUNTs off every change.");

        return new ScenarioReport(
            "1. Live update latency: bare hub, Blazor re-render, portal queue page",
            "A sender calls `Broadcast(seq)` on a bare SignalR hub (its own Kestrel process, MessagePack protocol); the hub " +
            "relays it to N connected clients. Latency = client receive time − send time, all clients in one process with one clock, " +
            $"over {runs.FirstOrDefault()?.Expected / Math.Max(1, runs.FirstOrDefault()?.Clients ?? 1)} broadcasts per N, 200 ms apart. " +
            "The Blazor floor: N headless circuits on the benchmark template app's `/live` page (a shared number; a click re-renders every circuit " +
            "through an in-process event), an actor circuit clicks, latency = click sent → each observer's batch showing the new number. " +
            "The portal: N circuits of one signed-in CF advocate (one browser session: a cookie backs any number of circuits, as tabs do) " +
            "on \"New intakes\" (`/queues/new`, the grid and the navigation's live counts); a second CF advocate's circuit on the same page " +
            "clicks `claim-{number}` on the oldest unclaimed case (seeded before the portal starts: `PortalDatabase.AddUnclaimedIntakesAsync`); " +
            "latency = click sent → each observer's render batch in which that row has gone (the commit itself is inside this time: the claim's " +
            "UPDATE, then the live event, then each page's re-query). One unmeasured warm-up round per N.",
            figures.ToString(),
            comparison,
            "`./bench.sh --only hub` (add `--max-circuits 100` to cap N).");
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
