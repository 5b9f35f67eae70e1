using Portal.Domain.Cases;
using Portal.Domain.Consents;
using Portal.Domain.Referrals;

namespace Portal.Domain.Plans;

public enum NextStepKind
{
    RecordAssessment,
    ReviewAssessment,
    PlanUrgentNeed,
    RecordConsentBeforeSending,
    ChooseAnotherProvider,
    GoalOverdue,
    StartActionPlan,
    StartAssistance,
    AwaitPlanApproval,
    ApprovePlan,
}

/// <param name="Type">The kind of assistance the step is about, where there is one.</param>
/// <param name="Days">How long it has waited (review) or how late it is (goal), in whole days.</param>
public sealed record NextStep(NextStepKind Kind, ReferralType? Type = null, int? Days = null);

/// <summary>
/// What the person working a case should do next, from the case's state, its assessment, plan and referrals, in the order
/// the steps matter: what blocks help reaching the person first. Only for someone who may work the open case (it reads
/// <see cref="Case.AvailableActions"/>). The allegation and its investigation play no part.
/// </summary>
public static class NextSteps
{
    public static IReadOnlyList<NextStep> For(
        Case survivorCase,
        IReadOnlySet<CaseAction> actions,
        Assessment? assessment,
        IReadOnlyList<PlanGoal> goals,
        IReadOnlyList<Referral> referrals,
        DateTime utcNow,
        TimeSpan reviewAssessmentEvery,
        bool planNeedsApproval = false,
        bool isCoordinator = false)
    {
        var steps = new List<NextStep>();
        if (!actions.Contains(CaseAction.CreateReferral))
        {
            return steps;
        }

        foreach (var draft in referrals.Where(r => r.Status == ReferralStatus.Draft).OrderBy(r => r.Type))
        {
            if (!ConsentGate.Check(survivorCase, draft.ProviderId, utcNow).IsSatisfied)
            {
                steps.Add(new(NextStepKind.RecordConsentBeforeSending, draft.Type));
            }
        }

        foreach (var declined in referrals.Where(r => r.Status == ReferralStatus.Declined).GroupBy(r => r.Type).OrderBy(g => g.Key))
        {
            var lastDecline = declined.Max(r => r.DeclinedAtUtc);
            var replaced = referrals.Any(r => r.Type == declined.Key && r.Status != ReferralStatus.Declined && r.Status != ReferralStatus.Withdrawn && r.History.Min(h => h.AtUtc) >= lastDecline);
            if (!replaced)
            {
                steps.Add(new(NextStepKind.ChooseAnotherProvider, declined.Key));
            }
        }

        if (assessment is null)
        {
            if (survivorCase.Status != CaseStatus.Intake)
            {
                steps.Add(new(NextStepKind.RecordAssessment));
            }
        }
        else
        {
            if (assessment.IsDueForReview(utcNow, reviewAssessmentEvery))
            {
                steps.Add(new(NextStepKind.ReviewAssessment, Days: (int)(utcNow - assessment.ReviewedAtUtc).TotalDays));
            }

            var planned = goals.Where(g => g.Status != GoalStatus.Dropped).SelectMany(g => g.Needs).ToHashSet();
            steps.AddRange(assessment.CurrentNeeds
                .Where(n => n.Urgency != ReferralUrgency.Routine && !planned.Contains(n.Type))
                .Select(n => new NextStep(NextStepKind.PlanUrgentNeed, n.Type)));
        }

        var today = DateOnly.FromDateTime(utcNow);
        steps.AddRange(goals
            .Where(g => g.IsOpen && g.TargetDate < today)
            .OrderBy(g => g.TargetDate)
            .Select(g => new NextStep(NextStepKind.GoalOverdue, g.Needs[0], today.DayNumber - g.TargetDate!.Value.DayNumber)));

        if (planNeedsApproval && goals.Any(g => g.IsOpen && !g.IsApproved))
        {
            steps.Add(new(isCoordinator ? NextStepKind.ApprovePlan : NextStepKind.AwaitPlanApproval));
        }

        if (assessment is not null && actions.Contains(CaseAction.StartActionPlan))
        {
            steps.Add(new(NextStepKind.StartActionPlan));
        }

        if (actions.Contains(CaseAction.StartAssistance) && goals.Any(g => g.IsOpen))
        {
            steps.Add(new(NextStepKind.StartAssistance));
        }

        return steps;
    }
}
