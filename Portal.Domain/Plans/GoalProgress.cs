using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;

namespace Portal.Domain.Plans;

/// <summary>Where a goal stands, as the plan shows it at a glance.</summary>
public enum GoalState
{
    NotStarted,
    UnderWay,
    Overdue,
    Declined,
    Done,
    Dropped,
}

/// <summary>
/// Works out a goal's state from the goal, the referrals that serve it and their follow-ups. Declined comes before
/// overdue: a provider's refusal is what the advocate must act on first (choose another provider). Nothing here reads the
/// allegation: a plan's progress never depends on the investigation.
/// </summary>
public static class GoalProgress
{
    public static GoalState Of(PlanGoal goal, IEnumerable<Referral> referrals, IEnumerable<FollowUp> followUps, DateTime utcNow)
    {
        switch (goal.Status)
        {
            case GoalStatus.Achieved:
                return GoalState.Done;
            case GoalStatus.Dropped:
                return GoalState.Dropped;
        }

        var serving = referrals.Where(r => r.GoalId == goal.Id).ToList();
        var active = serving.Where(r => r.IsOpen || r.Status == ReferralStatus.Completed).ToList();
        if (active.Count == 0 && serving.Any(r => r.Status == ReferralStatus.Declined))
        {
            return GoalState.Declined;
        }

        var servingIds = serving.Select(r => r.Id).ToHashSet();
        var late = goal.TargetDate is { } target && target < DateOnly.FromDateTime(utcNow)
            || serving.Any(r => r.IsOverdueForAcceptance(utcNow))
            || followUps.Any(f => f.ReferralId is { } id && servingIds.Contains(id) && FollowUpRules.Overdue.IsMetBy(f, utcNow));
        if (late)
        {
            return GoalState.Overdue;
        }

        return active.Count > 0 ? GoalState.UnderWay : GoalState.NotStarted;
    }
}

/// <summary>How many goals of a plan are in each state.</summary>
public sealed record PlanSummary(int Done, int UnderWay, int Overdue, int Declined, int NotStarted)
{
    public static PlanSummary Of(IEnumerable<GoalState> states)
    {
        var list = states.ToList();
        return new(
            list.Count(s => s == GoalState.Done),
            list.Count(s => s == GoalState.UnderWay),
            list.Count(s => s == GoalState.Overdue),
            list.Count(s => s == GoalState.Declined),
            list.Count(s => s == GoalState.NotStarted));
    }
}
