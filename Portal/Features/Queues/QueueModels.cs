using Portal.Domain.Cases;
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

    /// <summary>Part of a case number, e.g. "0042" or "CD-2026".</summary>
    public string? NumberSearch { get; init; }

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
    string? AssigneeName);

public sealed record QueuePage(IReadOnlyList<QueueRow> Rows, int TotalCount);

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
