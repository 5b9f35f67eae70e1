using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Referrals;

namespace Portal.Features.Queues;

public enum QueueKind
{
    /// <summary>Open cases nobody holds: fresh intakes and released cases.</summary>
    NewIntakes,

    /// <summary>Open cases assigned to the viewer.</summary>
    MyCases,

    /// <summary>Open cases with a follow-up due today or overdue (the viewer's own cases; every case for coordinators).</summary>
    DueFollowUps,

    /// <summary>Cases whose closure waits for a coordinator's decision. Coordinators only.</summary>
    AwaitingClosure,

    /// <summary>Every case in the viewer's countries, closed ones included.</summary>
    AllCases,
}

/// <summary>The columns a queue sorts by; every order ends with the case number, which is unique (see QueueKeyset).</summary>
public enum QueueSort
{
    /// <summary>By when the case was opened.</summary>
    Opened,
    Number,

    /// <summary>By risk, then by waiting time: the longest waiting first among the most urgent.</summary>
    Risk,

    /// <summary>By stage, in the order a case moves through them.</summary>
    Status,
    Country,

    /// <summary>By the earliest follow-up still to do (its effective due moment); cases with none come last either way.</summary>
    NextDue,

    /// <summary>By the name of the advocate who holds the case; cases nobody holds come last either way.</summary>
    Assignee,
}

/// <summary>An order of a queue: a column and its direction. Written once per queue as its default (<see cref="DefaultFor"/>).</summary>
public sealed record QueueOrder(QueueSort Sort, bool Descending)
{
    /// <summary>
    /// What each queue puts first: the most urgent new intake that has waited longest, the case of the viewer that falls
    /// due first, the most overdue follow-up, the oldest closure request, the newest case.
    /// </summary>
    public static QueueOrder DefaultFor(QueueKind queue) => queue switch
    {
        QueueKind.NewIntakes => new(QueueSort.Risk, Descending: true),
        QueueKind.MyCases or QueueKind.DueFollowUps => new(QueueSort.NextDue, Descending: false),
        QueueKind.AwaitingClosure => new(QueueSort.Opened, Descending: false),
        _ => new(QueueSort.Opened, Descending: true),
    };

    /// <summary>A header clicked: the same column turns round; another starts where its most urgent end is (highest risk, soonest due).</summary>
    public QueueOrder Then(QueueSort clicked) =>
        clicked == Sort ? this with { Descending = !Descending } : new(clicked, Descending: clicked == QueueSort.Risk);
}

/// <summary>What a user can narrow a queue by; also what a saved queue stores.</summary>
public sealed record QueueFilter
{
    public IReadOnlyList<CaseStatus> Statuses { get; init; } = [];

    public IReadOnlyList<RiskLevel> RiskLevels { get; init; } = [];

    public string? CountryCode { get; init; }

    public ReferralType? ReferralType { get; init; }

    public bool OverdueOnly { get; init; }

    /// <summary>Cases with a paternity claim that has not moved for the configured time (Portal:Paternity:StaleAfterDays).</summary>
    public bool StalePaternityOnly { get; init; }

    /// <summary>
    /// Part of a case number ("0042", "CD-2026"), or a survivor's whole reference code ("K7QM-4HXP-R2TD"), which is found
    /// by an exact match on its unique index. Nothing sealed is searched: see README, "Searching the queues".
    /// </summary>
    public string? NumberSearch { get; init; }

    // The criteria below let a dashboard figure open a queue of exactly the cases it counts (see QueueQuery for
    // their query-string names). Dates are whole UTC days, both ends included.

    /// <summary>Open and held by nobody (fresh intakes and released cases), as the New intakes queue.</summary>
    public bool Unclaimed { get; init; }

    /// <summary>Has an open follow-up whose effective due moment falls today (UTC).</summary>
    public bool DueToday { get; init; }

    /// <summary>With <see cref="ReferralType"/>, <see cref="ReferralSentFrom"/>/<see cref="ReferralSentTo"/> and <see cref="ReferralAccepted"/>: one referral must match them all.</summary>
    public ReferralStatus? ReferralStatus { get; init; }

    /// <summary>The referral was sent to its provider on or after this day (a draft never was).</summary>
    public DateOnly? ReferralSentFrom { get; init; }

    /// <summary>The referral was sent to its provider on or before this day.</summary>
    public DateOnly? ReferralSentTo { get; init; }

    /// <summary>The referral has been accepted by the provider at some point (whatever happened after).</summary>
    public bool ReferralAccepted { get; init; }

    /// <summary>Has a paternity claim in this status.</summary>
    public PaternityClaimStatus? ClaimStatus { get; init; }

    /// <summary>Has a paternity claim still under way (not in a final status).</summary>
    public bool PendingClaim { get; init; }

    /// <summary>Has a stale paternity claim: under way and without movement for the configured time (Portal:Paternity:StaleAfterDays).</summary>
    public bool StaleClaim { get; init; }

    public DateOnly? OpenedFrom { get; init; }

    public DateOnly? OpenedTo { get; init; }

    /// <summary>An advocate has taken the case up at least once (it has a first contact).</summary>
    public bool Contacted { get; init; }

    public DateOnly? ClosedFrom { get; init; }

    public DateOnly? ClosedTo { get; init; }

    /// <summary>The allegation was reported in this year.</summary>
    public int? AllegationYear { get; init; }

    /// <summary>True: the allegation concerns a peacekeeping or special political mission; false: any other entity.</summary>
    public bool? AllegationUnMission { get; init; }

    public static QueueFilter None { get; } = new();
}

/// <summary>
/// A page request. <see cref="After"/> is the last row of the previous page when the user pages forward: the
/// query then seeks past it instead of counting and skipping every earlier row (keyset pagination). Without a
/// <see cref="Sort"/>, the queue's own order (<see cref="QueueOrder.DefaultFor"/>) and <see cref="Descending"/> is ignored.
/// </summary>
public sealed record QueueRequest(
    QueueKind Queue,
    QueueFilter Filter,
    QueueSort? Sort = null,
    bool Descending = false,
    int Page = 0,
    int PageSize = 25,
    QueueRow? After = null)
{
    public QueueOrder Order => Sort is { } sort ? new QueueOrder(sort, Descending) : QueueOrder.DefaultFor(Queue);
}

public sealed record QueueRow(
    Guid CaseId,
    string Number,
    string CountryCode,
    CaseStatus Status,
    RiskLevel RiskLevel,
    DateTime OpenedAtUtc,
    DateTime? NextFollowUpDueUtc,
    string? AssigneeId,
    string? AssigneeName)
{
    /// <summary>The person wrote something that the case's advocate has not read yet.</summary>
    public bool UnreadFromPerson { get; init; }
}

/// <summary>A page of a queue and how many cases the queue holds, counted as far as <see cref="QueueCount.Limit"/> and one more.</summary>
public sealed record QueuePage(IReadOnlyList<QueueRow> Rows, int TotalCount);

/// <summary>
/// Queue totals are counted no further than <see cref="Limit"/> and one more, which stands for "more than the limit": an
/// exact total reads every matching case, a page only the rows it shows, and nobody pages through a thousand cases (every
/// column sorts both ways, so the end of a queue is the start of its reverse).
/// </summary>
public static class QueueCount
{
    public const int Limit = 1000;

    /// <summary>Whether the figure stands for "more than <see cref="Limit"/>" rather than an exact total.</summary>
    public static bool IsBeyondLimit(int count) => count > Limit;

    /// <summary>The cases counted as far as the limit and one more.</summary>
    public static Task<int> OfAsync<T>(IQueryable<T> rows, CancellationToken cancellationToken) => rows.Take(Limit + 1).CountAsync(cancellationToken);
}

/// <summary>The first page as the prerendered queue showed it, and the moment it was read.</summary>
public sealed record PrerenderedRows(IReadOnlyList<QueueRow> Rows, int Total, DateTime Now);

/// <summary>What the queue table asks for: a page and its size (the page holds the order).</summary>
public sealed record QueueTableState(int Page, int PageSize);

/// <summary>Each queue's total, counted as a page's is (<see cref="QueueCount"/>).</summary>
public sealed record QueueCounts(int NewIntakes, int MyCases, int DueFollowUps, int? AwaitingClosure, int AllCases)
{
    public int For(QueueKind queue) => queue switch
    {
        QueueKind.NewIntakes => NewIntakes,
        QueueKind.MyCases => MyCases,
        QueueKind.DueFollowUps => DueFollowUps,
        QueueKind.AwaitingClosure => AwaitingClosure ?? 0,
        _ => AllCases,
    };
}

/// <summary>
/// The navigation's latest queue counts, shared with its count components (<c>QueueNavCount</c>): a recount tells them,
/// and each re-renders only if its own figure changed.
/// </summary>
public sealed class QueueCountsView
{
    public QueueCounts? Counts { get; private set; }

    public event Action? Changed;

    public void Show(QueueCounts counts)
    {
        Counts = counts;
        Changed?.Invoke();
    }
}
