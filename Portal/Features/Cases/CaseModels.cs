using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Consents;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;

namespace Portal.Features.Cases;

/// <summary>Everything the case page shows, except the identity, which needs an explicit reveal.</summary>
public sealed record CaseWorkspace(
    Case Case,
    string? AssigneeName,
    IReadOnlySet<CaseAction> Actions,
    DateTime? NextFollowUpDueUtc,
    IReadOnlyList<ReferralSummary> Referrals,
    IReadOnlyList<ChildSummary> Children,
    IReadOnlyList<FollowUp> FollowUps,
    IReadOnlyList<TimelineEntry> Timeline,
    bool HasIdentityRecord,
    IReadOnlyDictionary<string, string> UserNames)
{
    public string NameOf(string? userId) =>
        userId is null ? "" : UserNames.TryGetValue(userId, out var name) ? name : userId;

    public ConsentRecord? Consent => Case.CurrentConsent;
}

public sealed record ReferralSummary(Guid Id, ReferralType Type, string ProviderName, ReferralStatus Status, ReferralUrgency Urgency, DateTime? SentAtUtc, DateTime? AcceptanceDueAtUtc, bool IsOverdue);

public sealed record ChildSummary(Guid Id, string Pseudonym, Portal.Domain.Cases.Sex Sex, int? AgeInMonths, IReadOnlyList<PaternityClaimSummary> Claims);

public sealed record PaternityClaimSummary(Guid Id, string MemberStateLabel, PaternityClaimStatus Status, DateTime LastMovementAtUtc, bool IsStale);

public enum TimelineKind
{
    Status,
    Note,
    Referral,
    FollowUp,
    Consent,
    Notification,
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

    public FollowUpKind? FollowUpKind { get; init; }

    public DateTime? MovedToUtc { get; init; }

    public ConsentGiver? ConsentGiver { get; init; }
}

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

public sealed record IdentityView(IdentityDetails Details);
