using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Portal.Benchmarks.Hosting;

/// <summary>
/// Live objects by type in another .NET process, from outside, the way dotnet-gcdump gathers them: a full GC that
/// walks the heap (EventPipe GCHeapSnapshot keywords) reports every live object's type and size in bulk events. Only the
/// sizes are summed (no reference graph): enough to say which types a page's circuits fill the heap with.
/// </summary>
public static class HeapHistogram
{
    public static async Task<IReadOnlyDictionary<string, (long Bytes, long Count)>> TakeAsync(int processId, TimeSpan? timeout = null)
    {
        var client = new DiagnosticsClient(processId);
        var providers = new[]
        {
            new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GCHeapSnapshot),
        };

        using var session = await client.StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 512, CancellationToken.None);
        var typeNames = new Dictionary<ulong, string>();
        var sizes = new Dictionary<ulong, (long Bytes, long Count)>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inducedDepth = -1;
        var processing = Task.Run(() =>
        {
            using var source = new EventPipeEventSource(session.EventStream);
            source.Clr.GCStart += e =>
            {
                if (inducedDepth < 0 && e.Depth == 2 && e.Reason is GCReason.Induced or GCReason.InducedNotForced or GCReason.InducedCompacting)
                {
                    inducedDepth = e.Depth;
                }
            };
            source.Clr.TypeBulkType += e =>
            {
                for (var i = 0; i < e.Count; i++)
                {
                    var type = e.Values(i);
                    typeNames[type.TypeID] = type.TypeName;
                }
            };
            source.Clr.GCBulkNode += e =>
            {
                for (var i = 0; i < e.Count; i++)
                {
                    var node = e.Values(i);
                    var (bytes, count) = sizes.GetValueOrDefault(node.TypeID);
                    sizes[node.TypeID] = (bytes + (long)node.Size, count + 1);
                }
            };
            source.Clr.GCStop += e =>
            {
                if (inducedDepth >= 0 && e.Depth == 2)
                {
                    done.TrySetResult();
                }
            };
            source.Process();
        });

        try
        {
            await done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(120));
            // The type names of the last nodes may follow the GC's end.
            await Task.Delay(2000);
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await processing.WaitAsync(TimeSpan.FromSeconds(30));
        }

        var byName = new Dictionary<string, (long Bytes, long Count)>();
        foreach (var (typeId, (bytes, count)) in sizes)
        {
            var name = typeNames.GetValueOrDefault(typeId) ?? $"type 0x{typeId:X}";
            var (b, c) = byName.GetValueOrDefault(name);
            byName[name] = (b + bytes, c + count);
        }

        return byName;
    }
}
