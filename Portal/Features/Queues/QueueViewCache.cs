using System.Collections.Concurrent;
using System.Text.Json;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Queues;

/// <summary>
/// Shares queue results between the open pages that show the same view. When a case changes, every open queue page
/// and navigation in its scope re-queries at about the same moment; identical requests then cost one query, not one
/// per page. <see cref="QueueService"/> still decides what a scope may see: this class only remembers its answers, under
/// a key holding everything the answer depends on (the viewer's roles and countries, the user for queues that depend
/// on the user, the queue, filter, order and page), so no answer ever reaches a viewer of another scope.
/// <para>
/// A result is kept until a live event of a country it covers arrives (dropped before any page hears of the event, so
/// a page re-querying because of it always reads after the change), and never longer than a short maximum age, which
/// bounds what a write without a live event, or the passing of time (due and overdue follow-ups), can leave stale.
/// Concurrent requests for the same view share one query (single flight); a request after a live event never joins a
/// query that started before it.
/// </para>
/// </summary>
public sealed class QueueViewCache : IDisposable
{
    /// <summary>Long enough for every open page to re-query after one change, short enough that nothing lingers.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromSeconds(2);

    /// <summary>Between two changes a user typing in the number filter makes a new view per keystroke; this bounds them.</summary>
    internal const int MaxEntries = 2000;

    private readonly Func<UserScope, QueueRequest, CancellationToken, Task<QueuePage>> _pages;
    private readonly Func<UserScope, CancellationToken, Task<QueueCounts>> _counts;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _maxAge;
    private readonly IDisposable _observation;
    private readonly ConcurrentDictionary<string, Entry<QueuePage>> _pageEntries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<QueueCounts>> _countEntries = new(StringComparer.Ordinal);

    public QueueViewCache(QueueService queues, InProcessLiveEvents liveEvents, TimeProvider clock)
        : this(queues.GetPageAsync, queues.GetCountsAsync, liveEvents, clock, DefaultMaxAge)
    {
    }

    internal QueueViewCache(
        Func<UserScope, QueueRequest, CancellationToken, Task<QueuePage>> pages,
        Func<UserScope, CancellationToken, Task<QueueCounts>> counts,
        InProcessLiveEvents liveEvents,
        TimeProvider clock,
        TimeSpan maxAge)
    {
        _pages = pages;
        _counts = counts;
        _clock = clock;
        _maxAge = maxAge;
        // Every event reaches this process through InProcessLiveEvents.Deliver, those of other nodes (Redis) included.
        _observation = liveEvents.Observe(Invalidate);
    }

    internal int Count => _pageEntries.Count + _countEntries.Count;

    /// <summary>As <see cref="QueueService.GetPageAsync"/>, shared with identical views of the same scope.</summary>
    public Task<QueuePage> GetPageAsync(UserScope scope, QueueRequest request, CancellationToken cancellationToken = default) =>
        GetAsync(_pageEntries, PageKey(scope, request), scope, token => _pages(scope, request, token), cancellationToken);

    /// <summary>As <see cref="QueueService.GetCountsAsync"/>, shared between the pages of one user (My cases is theirs alone).</summary>
    public Task<QueueCounts> GetCountsAsync(UserScope scope, CancellationToken cancellationToken = default) =>
        GetAsync(_countEntries, CountsKey(scope), scope, token => _counts(scope, token), cancellationToken);

    public void Dispose() => _observation.Dispose();

    /// <summary>
    /// Everything of the viewer that <see cref="QueueService"/>'s queries depend on: roles (coordinators see other queues
    /// and every country), countries, and the user where the queue is theirs (<see cref="QueueService.DependsOnViewer"/>).
    /// </summary>
    internal static string ScopeKey(UserScope scope, bool perUser) =>
        string.Join(
            '|',
            perUser ? scope.UserId : "*",
            string.Join(',', scope.Roles.Order(StringComparer.Ordinal)),
            string.Join(',', scope.Countries.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal)));

    internal static string PageKey(UserScope scope, QueueRequest request) =>
        string.Join(
            '\n',
            ScopeKey(scope, QueueService.DependsOnViewer(request.Queue)),
            request.Queue,
            JsonSerializer.Serialize(request.Filter),
            request.Sort,
            request.Descending,
            request.Page,
            request.PageSize,
            request.After?.Number,
            request.After?.OpenedAtUtc.Ticks);

    internal static string CountsKey(UserScope scope) => ScopeKey(scope, perUser: true);

    /// <summary>The countries whose changes can alter what this viewer is shown; null for every country.</summary>
    private static IReadOnlySet<string>? CountriesOf(UserScope scope) =>
        scope.AllCountries ? null : scope.IsAdvocate ? scope.Countries : EmptyCountries;

    private static readonly IReadOnlySet<string> EmptyCountries = new HashSet<string>();

    private void Invalidate(LiveEvent liveEvent)
    {
        if (liveEvent.Kind is LiveEventKind.NotificationCreated or LiveEventKind.NotificationRead)
        {
            return; // a notification changes no queue
        }

        Drop(_pageEntries, liveEvent.CountryCode);
        Drop(_countEntries, liveEvent.CountryCode);
    }

    private static void Drop<T>(ConcurrentDictionary<string, Entry<T>> entries, string? countryCode)
    {
        foreach (var pair in entries)
        {
            if (string.IsNullOrEmpty(countryCode) || pair.Value.Countries is null || pair.Value.Countries.Contains(countryCode))
            {
                entries.TryRemove(pair);
            }
        }
    }

    private async Task<T> GetAsync<T>(
        ConcurrentDictionary<string, Entry<T>> entries, string key, UserScope scope, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
    {
        Entry<T> entry;
        var inserted = false;
        while (true)
        {
            if (entries.TryGetValue(key, out var existing))
            {
                if (_clock.GetElapsedTime(existing.Started) < _maxAge)
                {
                    entry = existing;
                    break;
                }

                var replacement = new Entry<T>(CountriesOf(scope), _clock.GetTimestamp());
                if (entries.TryUpdate(key, replacement, existing))
                {
                    entry = replacement;
                    inserted = true;
                    break;
                }
            }
            else
            {
                var created = new Entry<T>(CountriesOf(scope), _clock.GetTimestamp());
                if (entries.TryAdd(key, created))
                {
                    entry = created;
                    inserted = true;
                    Trim(entries);
                    break;
                }
            }
        }

        if (inserted)
        {
            // Not awaited here: this request waits for the result below like the others, and may stop waiting.
            _ = entry.RunAsync(load);
        }

        try
        {
            return await entry.Value.WaitAsync(cancellationToken);
        }
        catch when (entry.Value.IsFaulted || entry.Value.IsCanceled)
        {
            // A failure is not remembered: the next request tries again.
            entries.TryRemove(new KeyValuePair<string, Entry<T>>(key, entry));
            throw;
        }
    }

    private void Trim<T>(ConcurrentDictionary<string, Entry<T>> entries)
    {
        if (entries.Count <= MaxEntries)
        {
            return;
        }

        foreach (var pair in entries)
        {
            if (_clock.GetElapsedTime(pair.Value.Started) >= _maxAge)
            {
                entries.TryRemove(pair);
            }
        }

        if (entries.Count > MaxEntries)
        {
            entries.Clear();
        }
    }

    /// <summary>
    /// One shared result. The request that puts the entry in the dictionary runs the query; the others await its task and
    /// never block a thread on it (SQLite's "async" queries run synchronously: a lock held for the query's length would
    /// hold every waiting page's thread, and hundreds of pages starve the thread pool).
    /// </summary>
    private sealed class Entry<T>(IReadOnlySet<string>? countries, long started)
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlySet<string>? Countries { get; } = countries;

        public long Started { get; } = started;

        public Task<T> Value => _result.Task;

        /// <summary>Called once, by the request that inserted the entry, after inserting it: a live event that drops it comes after.</summary>
        public async Task RunAsync(Func<CancellationToken, Task<T>> load)
        {
            try
            {
                // The query runs to the end for whoever shares it; one page closing stops only its own wait.
                _result.TrySetResult(await load(CancellationToken.None));
            }
            catch (OperationCanceledException ex)
            {
                _result.TrySetCanceled(ex.CancellationToken);
            }
            catch (Exception ex)
            {
                _result.TrySetException(ex);
            }
        }
    }
}
