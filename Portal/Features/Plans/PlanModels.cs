using Portal.Domain.Cases;
using Portal.Domain.Plans;
using Portal.Domain.Referrals;

namespace Portal.Features.Plans;

/// <summary>An assessment as the form sends it: one entry per kind of assistance the person needs, and the risk with its reason.</summary>
public sealed record AssessmentInput(IReadOnlyList<NeedForm> Needs, RiskLevel? Risk, string? RiskReason);

/// <summary>One need on the form; <see cref="Urgency"/> may be unset until chosen.</summary>
public sealed record NeedForm(ReferralType Type, string? WhatIsNeeded, ReferralUrgency? Urgency, string? PersonsWish);

/// <summary>A goal as the form sends it.</summary>
public sealed record GoalInput(string? Description, IReadOnlyCollection<ReferralType> Needs, DateOnly? TargetDate);

/// <summary>A case's assessment and action plan, what this user may do with them, and the next steps.</summary>
public sealed record CasePlanView(
    Guid CaseId,
    bool CanEdit,
    bool CanApprove,
    bool NeedsApproval,
    int ReviewAfterDays,
    Assessment? Assessment,
    IReadOnlyList<GoalView> Goals,
    PlanSummary Summary,
    IReadOnlyList<ReferralLink> UntiedReferrals,
    IReadOnlyList<NextStep> NextSteps,
    IReadOnlyDictionary<string, string> UserNames)
{
    public string NameOf(string? userId) => userId is null ? "" : UserNames.GetValueOrDefault(userId, userId);
}

public sealed record GoalView(PlanGoal Goal, GoalState State, IReadOnlyList<ReferralLink> Referrals);

/// <summary>A referral as the plan shows it: what, to whom, where it stands.</summary>
public sealed record ReferralLink(Guid Id, Guid Version, ReferralType Type, string ProviderName, ReferralStatus Status);
