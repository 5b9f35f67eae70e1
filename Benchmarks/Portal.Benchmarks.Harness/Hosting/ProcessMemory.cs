using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Portal.Benchmarks.Hosting;

/// <summary>Memory of a process after a full, blocking garbage collection.</summary>
/// <param name="ManagedHeapBytes">Every generation plus the large and pinned object heaps, as the runtime reports right after the collection.</param>
/// <param name="ResidentBytes">VmRSS from /proc/PID/status, read after the collection.</param>
public sealed record MemoryReading(long ManagedHeapBytes, long ResidentBytes);

/// <summary>
/// Reads another .NET process's memory from outside, so the portal needs no diagnostic endpoint: the runtime's
/// diagnostic port (EventPipe, what dotnet-gcdump uses) induces a full blocking GC through the GCHeapCollect
/// keyword and reports the heap sizes after it (GCHeapStats); resident memory comes from /proc.
/// </summary>
public static class ProcessMemory
{
    public static long ResidentBytes(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                // "VmRSS:    123456 kB"
                var kilobytes = long.Parse(line["VmRSS:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                return kilobytes * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{processId}/status has no VmRSS.");
    }

    public static async Task<MemoryReading> AfterFullGcAsync(int processId, TimeSpan? timeout = null)
    {
        var client = new DiagnosticsClient(processId);
        var providers = new[]
        {
            new EventPipeProvider(
                ClrTraceEventParser.ProviderName,
                EventLevel.Informational,
                (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect)),
        };

        using var session = await client.StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 64, CancellationToken.None);
        var heap = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawInducedFullGc = false;
        var processing = Task.Run(() =>
        {
            using var source = new EventPipeEventSource(session.EventStream);
            source.Clr.GCStart += e =>
            {
                if (e.Depth == 2 && e.Reason is GCReason.Induced or GCReason.InducedNotForced or GCReason.InducedCompacting)
                {
                    sawInducedFullGc = true;
                }
            };
            source.Clr.GCHeapStats += e =>
            {
                if (sawInducedFullGc)
                {
                    heap.TrySetResult(e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4);
                }
            };
            source.Process();
        });

        try
        {
            var managed = await heap.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
            return new MemoryReading(managed, ResidentBytes(processId));
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await processing.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
