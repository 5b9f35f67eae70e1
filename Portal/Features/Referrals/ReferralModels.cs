using Portal.Domain.Consents;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;

namespace Portal.Features.Referrals;

/// <summary>What the referral form sends. Nullable so that "nothing chosen" reaches the server and is refused there, next to its field.</summary>
public sealed record ReferralInput(ReferralType? Type, Guid? ProviderId, string? Reason, ReferralUrgency? Urgency);

/// <summary>A provider the referral form may offer: active, in the case's country, offering the chosen type.</summary>
public sealed record ProviderOption(Guid Id, string Name, IReadOnlyList<string> Languages, string? Contact);

/// <summary>A referral as the case page shows it. <see cref="Actions"/> are what this user may do now (empty for someone not working the case).</summary>
/// <param name="ProviderAnswersInPortal">The provider's staff answer in the portal; otherwise the advocate records their answers by hand.</param>
public sealed record ReferralView(
    Referral Referral,
    string ProviderName,
    bool ProviderAnswersInPortal,
    DateTime? NextFollowUpDueUtc,
    bool IsOverdue,
    IReadOnlySet<ReferralAction> Actions);

/// <summary>The referrals of one case, and what this user may do with them.</summary>
public sealed record CaseReferralList(
    Guid CaseId,
    string CountryCode,
    bool CanCreate,
    bool CanOverrideConsent,
    IReadOnlyList<ReferralView> Referrals,
    IReadOnlyDictionary<string, string> UserNames)
{
    public string NameOf(string? userId) => userId is null ? "" : UserNames.GetValueOrDefault(userId, userId);
}

/// <summary>A referral of a case, to say which one a follow-up is about.</summary>
public sealed record ReferralOption(Guid Id, ReferralType Type, string ProviderName);

/// <summary>Which referrals the cross-case list shows: those of the user's own cases, or every one in their scope.</summary>
public enum ReferralListScope
{
    MyCases,
    AllVisible,
}

public enum ReferralSort
{
    Created,
    CaseNumber,
    Type,
    Status,
    Sent,
    AcceptanceDue,
}

/// <summary>A page of the cross-case referral list, with its filters.</summary>
public sealed record ReferralQuery
{
    public ReferralListScope Scope { get; init; } = ReferralListScope.MyCases;

    public ReferralType? Type { get; init; }

    public ReferralStatus? Status { get; init; }

    public Guid? ProviderId { get; init; }

    /// <summary>Sent and unanswered past the acceptance deadline, or with a follow-up past due.</summary>
    public bool OverdueOnly { get; init; }

    public ReferralSort Sort { get; init; } = ReferralSort.Created;

    public bool Descending { get; init; } = true;

    public int Page { get; init; }

    public int PageSize { get; init; } = 25;
}

public sealed record ReferralRow(
    Guid Id,
    Guid CaseId,
    string CaseNumber,
    string CountryCode,
    ReferralType Type,
    string ProviderName,
    ReferralStatus Status,
    ReferralUrgency Urgency,
    DateTime CreatedAtUtc,
    DateTime? SentAtUtc,
    DateTime? AcceptanceDueAtUtc,
    DateTime? NextFollowUpDueUtc,
    bool IsOverdue);

public sealed record ReferralPage(IReadOnlyList<ReferralRow> Rows, int TotalCount);

/// <summary>A provider the list can be filtered by.</summary>
public sealed record ProviderFilterOption(Guid Id, string Name, string CountryCode);

/// <summary>What the follow-up dialog can do.</summary>
public enum FollowUpDialogMode
{
    Add,
    Complete,
    Snooze,
    Move,
    Cancel,
}

/// <summary>What the follow-up dialog collected; <see cref="Local"/> is a wall-clock time in the case's country.</summary>
public sealed record FollowUpForm(FollowUpKind? Kind, string? Title, Guid? ReferralId, DateTime? Local, bool IsUrgent, string? Text);

/// <summary>The follow-up dialog as its author left it: which check (none when adding one), what it was doing, and the fields.</summary>
public sealed record FollowUpDraft(FollowUpDialogMode Mode, Guid? FollowUpId, FollowUpForm Form);

/// <summary>What a referral step's dialog collected: the words (reason, comment or override reason) and what the step needs besides.</summary>
public sealed record ReferralStep(
    string? Text,
    ReferralOutcome? Outcome = null,
    ReferralDeclineReason? DeclineReason = null,
    DateTime? AppointmentAtUtc = null,
    bool OverrideConsent = false);
