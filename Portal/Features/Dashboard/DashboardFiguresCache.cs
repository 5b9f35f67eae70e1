using System.Collections.Concurrent;
using System.Globalization;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Dashboard;

/// <summary>
/// Shares the dashboard's figures between the open dashboards of the same view. Every open dashboard refreshes after
/// each change in its scope and once a minute, and at a million cases one computation takes about half a second
/// (BENCHMARKS.md, queues at scale), so identical views must cost one computation, not one per wall screen.
/// <see cref="DashboardService"/> still checks the viewer on every call; this class only remembers answers, under a key
/// holding everything the computation depends on (roles, countries, the resolved filter), so no answer reaches a viewer
/// of another scope.
/// <para>
/// An answer covers a <see cref="DashboardPart"/>: all the figures, or the long read inside them that most changes
/// cannot move (allegations by year). It is dropped by any live event that can move its part (before pages hear of the
/// event, so a dashboard refreshing because of it computes after the change) and lives at most <see cref="MaxAge"/>,
/// which bounds what the passing of time (overdue follow-ups, the period's last day) can leave stale. So a claim
/// recomputes the figures but reuses the allegations. Concurrent requests share one computation; a request after a
/// live event never joins a computation that started before it; a failure is not kept.
/// </para>
/// <para>
/// The period's referrals, the longest read, are kept as rows and brought up to date case by case instead
/// (<see cref="LiveReferralRows"/>): a referral's change reads its case's referrals again, not the period's.
/// </para>
/// </summary>
public sealed class DashboardFiguresCache : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<DashboardPart, Counters> _parts = new(DashboardPart.All.Select(p => KeyValuePair.Create(p, new Counters())));
    private readonly TimeProvider _clock;
    private readonly IDisposable _observation;

    public DashboardFiguresCache(InProcessLiveEvents liveEvents, TimeProvider clock)
    {
        _clock = clock;
        Referrals = new LiveReferralRows(clock);
        // Every event reaches this process through InProcessLiveEvents.Deliver, those of other nodes (Redis) included.
        _observation = liveEvents.Observe(e =>
        {
            foreach (var part in DashboardPart.All.Where(p => p != DashboardPart.Referrals && p.MovedBy(e.Kind)))
            {
                Invalidate(part);
            }

            Referrals.Observe(e);
        });
    }

    /// <summary>The referral rows of each view (<see cref="DashboardPart.Referrals"/>).</summary>
    internal LiveReferralRows Referrals { get; }

    /// <summary>How many computations of all the figures ran (tests).</summary>
    internal int Computations => ComputationsOf(DashboardPart.Figures);

    /// <summary>How many computations of <paramref name="part"/> ran (tests); for the referrals, full reads.</summary>
    internal int ComputationsOf(DashboardPart part) => part == DashboardPart.Referrals ? Referrals.FullReads : Volatile.Read(ref _parts[part].Computations);

    public Task<DashboardFigures> GetAsync(UserScope scope, DashboardFilter filter, Func<Task<DashboardFigures>> compute, CancellationToken cancellationToken) =>
        GetAsync(DashboardPart.Figures, scope, filter, compute, cancellationToken);

    public async Task<T> GetAsync<T>(DashboardPart part, UserScope scope, DashboardFilter filter, Func<Task<T>> compute, CancellationToken cancellationToken)
    {
        var key = part.Name + "|" + Key(scope, filter);
        var counters = _parts[part];
        while (true)
        {
            var generation = Interlocked.Read(ref counters.Generation);
            var now = _clock.GetUtcNow();
            if (_entries.TryGetValue(key, out var existing) && existing.Generation == generation && now - existing.Born < MaxAge)
            {
                // A page that closes stops only its own wait, never the computation others wait for.
                return (T)await existing.Result.Task.WaitAsync(cancellationToken);
            }

            var mine = new Entry(generation, now, new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously));
            if (existing is null ? !_entries.TryAdd(key, mine) : !_entries.TryUpdate(key, mine, existing))
            {
                continue; // another request put its entry there first: share that one
            }

            _ = RunAsync(key, counters, mine, async () => (await compute())!);
            return (T)await mine.Result.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The referral figures of the view, from its rows as the live events have kept them.</summary>
    public Task<ReferralFigures> GetReferralsAsync(UserScope scope, DashboardFilter filter, DateRange period, ReferralReads reads) =>
        Referrals.GetAsync(string.Join('|', Key(scope, filter), period.From.ToString("O", CultureInfo.InvariantCulture), period.To.ToString("O", CultureInfo.InvariantCulture)), reads);

    public void Dispose() => _observation.Dispose();

    internal static string Key(UserScope scope, DashboardFilter filter) =>
        string.Join(
            '|',
            string.Join(',', scope.Roles.Order(StringComparer.Ordinal)),
            string.Join(',', scope.Countries.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal)),
            filter.CountryCode?.ToUpperInvariant() ?? "*",
            filter.Period.ToString(),
            filter.Year?.ToString(CultureInfo.InvariantCulture) ?? "-");

    private void Invalidate(DashboardPart part)
    {
        Interlocked.Increment(ref _parts[part].Generation);
        var prefix = part.Name + "|";
        foreach (var key in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            _entries.TryRemove(key, out _);
        }
    }

    private async Task RunAsync(string key, Counters counters, Entry entry, Func<Task<object>> compute)
    {
        Interlocked.Increment(ref counters.Computations);
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

    private sealed record Entry(long Generation, DateTimeOffset Born, TaskCompletionSource<object> Result);

    private sealed class Counters
    {
        public long Generation;
        public int Computations;
    }
}

/// <summary>What a kept answer covers, and which live events can change it.</summary>
/// <param name="Name">Part of the cache key.</param>
/// <param name="Unmoved">The kinds of event that cannot change this part; any other kind drops it (a new kind too).</param>
public sealed record DashboardPart(string Name, IReadOnlySet<LiveEventKind> Unmoved)
{
    /// <summary>Every figure: any event about cases can move one.</summary>
    public static readonly DashboardPart Figures = new("figures", new HashSet<LiveEventKind> { LiveEventKind.NotificationCreated, LiveEventKind.NotificationRead });

    /// <summary>
    /// The referrals sent in the period (counts, cases, time to acceptance). Only ReferralService writes referrals and
    /// it publishes ReferralChanged, with the case, for every change; a referral's case and country never change.
    /// Kept by <see cref="LiveReferralRows"/>, not as one answer.
    /// </summary>
    public static readonly DashboardPart Referrals = new("referrals", new HashSet<LiveEventKind>
    {
        LiveEventKind.CaseCreated, LiveEventKind.CaseClaimed, LiveEventKind.CaseReleased, LiveEventKind.CaseStatusChanged,
        LiveEventKind.CaseChanged, LiveEventKind.FollowUpChanged, LiveEventKind.NoteAdded, LiveEventKind.ChildChanged, LiveEventKind.PaternityClaimChanged,
        LiveEventKind.NotificationCreated, LiveEventKind.NotificationRead,
    });

    /// <summary>
    /// Allegations by year reported: recorded and corrected on an existing case (CaseService publishes CaseChanged); an
    /// intake opens a case without one.
    /// </summary>
    public static readonly DashboardPart Allegations = new("allegations", new HashSet<LiveEventKind>
    {
        LiveEventKind.CaseCreated, LiveEventKind.CaseClaimed, LiveEventKind.CaseReleased, LiveEventKind.CaseStatusChanged, LiveEventKind.ReferralChanged,
        LiveEventKind.FollowUpChanged, LiveEventKind.NoteAdded, LiveEventKind.ChildChanged, LiveEventKind.PaternityClaimChanged,
        LiveEventKind.NotificationCreated, LiveEventKind.NotificationRead,
    });

    public static IReadOnlyList<DashboardPart> All { get; } = [Figures, Referrals, Allegations];

    public bool MovedBy(LiveEventKind kind) => !Unmoved.Contains(kind);

    // One instance per part: compared by name, not by the set's reference.
    public bool Equals(DashboardPart? other) => other is not null && other.Name == Name;

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
}
