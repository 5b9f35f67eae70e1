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
            figures.AppendLine($"| portal: {run.Target} | {run.Observers} | {run.Delivered}/{run.Expected} | {Format.Ms(run.Latency.P50)} | {Format.Ms(run.Latency.P95)} | {Format.Ms(run.Latency.P99)} | {Format.Ms(run.Latency.Max)} |");
        }

        var floor = string.Join("\n", blazorRuns.Select(b =>
        {
            var hub = runs.FirstOrDefault(h => h.Clients == b.Observers);
            return hub is null ? string.Empty : $"- N = {b.Observers}: Blazor re-render p95 {Format.Ms(b.Latency.P95)} vs bare hub {Format.Ms(hub.Latency.P95)} = **{Format.Ratio(b.Latency.P95 / hub.Latency.P95)}** (p50 {Format.Ratio(b.Latency.P50 / hub.Latency.P50)}).";
        }));
        var comparison = floor + "\n\n" + (portalRuns.Count == 0
            ? "Portal side: **pending the queue page.** No portal page shows live data yet, so there is nothing to compare; " +
              "the machinery is in place (`LiveUpdateTargets.Portal`, see below) and its rows appear when a target is registered. " +
              "The hub rows are the floor any live page can approach (the same machine, the same MessagePack framing, no rendering); " +
              "the Blazor-floor rows add what a circuit costs on top: an in-process event, a re-render per circuit, a render batch per circuit, " +
              "measured with the same driver and machinery the portal's queue page will use."
            : string.Join("\n", portalRuns.Select(p =>
            {
                var hub = runs.FirstOrDefault(h => h.Clients == p.Observers);
                return hub is null
                    ? $"- {p.Target}, N = {p.Observers}: no hub run with the same N."
                    : $"- {p.Target}, N = {p.Observers}: p95 {Format.Ms(p.Latency.P95)} vs hub {Format.Ms(hub.Latency.P95)} = {Format.Ratio(p.Latency.P95 / hub.Latency.P95)} the floor.";
            })));

        return new ScenarioReport(
            "1. Live update latency: bare hub, Blazor re-render, portal (pending)",
            "A sender calls `Broadcast(seq)` on a bare SignalR hub (its own Kestrel process, MessagePack protocol); the hub " +
            "relays it to N connected clients. Latency = client receive time − send time, all clients in one process with one clock, " +
            $"over {runs.FirstOrDefault()?.Expected / Math.Max(1, runs.FirstOrDefault()?.Clients ?? 1)} broadcasts per N, 200 ms apart. " +
            "The Blazor floor: N headless circuits on the benchmark template app's `/live` page (a shared number; a click re-renders every circuit " +
            "through an in-process event), an actor circuit clicks, latency = click sent → each observer's batch showing the new number. " +
            "The portal side will do the same on the queue page: an advocate claims a case, N open queue pages receive the re-render.",
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
