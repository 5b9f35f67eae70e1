using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Plans;
using Portal.Domain.Providers;
using Portal.Domain.Referrals;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

public class AssessmentTests
{
    private readonly FakeTimeProvider _clock = NewClock();
    private readonly Case _case;

    public AssessmentTests()
    {
        _case = CaseIn(CaseStatus.Assessment, _clock);
    }

    private static NeedInput Need(ReferralType type, ReferralUrgency urgency = ReferralUrgency.Urgent, string? wish = "She wants to see a woman doctor") =>
        new(type, $"{type} help", urgency, wish);

    [Fact]
    public void The_first_assessment_is_version_one_with_its_needs_and_the_case_takes_its_risk()
    {
        var assessment = Assessment.Record(_case, [Need(ReferralType.Medical), Need(ReferralType.SafetyAndProtection)], RiskLevel.High, "Lives near the camp", Advocate, _clock);

        Assert.Equal(1, assessment.Current.Sequence);
        Assert.Equal(RiskLevel.High, assessment.Current.Risk);
        Assert.Equal("Lives near the camp", assessment.Current.RiskReason);
        Assert.Equal(Advocate, assessment.Current.RecordedBy);
        Assert.Equal([ReferralType.Medical, ReferralType.SafetyAndProtection], assessment.CurrentNeeds.Select(n => n.Type));
        Assert.Equal("She wants to see a woman doctor", assessment.CurrentNeeds[0].PersonsWish);
        Assert.Equal(RiskLevel.High, _case.RiskLevel);
    }

    [Fact]
    public void A_revision_is_a_new_version_and_the_earlier_one_stays_as_it_was()
    {
        var assessment = Assessment.Record(_case, [Need(ReferralType.Medical)], RiskLevel.High, "First look", Advocate, _clock);
        var firstVersion = assessment.Version;
        _clock.Advance(TimeSpan.FromDays(10));

        assessment.Revise(_case, [Need(ReferralType.Legal, ReferralUrgency.Routine, wish: null)], RiskLevel.Low, "Moved to her aunt's", Advocate, _clock);

        Assert.Equal(2, assessment.Versions.Count);
        Assert.Equal(2, assessment.Current.Sequence);
        Assert.Equal([ReferralType.Legal], assessment.CurrentNeeds.Select(n => n.Type));
        Assert.Equal([ReferralType.Medical], assessment.NeedsOf(1).Select(n => n.Type));
        Assert.Equal("First look", assessment.Versions.Single(v => v.Sequence == 1).RiskReason);
        Assert.Equal(_clock.GetUtcDateTime(), assessment.ReviewedAtUtc);
        Assert.NotEqual(firstVersion, assessment.Version);
        Assert.Equal(RiskLevel.Low, _case.RiskLevel);
    }

    [Fact]
    public void A_risk_without_its_reason_is_refused()
    {
        var refused = Assert.Throws<DomainException>(() => Assessment.Record(_case, [Need(ReferralType.Medical)], RiskLevel.High, " ", Advocate, _clock));

        Assert.Equal(ErrorCodes.Required, refused.Code);
    }

    [Fact]
    public void A_need_without_what_is_needed_is_refused()
    {
        var refused = Assert.Throws<DomainException>(() =>
            Assessment.Record(_case, [new NeedInput(ReferralType.Medical, "", ReferralUrgency.Urgent, null)], RiskLevel.High, "Reason", Advocate, _clock));

        Assert.Equal(ErrorCodes.Required, refused.Code);
    }

    [Fact]
    public void The_same_kind_of_assistance_twice_is_refused()
    {
        var refused = Assert.Throws<DomainException>(() =>
            Assessment.Record(_case, [Need(ReferralType.Medical), Need(ReferralType.Medical)], RiskLevel.High, "Reason", Advocate, _clock));

        Assert.Equal(ErrorCodes.AssessmentDuplicateNeed, refused.Code);
    }

    [Fact]
    public void A_closed_case_takes_no_assessment()
    {
        var closed = CaseIn(CaseStatus.Closed, _clock);

        var refused = Assert.Throws<DomainException>(() => Assessment.Record(closed, [Need(ReferralType.Medical)], RiskLevel.High, "Reason", Advocate, _clock));

        Assert.Equal(ErrorCodes.CaseClosed, refused.Code);
    }

    [Fact]
    public void An_assessment_is_due_for_review_once_the_period_has_passed()
    {
        var assessment = Assessment.Record(_case, [Need(ReferralType.Medical)], RiskLevel.High, "Reason", Advocate, _clock);
        var period = TimeSpan.FromDays(90);

        Assert.False(assessment.IsDueForReview(_clock.GetUtcDateTime().AddDays(90), period));
        Assert.True(assessment.IsDueForReview(_clock.GetUtcDateTime().AddDays(91), period));
    }
}

public class PlanGoalTests
{
    private readonly FakeTimeProvider _clock = NewClock();
    private readonly Case _case;
    private readonly ServiceProvider _provider = Provider();

    public PlanGoalTests()
    {
        _case = CaseIn(CaseStatus.ActionPlan, _clock);
        ConsentFor(_case, _clock, _provider);
    }

    private PlanGoal Goal(params ReferralType[] needs) =>
        PlanGoal.Add(_case, "Treatment and follow-up at the clinic", needs.Length == 0 ? [ReferralType.Medical] : needs, DateOnly.FromDateTime(_clock.GetUtcDateTime()).AddDays(30), _clock);

    private Referral Referral(ReferralType type = ReferralType.Medical) =>
        Portal.Domain.Referrals.Referral.Create(_case, type, _provider, "Needs care", ReferralUrgency.Urgent, Advocate, _clock);

    [Fact]
    public void A_referral_serves_a_goal_that_answers_its_need()
    {
        var goal = Goal();
        var referral = Referral();

        referral.Serve(goal);

        Assert.Equal(goal.Id, referral.GoalId);
    }

    [Fact]
    public void A_referral_of_another_kind_cannot_serve_the_goal()
    {
        var goal = Goal(ReferralType.Medical);

        var refused = Assert.Throws<DomainException>(() => Referral(ReferralType.Legal).Serve(goal));

        Assert.Equal(ErrorCodes.GoalNeedMismatch, refused.Code);
    }

    [Fact]
    public void A_referral_cannot_serve_a_goal_that_has_ended()
    {
        var goal = Goal();
        goal.Achieve(_case, Advocate, _clock);

        var refused = Assert.Throws<DomainException>(() => Referral().Serve(goal));

        Assert.Equal(ErrorCodes.GoalNotOpen, refused.Code);
    }

    [Fact]
    public void A_goal_answers_at_least_one_need_and_its_target_is_not_in_the_past()
    {
        Assert.Equal(ErrorCodes.Required, Assert.Throws<DomainException>(() => PlanGoal.Add(_case, "Goal", [], null, _clock)).Code);
        var yesterday = DateOnly.FromDateTime(_clock.GetUtcDateTime()).AddDays(-1);
        Assert.Equal(ErrorCodes.DateInPast, Assert.Throws<DomainException>(() => PlanGoal.Add(_case, "Goal", [ReferralType.Medical], yesterday, _clock)).Code);
    }

    [Fact]
    public void Dropping_a_goal_needs_a_reason_and_ends_it()
    {
        var goal = Goal();

        Assert.Equal(ErrorCodes.Required, Assert.Throws<DomainException>(() => goal.Drop(_case, "", Advocate, _clock)).Code);
        goal.Drop(_case, "She no longer wants it", Advocate, _clock);

        Assert.Equal(GoalStatus.Dropped, goal.Status);
        Assert.Equal("She no longer wants it", goal.DropReason);
        Assert.Equal(ErrorCodes.GoalNotOpen, Assert.Throws<DomainException>(() => goal.Achieve(_case, Advocate, _clock)).Code);
    }

    [Fact]
    public void Editing_an_approved_goal_asks_for_approval_again()
    {
        var goal = Goal();
        goal.Approve(_case, Coordinator, _clock);
        Assert.True(goal.IsApproved);

        goal.Edit(_case, "Treatment at the district hospital", [ReferralType.Medical], goal.TargetDate, _clock);

        Assert.False(goal.IsApproved);
    }

    [Fact]
    public void Progress_follows_the_referrals_that_serve_the_goal()
    {
        var goal = Goal();
        var now = _clock.GetUtcDateTime();
        Assert.Equal(GoalState.NotStarted, GoalProgress.Of(goal, [], [], now));

        var referral = Referral();
        referral.Serve(goal);
        var followUps = referral.Send(_case, _provider, Policy, Advocate, _clock);
        Assert.Equal(GoalState.UnderWay, GoalProgress.Of(goal, [referral], followUps, now));

        referral.Decline(ReferralDeclineReason.NoCapacity, "No doctor this month", Coordinator, _clock);
        Assert.Equal(GoalState.Declined, GoalProgress.Of(goal, [referral], followUps, now));

        var another = Referral();
        another.Serve(goal);
        Assert.Equal(GoalState.UnderWay, GoalProgress.Of(goal, [referral, another], followUps, now));

        goal.Achieve(_case, Advocate, _clock);
        Assert.Equal(GoalState.Done, GoalProgress.Of(goal, [referral, another], followUps, now));
    }

    [Fact]
    public void A_goal_past_its_target_date_or_with_an_unanswered_referral_is_overdue()
    {
        var goal = Goal();
        var referral = Referral();
        referral.Serve(goal);
        var followUps = referral.Send(_case, _provider, Policy, Advocate, _clock);

        var afterAcceptanceDeadline = referral.AcceptanceDueAtUtc!.Value.AddHours(1);
        Assert.Equal(GoalState.Overdue, GoalProgress.Of(goal, [referral], followUps, afterAcceptanceDeadline));

        referral.Accept(Coordinator, _clock);
        var pastTarget = goal.TargetDate!.Value.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        Assert.Equal(GoalState.Overdue, GoalProgress.Of(goal, [referral], followUps.Where(f => f.Kind != FollowUpKind.AcceptanceCheck), pastTarget));
    }

    [Fact]
    public void The_summary_counts_goals_per_state()
    {
        var summary = PlanSummary.Of([GoalState.Done, GoalState.Overdue, GoalState.Overdue, GoalState.Declined, GoalState.UnderWay, GoalState.Dropped]);

        Assert.Equal(new PlanSummary(Done: 1, UnderWay: 1, Overdue: 2, Declined: 1, NotStarted: 0), summary);
    }
}

public class NextStepsTests
{
    private static readonly TimeSpan Review = TimeSpan.FromDays(90);
    private readonly FakeTimeProvider _clock = NewClock();
    private readonly ServiceProvider _provider = Provider();

    private IReadOnlyList<NextStep> StepsFor(Case c, Assessment? assessment = null, IReadOnlyList<PlanGoal>? goals = null, IReadOnlyList<Referral>? referrals = null, string user = Advocate, DateTime? at = null) =>
        NextSteps.For(c, c.AvailableActions(user, isCoordinator: user == Coordinator), assessment, goals ?? [], referrals ?? [], at ?? _clock.GetUtcDateTime(), Review);

    private Assessment Assess(Case c, ReferralUrgency urgency = ReferralUrgency.Urgent) =>
        Assessment.Record(c, [new NeedInput(ReferralType.Medical, "Care", urgency, null)], RiskLevel.High, "Reason", Advocate, _clock);

    [Fact]
    public void A_case_without_an_assessment_asks_for_one()
    {
        var c = CaseIn(CaseStatus.Assessment, _clock);

        Assert.Equal([NextStepKind.RecordAssessment], StepsFor(c).Select(s => s.Kind));
    }

    [Fact]
    public void An_urgent_need_without_a_goal_asks_for_one_and_the_plan_can_start()
    {
        var c = CaseIn(CaseStatus.Assessment, _clock);
        var assessment = Assess(c);

        Assert.Equal(
            [new NextStep(NextStepKind.PlanUrgentNeed, ReferralType.Medical), new NextStep(NextStepKind.StartActionPlan)],
            StepsFor(c, assessment));
    }

    [Fact]
    public void A_routine_need_does_not_press_for_a_goal()
    {
        var c = CaseIn(CaseStatus.Assessment, _clock);

        Assert.DoesNotContain(StepsFor(c, Assess(c, ReferralUrgency.Routine)), s => s.Kind == NextStepKind.PlanUrgentNeed);
    }

    [Fact]
    public void An_assessment_not_reviewed_for_90_days_asks_for_a_review()
    {
        var c = CaseIn(CaseStatus.Assessment, _clock);
        var assessment = Assess(c);

        var steps = StepsFor(c, assessment, at: _clock.GetUtcDateTime().AddDays(91));

        Assert.Contains(new NextStep(NextStepKind.ReviewAssessment, Days: 91), steps);
        Assert.DoesNotContain(StepsFor(c, assessment, at: _clock.GetUtcDateTime().AddDays(89)), s => s.Kind == NextStepKind.ReviewAssessment);
    }

    [Fact]
    public void A_draft_referral_without_consent_asks_for_consent_first()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        var legal = Referral.Create(c, ReferralType.Legal, _provider, "Claim", ReferralUrgency.Routine, Advocate, _clock);

        Assert.Contains(new NextStep(NextStepKind.RecordConsentBeforeSending, ReferralType.Legal), StepsFor(c, referrals: [legal]));

        ConsentFor(c, _clock, _provider);
        Assert.DoesNotContain(StepsFor(c, referrals: [legal]), s => s.Kind == NextStepKind.RecordConsentBeforeSending);
    }

    [Fact]
    public void A_declined_referral_asks_for_another_provider_until_a_new_one_is_made()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        ConsentFor(c, _clock, _provider);
        var medical = Referral.Create(c, ReferralType.Medical, _provider, "Care", ReferralUrgency.Urgent, Advocate, _clock);
        medical.Send(c, _provider, Policy, Advocate, _clock);
        medical.Decline(ReferralDeclineReason.NoCapacity, "Full", Coordinator, _clock);

        Assert.Contains(new NextStep(NextStepKind.ChooseAnotherProvider, ReferralType.Medical), StepsFor(c, referrals: [medical]));

        _clock.Advance(TimeSpan.FromMinutes(5));
        var other = Referral.Create(c, ReferralType.Medical, Provider(), "Care", ReferralUrgency.Urgent, Advocate, _clock);
        Assert.DoesNotContain(StepsFor(c, referrals: [medical, other]), s => s.Kind == NextStepKind.ChooseAnotherProvider);
    }

    [Fact]
    public void A_goal_past_its_target_date_is_named_with_how_late_it_is()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        var goal = PlanGoal.Add(c, "Goal", [ReferralType.Education], DateOnly.FromDateTime(_clock.GetUtcDateTime()).AddDays(2), _clock);

        var steps = StepsFor(c, goals: [goal], at: _clock.GetUtcDateTime().AddDays(5));

        Assert.Contains(new NextStep(NextStepKind.GoalOverdue, ReferralType.Education, 3), steps);
    }

    [Fact]
    public void Where_approval_is_required_the_advocate_waits_and_the_coordinator_is_asked()
    {
        var c = CaseIn(CaseStatus.ActionPlan, _clock);
        var goal = PlanGoal.Add(c, "Goal", [ReferralType.Medical], null, _clock);

        NextStepKind[] For(string user) =>
            [.. NextSteps.For(c, c.AvailableActions(user, user == Coordinator), null, [goal], [], _clock.GetUtcDateTime(), Review, planNeedsApproval: true, isCoordinator: user == Coordinator).Select(s => s.Kind)];

        Assert.Contains(NextStepKind.AwaitPlanApproval, For(Advocate));
        Assert.Contains(NextStepKind.ApprovePlan, For(Coordinator));
        goal.Approve(c, Coordinator, _clock);
        Assert.DoesNotContain(NextStepKind.AwaitPlanApproval, For(Advocate));
    }

    [Fact]
    public void Someone_who_may_not_work_the_case_gets_no_steps()
    {
        var c = CaseIn(CaseStatus.Assessment, _clock);

        Assert.Empty(StepsFor(c, user: "someone-else"));
    }

    [Fact]
    public void Nothing_in_the_plan_depends_on_the_investigation()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        ConsentFor(c, _clock, _provider);
        var assessment = Assess(c);
        var goal = PlanGoal.Add(c, "Goal", [ReferralType.Medical], null, _clock);
        var referral = Referral.Create(c, ReferralType.Medical, _provider, "Care", ReferralUrgency.Urgent, Advocate, _clock);
        referral.Serve(goal);
        var followUps = referral.Send(c, _provider, Policy, Advocate, _clock);
        var stepsBefore = StepsFor(c, assessment, [goal], [referral]);
        var stateBefore = GoalProgress.Of(goal, [referral], followUps, _clock.GetUtcDateTime());

        foreach (var status in Enum.GetValues<InvestigationStatus>())
        {
            var details = AllegationTests.Details() with { InvestigationStatus = status };
            if (c.Allegation is null)
            {
                c.RecordAllegation(details, _clock);
            }
            else
            {
                c.UpdateAllegation(details, _clock);
            }

            Assert.Equal(stepsBefore, StepsFor(c, assessment, [goal], [referral]));
            Assert.Equal(stateBefore, GoalProgress.Of(goal, [referral], followUps, _clock.GetUtcDateTime()));
        }
    }
}
