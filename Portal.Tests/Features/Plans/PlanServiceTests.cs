using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Plans;
using Portal.Domain.Referrals;
using Portal.Features.Cases;
using Portal.Features.Plans;
using Portal.Features.Retention;
using Portal.Features.Shared;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Plans;

public sealed class PlanServiceTests : IClassFixture<TestDatabase>
{
    private readonly ReferralWorld _world;

    public PlanServiceTests(TestDatabase database) => _world = new ReferralWorld(database);

    private PlanService PlansFor(UserScope scope, params string[] approvalCountries) =>
        new(_world.Database.Contexts, TimeProvider.System, _world.Cases.ScopeFor(scope), _world.Cases.PathFor(scope), Options.Create(new PlanOptions { ApprovalCountries = [.. approvalCountries] }));

    private static AssessmentInput Input(RiskLevel risk, string reason, params NeedForm[] needs) => new(needs, risk, reason);

    private static NeedForm Medical(string what = "Post-exposure prophylaxis and a check-up", string? wish = "Only with a woman doctor") =>
        new(ReferralType.Medical, what, ReferralUrgency.Emergency, wish);

    [Fact]
    public async Task An_assessment_is_versioned_audited_in_the_timeline_and_sealed_at_rest()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CD");
        var plans = PlansFor(advocate);

        var first = await plans.SaveAssessmentAsync(advocate, survivorCase.Id, null, Input(RiskLevel.High, "Lives beside the base", Medical()));
        Assert.True(first.Succeeded, first.Message);
        var shown = (await plans.GetAsync(advocate, survivorCase.Id))!.Assessment!;
        var second = await plans.SaveAssessmentAsync(advocate, survivorCase.Id, Seen.Of(shown), Input(RiskLevel.Medium, "Moved to her aunt's", Medical(), new NeedForm(ReferralType.Education, "Back to school", ReferralUrgency.Routine, null)));
        Assert.True(second.Succeeded, second.Message);

        var view = (await plans.GetAsync(advocate, survivorCase.Id))!;
        var assessment = view.Assessment!;
        Assert.Equal([1, 2], assessment.Versions.Select(v => v.Sequence).Order());
        Assert.Equal([ReferralType.Medical, ReferralType.Education], assessment.CurrentNeeds.Select(n => n.Type));
        Assert.Equal([ReferralType.Medical], assessment.NeedsOf(1).Select(n => n.Type));
        Assert.Equal("Lives beside the base", assessment.Versions.Single(v => v.Sequence == 1).RiskReason);
        Assert.Equal("Only with a woman doctor", assessment.CurrentNeeds[0].PersonsWish);
        Assert.Equal(1, await _world.AuditCountAsync(assessment.Id.ToString(), AuditAction.Created, advocate.UserId));
        Assert.Equal(1, await _world.AuditCountAsync(assessment.Id.ToString(), AuditAction.Changed, advocate.UserId));

        await using (var db = _world.Database.NewContext())
        {
            Assert.Equal(RiskLevel.Medium, (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == survivorCase.Id)).RiskLevel);
        }

        var stored = await _world.Database.QueryAsync(
            "SELECT \"WhatIsNeeded\" FROM \"AssessedNeeds\" UNION ALL SELECT \"PersonsWish\" FROM \"AssessedNeeds\" UNION ALL SELECT \"RiskReason\" FROM \"AssessmentVersions\"");
        Assert.NotEmpty(stored);
        Assert.All(stored.OfType<string>(), text => Assert.DoesNotContain("woman doctor", text));
        Assert.All(stored.OfType<string>(), text => Assert.DoesNotContain("aunt", text));

        var timeline = (await _world.Cases.CasesFor(advocate).GetTimelineAsync(advocate, survivorCase.Id))!;
        Assert.Equal([2, 1], timeline.Entries.Where(e => e.Kind == TimelineKind.Assessment).Select(e => e.Assessment!.Value.Version));
    }

    [Fact]
    public async Task A_revision_from_a_version_someone_else_has_replaced_is_a_conflict()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CD");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        await PlansFor(advocate).SaveAssessmentAsync(advocate, survivorCase.Id, null, Input(RiskLevel.High, "First", Medical()));
        var shown = (await PlansFor(advocate).GetAsync(advocate, survivorCase.Id))!.Assessment!;

        var byCoordinator = await PlansFor(coordinator).SaveAssessmentAsync(coordinator, survivorCase.Id, Seen.Of(shown), Input(RiskLevel.High, "Second", Medical()));
        var byAdvocate = await PlansFor(advocate).SaveAssessmentAsync(advocate, survivorCase.Id, Seen.Of(shown), Input(RiskLevel.Low, "Stale", Medical()));

        Assert.True(byCoordinator.Succeeded);
        Assert.Equal(CommandOutcome.Conflict, byAdvocate.Outcome);
        Assert.Equal(coordinator.DisplayName, byAdvocate.Conflict!.By);
        Assert.Equal("Second", (await PlansFor(advocate).GetAsync(advocate, survivorCase.Id))!.Assessment!.Current.RiskReason);
    }

    [Fact]
    public async Task A_bad_assessment_is_refused_field_by_field_and_nothing_is_saved()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CD");
        var plans = PlansFor(advocate);

        var result = await plans.SaveAssessmentAsync(advocate, survivorCase.Id, null, new AssessmentInput([new NeedForm(ReferralType.Legal, " ", null, null)], null, ""));

        Assert.Equal(CommandResult.InvalidCode, result.Code);
        Assert.Equal(["Risk", "RiskReason", "Urgency_Legal", "WhatIsNeeded_Legal"], result.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Null((await plans.GetAsync(advocate, survivorCase.Id))!.Assessment);
    }

    [Fact]
    public async Task Only_the_cases_advocate_or_a_coordinator_records_and_another_country_sees_nothing()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CD");
        var colleague = await _world.Cases.StaffAsync(Roles.Advocate, "CD");
        var elsewhere = await _world.Cases.StaffAsync(Roles.Advocate, "SS");

        var byColleague = await PlansFor(colleague).SaveAssessmentAsync(colleague, survivorCase.Id, null, Input(RiskLevel.High, "Reason", Medical()));
        var byElsewhere = await PlansFor(elsewhere).SaveAssessmentAsync(elsewhere, survivorCase.Id, null, Input(RiskLevel.High, "Reason", Medical()));

        Assert.Equal(CommandOutcome.Forbidden, byColleague.Outcome);
        Assert.Equal(CommandOutcome.NotFound, byElsewhere.Outcome);
        Assert.Null(await PlansFor(elsewhere).GetAsync(elsewhere, survivorCase.Id));
        Assert.Empty((await PlansFor(colleague).GetAsync(colleague, survivorCase.Id))!.NextSteps);
    }

    [Fact]
    public async Task A_goal_is_carried_out_by_the_referral_tied_to_it_and_the_plan_shows_where_it_stands()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CD");
        var plans = PlansFor(advocate);
        var clinic = await _world.ProviderAsync("CD", "Clinic", ReferralType.Medical, ReferralType.Legal);
        await plans.SaveAssessmentAsync(advocate, survivorCase.Id, null, Input(RiskLevel.High, "Reason", Medical()));
        Assert.Contains(new NextStep(NextStepKind.PlanUrgentNeed, ReferralType.Medical), (await plans.GetAsync(advocate, survivorCase.Id))!.NextSteps);

        var added = await plans.AddGoalAsync(advocate, survivorCase.Id, new GoalInput("Treatment within 72 hours", [ReferralType.Medical], null));
        var goalId = added.Id!.Value;
        var medical = await _world.DraftAsync(advocate, survivorCase.Id, clinic, ReferralType.Medical);
        var legal = await _world.DraftAsync(advocate, survivorCase.Id, clinic, ReferralType.Legal);

        var wrongKind = await plans.TieReferralAsync(advocate, await _world.SeenAsync(legal), goalId);
        var tied = await plans.TieReferralAsync(advocate, await _world.SeenAsync(medical), goalId);

        Assert.Equal(ErrorCodes.GoalNeedMismatch, wrongKind.Code);
        Assert.True(tied.Succeeded, tied.Message);
        Assert.Equal(goalId, (await _world.ReferralAsync(medical)).GoalId);
        var view = (await plans.GetAsync(advocate, survivorCase.Id))!;
        var goal = Assert.Single(view.Goals);
        Assert.Equal(medical, Assert.Single(goal.Referrals).Id);
        Assert.Equal(GoalState.UnderWay, goal.State);
        Assert.Equal(new PlanSummary(Done: 0, UnderWay: 1, Overdue: 0, Declined: 0, NotStarted: 0), view.Summary);
        Assert.Equal([legal], view.UntiedReferrals.Select(r => r.Id));
        Assert.DoesNotContain(view.NextSteps, s => s.Kind == NextStepKind.PlanUrgentNeed);
        Assert.Contains(new NextStep(NextStepKind.RecordConsentBeforeSending, ReferralType.Medical), view.NextSteps);

        var achieved = await plans.AchieveGoalAsync(advocate, Seen.Of(goal.Goal));
        Assert.True(achieved.Succeeded);
        Assert.Equal(1, (await plans.GetAsync(advocate, survivorCase.Id))!.Summary.Done);
        Assert.Equal(1, await _world.AuditCountAsync(goalId.ToString(), AuditAction.Created, advocate.UserId));
    }

    [Fact]
    public async Task A_goal_needs_a_description_and_a_need()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CD");

        var result = await PlansFor(advocate).AddGoalAsync(advocate, survivorCase.Id, new GoalInput("", [], null));

        Assert.Equal(["Description", "Needs"], result.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(PlanErrors.GoalWithoutNeed, result.For("Needs")!.Code);
    }

    [Fact]
    public async Task A_coordinator_approves_goals_only_where_the_country_asks_for_it()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CD");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        await PlansFor(advocate).AddGoalAsync(advocate, survivorCase.Id, new GoalInput("Safe housing", [ReferralType.SafetyAndProtection], null));
        var goal = (await PlansFor(advocate).GetAsync(advocate, survivorCase.Id))!.Goals.Single().Goal;

        var offByDefault = await PlansFor(coordinator).ApproveGoalAsync(coordinator, Seen.Of(goal));
        var byAdvocate = await PlansFor(advocate, "CD").ApproveGoalAsync(advocate, Seen.Of(goal));
        Assert.Equal(PlanErrors.ApprovalNotRequired, offByDefault.For("Goal")!.Code);
        Assert.Equal(CommandOutcome.Forbidden, byAdvocate.Outcome);
        Assert.Contains(new NextStep(NextStepKind.AwaitPlanApproval), (await PlansFor(advocate, "CD").GetAsync(advocate, survivorCase.Id))!.NextSteps);

        var approved = await PlansFor(coordinator, "CD").ApproveGoalAsync(coordinator, Seen.Of(goal));

        Assert.True(approved.Succeeded, approved.Message);
        var view = (await PlansFor(advocate, "CD").GetAsync(advocate, survivorCase.Id))!;
        Assert.Equal(coordinator.UserId, view.Goals.Single().Goal.ApprovedBy);
        Assert.DoesNotContain(view.NextSteps, s => s.Kind == NextStepKind.AwaitPlanApproval);
    }

    [Fact]
    public async Task Retention_removes_the_assessment_and_goals_and_keeps_the_referrals()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CD");
        var plans = PlansFor(advocate);
        var clinic = await _world.ProviderAsync("CD", "Clinic", ReferralType.Medical);
        await plans.SaveAssessmentAsync(advocate, survivorCase.Id, null, Input(RiskLevel.High, "Reason", Medical()));
        var goalId = (await plans.AddGoalAsync(advocate, survivorCase.Id, new GoalInput("Treatment", [ReferralType.Medical], null))).Id!.Value;
        var referral = await _world.DraftAsync(advocate, survivorCase.Id, clinic, ReferralType.Medical);
        Assert.True((await plans.TieReferralAsync(advocate, await _world.SeenAsync(referral), goalId)).Succeeded);
        var eraser = Assert.Single(_world.Database.Services.GetServices<ICaseEraser>(), e => e.GetType().Name == "PlanEraser");

        await using (var db = _world.Database.NewContext())
        {
            await eraser.EraseAsync(db, survivorCase, CancellationToken.None);
        }

        await using var check = _world.Database.NewContext();
        Assert.False(await check.Assessments.AnyAsync(a => a.CaseId == survivorCase.Id));
        // No need or version is left behind without its assessment (the owned rows go with it).
        Assert.Empty(await _world.Database.QueryAsync("SELECT 1 FROM \"AssessedNeeds\" WHERE \"AssessmentId\" NOT IN (SELECT \"Id\" FROM \"Assessments\") UNION ALL SELECT 1 FROM \"AssessmentVersions\" WHERE \"AssessmentId\" NOT IN (SELECT \"Id\" FROM \"Assessments\")"));
        Assert.False(await check.PlanGoals.AnyAsync(g => g.CaseId == survivorCase.Id));
        Assert.Null((await _world.ReferralAsync(referral)).GoalId);
    }
}
