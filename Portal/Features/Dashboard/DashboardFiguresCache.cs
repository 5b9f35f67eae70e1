using System.Collections.Concurrent;
using System.Globalization;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Dashboard;

/// <summary>
/// Shares the dashboard's figures between the open dashboards of the same view (<see cref="LiveViewCache"/>): every
/// open dashboard refreshes after each change in its scope and once a minute, so identical views must cost one
/// computation, not one per wall screen. <see cref="DashboardService"/> still checks the viewer on every call; this
/// class says what an answer depends on (its key: roles, countries, the resolved filter) and which events drop it.
/// <para>
/// An answer covers a <see cref="DashboardPart"/>: all the figures, or the long read inside them that most changes
/// cannot move (allegations by year), each dropped by the events that can move it, by country. So a claim recomputes
/// the figures but reuses the allegations. The period's referrals, the longest read, are kept as rows and brought up
/// to date case by case instead (<see cref="LiveReferralRows"/>).
/// </para>
/// </summary>
public sealed class DashboardFiguresCache : IDisposable
{
    /// <summary>Bounds what the passing of time (overdue follow-ups, the period's last day) can leave stale.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(20);

    private readonly LiveViewCache _views;
    private readonly ConcurrentDictionary<DashboardPart, int> _computations = new();
    private readonly IDisposable _tagObservation;
    private readonly IDisposable _referralObservation;

    public DashboardFiguresCache(LiveViewCache views, InProcessLiveEvents liveEvents, TimeProvider clock)
    {
        _views = views;
        Referrals = new LiveReferralRows(clock);
        _tagObservation = views.Observe(TagsMovedBy);
        _referralObservation = liveEvents.Observe(Referrals.Observe);
    }

    /// <summary>The referral rows of each view (<see cref="DashboardPart.Referrals"/>).</summary>
    internal LiveReferralRows Referrals { get; }

    /// <summary>How many computations of all the figures ran (tests).</summary>
    internal int Computations => ComputationsOf(DashboardPart.Figures);

    /// <summary>How many computations of <paramref name="part"/> ran (tests); for the referrals, full reads.</summary>
    internal int ComputationsOf(DashboardPart part) => part == DashboardPart.Referrals ? Referrals.FullReads : _computations.GetValueOrDefault(part);

    public Task<DashboardFigures> GetAsync(UserScope scope, DashboardFilter filter, Func<CancellationToken, Task<DashboardFigures>> compute, CancellationToken cancellationToken) =>
        GetAsync(DashboardPart.Figures, scope, filter, compute, cancellationToken);

    public Task<T> GetAsync<T>(DashboardPart part, UserScope scope, DashboardFilter filter, Func<CancellationToken, Task<T>> compute, CancellationToken cancellationToken)
    {
        return _views.GetAsync(View(part, scope, filter), token =>
        {
            _computations.AddOrUpdate(part, 1, (_, count) => count + 1);
            return compute(token);
        }, cancellationToken);
    }

    /// <summary>The referral figures of the view, from its rows as the live events have kept them.</summary>
    public Task<ReferralFigures> GetReferralsAsync(UserScope scope, DashboardFilter filter, DateRange period, ReferralReads reads) =>
        Referrals.GetAsync(string.Join('|', Key(scope, filter), period.From.ToString("O", CultureInfo.InvariantCulture), period.To.ToString("O", CultureInfo.InvariantCulture)), reads);

    public void Dispose()
    {
        _tagObservation.Dispose();
        _referralObservation.Dispose();
    }

    internal static string Key(UserScope scope, DashboardFilter filter) =>
        string.Join(
            '|',
            string.Join(',', scope.Roles.Order(StringComparer.Ordinal)),
            string.Join(',', scope.Countries.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal)),
            filter.CountryCode?.ToUpperInvariant() ?? "*",
            filter.Period.ToString(),
            filter.Year?.ToString(CultureInfo.InvariantCulture) ?? "-");

    /// <summary>A part of one view: dropped by the events of the country it shows, or of any country it covers.</summary>
    internal static LiveView View(DashboardPart part, UserScope scope, DashboardFilter filter)
    {
        IEnumerable<string?> countries = filter.CountryCode is { } country ? [country] : scope.AllCountries ? [null] : scope.Countries;
        return new LiveView(part.Name + "|" + Key(scope, filter), [part.Tag, .. countries.Select(part.CountryTag)], MaxAge);
    }

    /// <summary>The tags of the kept parts that <paramref name="liveEvent"/> can move; one without a country drops them in every view.</summary>
    internal static IReadOnlyCollection<string> TagsMovedBy(LiveEvent liveEvent) =>
        DashboardPart.All.Where(p => p != DashboardPart.Referrals && p.MovedBy(liveEvent.Kind))
            .SelectMany(p => string.IsNullOrEmpty(liveEvent.CountryCode) ? [p.Tag] : new[] { p.CountryTag(liveEvent.CountryCode), p.CountryTag(null) })
            .ToList();
}

/// <summary>What a kept answer covers, and which live events can change it.</summary>
/// <param name="Name">Part of the cache key.</param>
/// <param name="Unmoved">The kinds of event that cannot change this part; any other kind drops it (a new kind too).</param>
public sealed record DashboardPart(string Name, IReadOnlySet<LiveEventKind> Unmoved)
{
    // Notifications and documents are counted by no part of the dashboard.
    private static readonly HashSet<LiveEventKind> Notifications = [LiveEventKind.NotificationCreated, LiveEventKind.NotificationRead, LiveEventKind.DocumentChanged];

    /// <summary>Every figure: any event about cases can move one.</summary>
    public static readonly DashboardPart Figures = new("figures", Notifications);

    /// <summary>
    /// The referrals sent in the period (counts, cases, time to acceptance), kept by <see cref="LiveReferralRows"/>: any
    /// event about a case has that case's referrals read again, whichever feature wrote them.
    /// </summary>
    public static readonly DashboardPart Referrals = new("referrals", Notifications);

    /// <summary>
    /// Allegations by year reported: recorded and corrected on an existing case (CaseService publishes CaseChanged); an
    /// intake opens a case without one.
    /// </summary>
    public static readonly DashboardPart Allegations = new("allegations", new HashSet<LiveEventKind>
    {
        LiveEventKind.CaseCreated, LiveEventKind.CaseClaimed, LiveEventKind.CaseReleased, LiveEventKind.CaseStatusChanged, LiveEventKind.ReferralChanged,
        LiveEventKind.FollowUpChanged, LiveEventKind.NoteAdded, LiveEventKind.ChildChanged, LiveEventKind.PaternityClaimChanged,
        LiveEventKind.NotificationCreated, LiveEventKind.NotificationRead, LiveEventKind.DocumentChanged,
    });

    public static IReadOnlyList<DashboardPart> All { get; } = [Figures, Referrals, Allegations];

    /// <summary>The tag every kept answer of this part carries.</summary>
    public string Tag => "dashboard-" + Name;

    public bool MovedBy(LiveEventKind kind) => !Unmoved.Contains(kind);

    /// <summary>The tag of this part's answers about one country, or (null) about every country.</summary>
    public string CountryTag(string? countryCode) => Tag + ":" + (countryCode?.ToUpperInvariant() ?? "all-countries");

    // One instance per part: compared by name, not by the set's reference.
    public bool Equals(DashboardPart? other) => other is not null && other.Name == Name;

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
}
