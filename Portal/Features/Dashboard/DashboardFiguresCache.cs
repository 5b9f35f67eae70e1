using System.Collections.Concurrent;
using System.Globalization;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Dashboard;

/// <summary>
/// Shares the dashboard's figures between the open dashboards of the same view. Every open dashboard refreshes after
/// each change in its scope and once a minute, and at a million cases one computation takes seconds (BENCHMARKS.md,
/// queues at scale), so identical views must cost one computation, not one per wall screen. <see cref="DashboardService"/>
/// still checks the viewer on every call; this class only remembers answers, under a key holding everything the
/// computation depends on (roles, countries, the resolved filter), so no answer reaches a viewer of another scope.
/// <para>
/// An answer is dropped by any live event about cases (before pages hear of it, so a dashboard refreshing because of
/// it computes after the change) and lives at most <see cref="MaxAge"/>, which bounds what the passing of time (overdue
/// follow-ups, the period's last day) can leave stale. Concurrent requests share one computation; a request after a
/// live event never joins a computation that started before it; a failure is not kept.
/// </para>
/// </summary>
public sealed class DashboardFiguresCache : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly IDisposable _observation;
    private long _generation;
    private int _computations;

    public DashboardFiguresCache(InProcessLiveEvents liveEvents, TimeProvider clock)
    {
        _clock = clock;
        // Every event reaches this process through InProcessLiveEvents.Deliver, those of other nodes (Redis) included.
        _observation = liveEvents.Observe(e =>
        {
            if (e.Kind is not (LiveEventKind.NotificationCreated or LiveEventKind.NotificationRead))
            {
                Invalidate();
            }
        });
    }

    /// <summary>How many computations ran (tests).</summary>
    internal int Computations => Volatile.Read(ref _computations);

    public async Task<DashboardFigures> GetAsync(UserScope scope, DashboardFilter filter, Func<Task<DashboardFigures>> compute, CancellationToken cancellationToken)
    {
        var key = Key(scope, filter);
        while (true)
        {
            var generation = Interlocked.Read(ref _generation);
            var now = _clock.GetUtcNow();
            if (_entries.TryGetValue(key, out var existing) && existing.Generation == generation && now - existing.Born < MaxAge)
            {
                // A page that closes stops only its own wait, never the computation others wait for.
                return await existing.Result.Task.WaitAsync(cancellationToken);
            }

            var mine = new Entry(generation, now, new TaskCompletionSource<DashboardFigures>(TaskCreationOptions.RunContinuationsAsynchronously));
            if (existing is null ? !_entries.TryAdd(key, mine) : !_entries.TryUpdate(key, mine, existing))
            {
                continue; // another request put its entry there first: share that one
            }

            _ = RunAsync(key, mine, compute);
            return await mine.Result.Task.WaitAsync(cancellationToken);
        }
    }

    public void Dispose() => _observation.Dispose();

    internal static string Key(UserScope scope, DashboardFilter filter) =>
        string.Join(
            '|',
            string.Join(',', scope.Roles.Order(StringComparer.Ordinal)),
            string.Join(',', scope.Countries.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal)),
            filter.CountryCode?.ToUpperInvariant() ?? "*",
            filter.Period.ToString(),
            filter.Year?.ToString(CultureInfo.InvariantCulture) ?? "-");

    private void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private async Task RunAsync(string key, Entry entry, Func<Task<DashboardFigures>> compute)
    {
        Interlocked.Increment(ref _computations);
        try
        {
            entry.Result.SetResult(await compute());
        }
        catch (Exception ex)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            entry.Result.SetException(ex);
        }
    }

    private sealed record Entry(long Generation, DateTimeOffset Born, TaskCompletionSource<DashboardFigures> Result);
}
