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

public enum QueueSort
{
    Opened,
    Number,
    Risk,
    Status,
    Country,
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

    /// <summary>Part of a case number, e.g. "0042" or "CD-2026".</summary>
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
/// query then seeks past it instead of counting and skipping every earlier row (keyset pagination).
/// </summary>
public sealed record QueueRequest(
    QueueKind Queue,
    QueueFilter Filter,
    QueueSort Sort = QueueSort.Opened,
    bool Descending = false,
    int Page = 0,
    int PageSize = 25,
    QueueRow? After = null);

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

public sealed record QueuePage(IReadOnlyList<QueueRow> Rows, int TotalCount);

/// <summary>What the queue table asks for: a page, its size, and the order the user chose (null: the queue's own).</summary>
public sealed record QueueTableState(int Page, int PageSize, QueueSort? Sort, bool Descending);

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
