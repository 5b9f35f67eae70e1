using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.Extensions.Caching.Hybrid;

namespace Portal.Infrastructure.Live;

/// <summary>
/// What a kept answer is: its key (everything the answer depends on, the viewer's scope included, so an answer never
/// reaches a viewer of another scope), the tags a live event drops it by, and how long it may live without one.
/// </summary>
public sealed record LiveView(string Key, IReadOnlyList<string> Tags, TimeSpan MaxAge);

/// <summary>
/// Answers that open pages share, on <see cref="HybridCache"/>: identical requests wait for one computation, and an
/// answer is kept until a live event drops one of its tags, or its maximum age passes (which bounds what the passing of
/// time, or a change without an event, can leave stale). Features say which tags their views carry and which tags an
/// event drops (<see cref="Observe"/>); the drop happens before any page is handed the event, so a page that re-queries
/// because of an event computes after the change.
/// <para>
/// HybridCache lets a request join a computation that started before a tag was dropped, and keeps what such a
/// computation returns as if it were new. So each answer carries the invalidation count at which its computation
/// started, and one computed across a drop of its tags is dropped and computed again instead of being returned.
/// </para>
/// <para>
/// Answers stay in this node's memory (no Redis level): they are valid only until the next live event, which each node
/// hears at its own moment and drops in its own memory; HybridCache's cross-node check would compare the clocks of
/// different machines, and every node recomputes within the event's delivery time anyway.
/// </para>
/// </summary>
public sealed class LiveViewCache(HybridCache cache, InProcessLiveEvents liveEvents)
{
    private readonly ConcurrentDictionary<string, long> _droppedAt = new(StringComparer.Ordinal);
    private long _drops;

    /// <summary>
    /// Drops, for every live event (this node's and those arriving from others), the tags <paramref name="tagsMovedBy"/>
    /// names for it, before any page is handed the event. Disposing ends it.
    /// </summary>
    public IDisposable Observe(Func<LiveEvent, IReadOnlyCollection<string>> tagsMovedBy) =>
        liveEvents.Observe(e => Drop(tagsMovedBy(e)));

    /// <summary>The answer of <paramref name="view"/>: kept, shared with a computation under way, or computed now.</summary>
    /// <param name="compute">
    /// Runs at most once for all the requests that share it, on the thread of the request that starts it, and to the end
    /// for whoever shares it: <paramref name="cancellationToken"/> stops only this request's wait.
    /// </param>
    public async Task<T> GetAsync<T>(LiveView view, Func<CancellationToken, Task<T>> compute, CancellationToken cancellationToken = default)
    {
        var kept = await SharedAsync(view, compute).WaitAsync(cancellationToken);
        if (IsCurrent(kept, view.Tags))
        {
            return kept.Value;
        }

        // Computed across a drop of its tags: its reads may predate the change. A computation started from here on starts
        // after the drop; if another drop overtakes it too, the answer is computed for this request alone.
        await cache.RemoveAsync(view.Key, cancellationToken);
        kept = await SharedAsync(view, compute).WaitAsync(cancellationToken);
        return IsCurrent(kept, view.Tags) ? kept.Value : await compute(cancellationToken);
    }

    /// <summary>
    /// The shared computation, given no request's token: HybridCache queues a computation whose token can be cancelled to
    /// the thread pool, where it waits behind all the work already queued (after a change, every open dashboard's
    /// parallel reads) while the request's own thread sits idle. Without one it runs on the request's thread.
    /// </summary>
    private Task<Kept<T>> SharedAsync<T>(LiveView view, Func<CancellationToken, Task<T>> compute)
    {
        var options = new HybridCacheEntryOptions
        {
            Expiration = view.MaxAge,
            LocalCacheExpiration = view.MaxAge,
            Flags = HybridCacheEntryFlags.DisableDistributedCache | HybridCacheEntryFlags.DisableCompression,
        };
        return cache.GetOrCreateAsync(view.Key, (this, compute), Compute, options, view.Tags, CancellationToken.None).AsTask();

        static async ValueTask<Kept<T>> Compute((LiveViewCache Cache, Func<CancellationToken, Task<T>> Compute) state, CancellationToken token)
        {
            var started = Interlocked.Read(ref state.Cache._drops);
            return new Kept<T>(await state.Compute(token), started);
        }
    }

    /// <summary>Drops every answer carrying one of <paramref name="tags"/>; a computation under way is not kept either.</summary>
    public void Drop(IReadOnlyCollection<string> tags)
    {
        if (tags.Count == 0)
        {
            return;
        }

        var drop = Interlocked.Increment(ref _drops);
        foreach (var tag in tags)
        {
            // The highest count wins: two events can drop the same tag at once on different threads.
            _droppedAt.AddOrUpdate(tag, drop, (_, earlier) => Math.Max(earlier, drop));

            // Without a distributed level the removal is made before this returns; either way an answer computed before
            // the drop is never returned (see IsCurrent).
            _ = cache.RemoveByTagAsync(tag).AsTask();
        }
    }

    /// <summary>Whether the answer's computation started after the last drop of each of its tags.</summary>
    private bool IsCurrent<T>(Kept<T> kept, IReadOnlyList<string> tags)
    {
        foreach (var tag in tags)
        {
            if (_droppedAt.TryGetValue(tag, out var droppedAt) && droppedAt > kept.Started)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An answer and the number of drops made when its computation started. Immutable: HybridCache keeps the instance as it is.</summary>
    [ImmutableObject(true)]
    private sealed class Kept<T>(T value, long started)
    {
        public T Value { get; } = value;

        public long Started { get; } = started;
    }
}
