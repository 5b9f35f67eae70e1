using Portal.Domain.Cases;
using Portal.Domain.Consents;
using Portal.Domain.Documents;
using Portal.Domain.FollowUps;
using Portal.Domain.Plans;
using Portal.Domain.Referrals;
using Portal.Features.Reminders;

namespace Portal.Features.Cases;

/// <summary>
/// The case page's header and overview (profile, allegation, consent); the identity needs an explicit reveal, and each
/// other tab loads its own part (referrals, children, follow-ups, timeline) through its own service.
/// </summary>
public sealed record CaseWorkspace(
    Case Case,
    string? AssigneeName,
    IReadOnlySet<CaseAction> Actions,
    DateTime? NextFollowUpDueUtc,
    bool HasIdentityRecord,
    IReadOnlyDictionary<string, string> UserNames)
{
    /// <summary>When the person last changed how they may be contacted (through the status page); null if they never did.</summary>
    public DateTime? ContactChangedByPersonAtUtc { get; init; }

    /// <summary>Since when something the person wrote waits unread; null when all of it was read.</summary>
    public DateTime? UnreadFromPersonSinceUtc { get; init; }

    public string NameOf(string? userId) =>
        userId is null ? "" : UserNames.TryGetValue(userId, out var name) ? name : userId;

    public ConsentRecord? Consent => Case.CurrentConsent;
}

/// <summary>The case's history, newest first, and the names of the people in it.</summary>
public sealed record TimelineView(IReadOnlyList<TimelineEntry> Entries, IReadOnlyDictionary<string, string> UserNames)
{
    public string NameOf(string? userId) =>
        userId is null ? "" : UserNames.TryGetValue(userId, out var name) ? name : userId;
}

public enum TimelineKind
{
    Status,
    Note,
    Referral,
    FollowUp,
    Consent,
    Notification,
    Assessment,
    Goal,
    RequestLinked,
    Document,
}

/// <summary>
/// One line of the case's history; <see cref="Text"/> is user text and always rendered as text. <see cref="Title"/>
/// is an English description; the page shows a translated one from the structured parts where they are set.
/// </summary>
public sealed record TimelineEntry(DateTime AtUtc, TimelineKind Kind, string Title, string? Text, string? ByUserId)
{
    public CaseStatus? FromStatus { get; init; }

    public CaseStatus? ToStatus { get; init; }

    public ReferralType? ReferralType { get; init; }

    public ReferralStatus? ReferralStatus { get; init; }

    public string? ProviderName { get; init; }

    /// <summary>For a referral's step that gave an appointment: its time.</summary>
    public DateTime? AppointmentAtUtc { get; init; }

    public FollowUpKind? FollowUpKind { get; init; }

    public DateTime? MovedToUtc { get; init; }

    public ConsentGiver? ConsentGiver { get; init; }

    /// <summary>For an assessment: the version recorded and the risk it found.</summary>
    public (int Version, RiskLevel Risk)? Assessment { get; init; }

    /// <summary>For a goal: what happened to it (added while Open, or achieved or dropped).</summary>
    public GoalStatus? GoalStatus { get; init; }

    /// <summary>For a document: its type (never its name, which only those working the case see).</summary>
    public DocumentKind? DocumentKind { get; init; }

    /// <summary>For a document: true on the line saying it was deleted (with the reason as its text).</summary>
    public bool DocumentDeleted { get; init; }

    /// <summary>For a request linked from one case into another: the other case's number.</summary>
    public string? LinkedCase { get; init; }

    /// <summary>For a linked request: true on the case it left (linked into <see cref="LinkedCase"/>), false on the case it joined.</summary>
    public bool LinkedInto { get; init; }

    /// <summary>For a reminder or escalation sent about the case: what was sent, to whom and how.</summary>
    public SentNotification? Sent { get; init; }
}

/// <summary>A closure waiting for a coordinator: who asked, why, in their words.</summary>
public sealed record ClosureRequestView(string RequestedBy, CaseClosureReason Reason, string? Comment);

/// <summary>A closure request as its author left it, kept as one draft.</summary>
public sealed record ClosureRequestDraft(CaseClosureReason? Reason, string? Comment);

public enum CaseTransition
{
    StartActionPlan,
    StartAssistance,
    StartFollowUp,
    RequestClosure,
    ApproveClosure,
    RejectClosure,
    Reopen,
}

/// <summary>
/// Who the person is. <see cref="IdentityDetails.SafeContactTimes"/> is the latest instruction the person gave;
/// <see cref="SafeTimesHistory"/> says when and how it came to be, oldest first.
/// </summary>
public sealed record IdentityView(IdentityDetails Details)
{
    public IReadOnlyList<SafeTimesChange> SafeTimesHistory { get; init; } = [];
}

/// <summary>A safe time the person gave: with their request (<see cref="Addition"/> null) or in a later addition.</summary>
public sealed record SafeTimesChange(DateTime AtUtc, string ReferenceCode, int? Addition, string SafeTimes);
