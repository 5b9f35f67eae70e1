using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Plans;
using Portal.Domain.Referrals;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Provider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Features.Plans;

/// <summary>
/// A case's assessment (versioned: each save is a new version) and its action plan (goals carried out through
/// referrals), with the next steps the case page suggests. Reads go through <see cref="CaseScope"/> and every change
/// through <see cref="CommandPath"/>: within the viewer's countries, by the case's advocate or a coordinator, never on a
/// closed case. Nothing here reads the allegation: assistance does not wait for an investigation.
/// </summary>
public sealed class PlanService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    CaseScope cases,
    CommandPath path,
    IOptions<PlanOptions> options)
{
    public static string AssessmentRecordType => Records.Assessment.Type;

    public static string GoalRecordType => Records.PlanGoal.Type;

    private TimeSpan ReviewEvery => TimeSpan.FromDays(options.Value.ReviewAssessmentAfterDays);

    public async Task<CasePlanView?> GetAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await LoadAsync(db, scope, caseId, cancellationToken) is not { } plan)
        {
            return null;
        }

        var now = clock.GetUtcDateTime();
        var followUps = await db.FollowUps.AsNoTracking().Where(f => f.CaseId == caseId && f.ReferralId != null).ToListAsync(cancellationToken);
        var providerIds = plan.Referrals.Select(r => r.ProviderId).Distinct().ToList();
        var providers = await db.Set<Provider>().AsNoTracking().Where(p => providerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);

        ReferralLink Link(Referral r) => new(r.Id, r.Version, r.Type, providers.GetValueOrDefault(r.ProviderId, ""), r.Status);
        var goalViews = plan.Goals
            .OrderBy(g => g.CreatedAtUtc)
            .Select(g => new GoalView(g, GoalProgress.Of(g, plan.Referrals, followUps, now), plan.Referrals.Where(r => r.GoalId == g.Id).OrderBy(r => r.CreatedAtUtc).Select(Link).ToList()))
            .ToList();
        var canEdit = CasePermission.WorkOnOpenCase.Check(scope, plan.Case, "") is null;
        var needsApproval = options.Value.NeedsApproval(plan.Case.CountryCode);
        var userIds = (plan.Assessment?.Versions.Select(v => v.RecordedBy) ?? [])
            .Concat(plan.Goals.SelectMany(g => new[] { g.CreatedBy, g.ApprovedBy, g.EndedBy }))
            .OfType<string>()
            .Distinct()
            .ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);

        return new CasePlanView(
            caseId,
            canEdit,
            canEdit && scope.IsCoordinator && needsApproval,
            needsApproval,
            options.Value.ReviewAssessmentAfterDays,
            plan.Assessment,
            goalViews,
            PlanSummary.Of(goalViews.Select(g => g.State)),
            plan.Referrals.Where(r => r.GoalId is null && r.Status != ReferralStatus.Withdrawn).OrderBy(r => r.CreatedAtUtc).Select(Link).ToList(),
            StepsFor(scope, plan, now),
            names);
    }

    /// <summary>What the case page suggests doing next; empty for someone who may not work the case, or out of scope.</summary>
    public async Task<IReadOnlyList<NextStep>> GetNextStepsAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await LoadAsync(db, scope, caseId, cancellationToken) is { } plan ? StepsFor(scope, plan, clock.GetUtcDateTime()) : [];
    }

    /// <summary>
    /// Records the first assessment of a case, or a new version of it. <paramref name="seen"/> is the assessment as the
    /// advocate saw it (null when there was none): a version saved by someone else since is a conflict, not overwritten.
    /// </summary>
    public Task<CommandResult> SaveAssessmentAsync(UserScope scope, Guid caseId, Seen<Assessment>? seen, AssessmentInput input, CancellationToken cancellationToken = default) =>
        seen is null
            ? path.AddToCaseAsync(scope, caseId, "record an assessment", CasePermission.WorkOnOpenCase, async work =>
            {
                var (needs, risk, reason) = Check(work.Problems, input);
                if (await work.Db.Assessments.AnyAsync(a => a.CaseId == caseId, cancellationToken))
                {
                    work.Problems.Add("Assessment", PlanErrors.AssessmentExists, "Someone recorded an assessment of this case meanwhile; reload it and revise it.");
                }

                if (work.Problems.Any)
                {
                    return;
                }

                var assessment = Assessment.Record(work.Record, needs, risk!.Value, reason!, scope.UserId, clock);
                work.Db.Assessments.Add(assessment);
                work.Created = assessment.Id;
                work.Audit(AuditAction.Created, AssessmentRecordType, assessment.Id, "version 1");
                work.Publish(LiveEventKind.PlanChanged, assessment.Id);
            }, cancellationToken)
            : path.ChangeAsync(scope, seen, "revise an assessment", CasePermission.WorkOnOpenCase, async work =>
            {
                var (needs, risk, reason) = Check(work.Problems, input);
                if (work.Problems.Any)
                {
                    return;
                }

                // The case takes the assessed risk, so it is loaded to be changed alongside.
                var survivorCase = await work.Db.Cases.FirstAsync(c => c.Id == work.Case.Id, cancellationToken);
                work.Record.Revise(survivorCase, needs, risk!.Value, reason!, scope.UserId, clock);
                work.Audit(AuditAction.Changed, $"version {work.Record.Current.Sequence}");
                work.Publish(LiveEventKind.PlanChanged, work.Record.Id);
            }, cancellationToken);

    public Task<CommandResult> AddGoalAsync(UserScope scope, Guid caseId, GoalInput input, CancellationToken cancellationToken = default) =>
        path.AddToCaseAsync(scope, caseId, "add a goal to the plan", CasePermission.WorkOnOpenCase, work =>
        {
            var description = Check(work.Problems, input);
            if (work.Problems.Any)
            {
                return;
            }

            var goal = PlanGoal.Add(work.Record, description!, input.Needs, input.TargetDate, clock);
            work.Db.PlanGoals.Add(goal);
            work.Created = goal.Id;
            work.Audit(AuditAction.Created, GoalRecordType, goal.Id);
            work.Publish(LiveEventKind.PlanChanged, goal.Id);
        }, cancellationToken);

    public Task<CommandResult> EditGoalAsync(UserScope scope, Seen<PlanGoal> goal, GoalInput input, CancellationToken cancellationToken = default) =>
        path.ChangeAsync(scope, goal, "change a goal of the plan", CasePermission.WorkOnOpenCase, work =>
        {
            var description = Check(work.Problems, input);
            if (work.Problems.Any)
            {
                return;
            }

            work.Record.Edit(work.Case, description!, input.Needs, input.TargetDate, clock);
            work.Audit(AuditAction.Changed, "details");
            work.Publish(LiveEventKind.PlanChanged, work.Record.Id);
        }, cancellationToken);

    public Task<CommandResult> AchieveGoalAsync(UserScope scope, Seen<PlanGoal> goal, CancellationToken cancellationToken = default) =>
        path.ChangeAsync(scope, goal, "mark a goal achieved", CasePermission.WorkOnOpenCase, work =>
        {
            work.Record.Achieve(work.Case, scope.UserId, clock);
            work.Audit(AuditAction.Changed, nameof(GoalStatus.Achieved));
            work.Publish(LiveEventKind.PlanChanged, work.Record.Id);
        }, cancellationToken);

    public Task<CommandResult> DropGoalAsync(UserScope scope, Seen<PlanGoal> goal, string? reason, CancellationToken cancellationToken = default) =>
        path.ChangeAsync(scope, goal, "drop a goal", CasePermission.WorkOnOpenCase, work =>
        {
            var text = work.Problems.Text("Reason", reason, "The reason for dropping the goal", PlanGoal.ReasonMaxLength, required: true);
            if (work.Problems.Any)
            {
                return;
            }

            work.Record.Drop(work.Case, text!, scope.UserId, clock);
            work.Audit(AuditAction.Changed, nameof(GoalStatus.Dropped));
            work.Publish(LiveEventKind.PlanChanged, work.Record.Id);
        }, cancellationToken);

    /// <summary>Only where the case's country asks for approval, and only by a coordinator.</summary>
    public Task<CommandResult> ApproveGoalAsync(UserScope scope, Seen<PlanGoal> goal, CancellationToken cancellationToken = default) =>
        path.ChangeAsync(scope, goal, "approve a goal of the plan", CasePermission.WorkOnOpenCase.AndCoordinator("approve the plan"), work =>
        {
            if (!options.Value.NeedsApproval(work.Case.CountryCode))
            {
                work.Problems.Add("Goal", PlanErrors.ApprovalNotRequired, $"Plans in {work.Case.CountryCode} are not approved by a coordinator.");
                return;
            }

            work.Record.Approve(work.Case, scope.UserId, clock);
            work.Audit(AuditAction.Changed, "approved");
            work.Publish(LiveEventKind.PlanChanged, work.Record.Id);
        }, cancellationToken);

    /// <summary>Ties a referral to the goal it carries out; the domain checks the goal is open and answers that need.</summary>
    public Task<CommandResult> TieReferralAsync(UserScope scope, Seen<Referral> referral, Guid goalId, CancellationToken cancellationToken = default) =>
        path.ChangeAsync(scope, referral, "tie a referral to a goal", CasePermission.WorkOnOpenCase, async work =>
        {
            var goal = await work.Db.PlanGoals.AsNoTracking().FirstOrDefaultAsync(g => g.Id == goalId && g.CaseId == work.Record.CaseId, cancellationToken);
            if (goal is null)
            {
                work.Problems.Add("Goal", PlanErrors.GoalNotFound, "The goal is not part of this case's plan.");
                return;
            }

            work.Record.Serve(goal);
            work.Audit(AuditAction.Changed, $"serves goal {goal.Id}");
            work.Publish(LiveEventKind.ReferralChanged, work.Record.Id);
        }, cancellationToken);

    private async Task<LoadedPlan?> LoadAsync(PortalDbContext db, UserScope scope, Guid caseId, CancellationToken cancellationToken)
    {
        var survivorCase = await cases.FindCaseAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return null;
        }

        var assessment = await db.Assessments.AsNoTracking().FirstOrDefaultAsync(a => a.CaseId == caseId, cancellationToken);
        var goals = await db.PlanGoals.AsNoTracking().Where(g => g.CaseId == caseId).ToListAsync(cancellationToken);
        var referrals = await db.Referrals.AsNoTracking().Where(r => r.CaseId == caseId).ToListAsync(cancellationToken);
        return new LoadedPlan(survivorCase, assessment, goals, referrals);
    }

    private IReadOnlyList<NextStep> StepsFor(UserScope scope, LoadedPlan plan, DateTime now) =>
        NextSteps.For(
            plan.Case,
            plan.Case.AvailableActions(scope.UserId, scope.IsCoordinator),
            plan.Assessment,
            plan.Goals,
            plan.Referrals,
            now,
            ReviewEvery,
            options.Value.NeedsApproval(plan.Case.CountryCode),
            scope.IsCoordinator);

    private static (List<NeedInput> Needs, RiskLevel? Risk, string? Reason) Check(FormProblems problems, AssessmentInput input)
    {
        var needs = new List<NeedInput>();
        foreach (var need in input.Needs)
        {
            var what = problems.Text($"WhatIsNeeded_{need.Type}", need.WhatIsNeeded, $"What is needed ({need.Type})", Assessment.NeedTextMaxLength, required: true);
            var urgency = problems.Defined($"Urgency_{need.Type}", need.Urgency, $"Urgency ({need.Type})");
            var wish = problems.Text($"PersonsWish_{need.Type}", need.PersonsWish, $"The person's wish ({need.Type})", Assessment.NeedTextMaxLength, required: false);
            if (what is not null && urgency is not null)
            {
                needs.Add(new NeedInput(need.Type, what, urgency.Value, wish));
            }
        }

        var risk = problems.Defined("Risk", input.Risk, "Risk level");
        var reason = problems.Text("RiskReason", input.RiskReason, "The reason for the risk level", Assessment.RiskReasonMaxLength, required: true);
        return (needs, risk, reason);
    }

    private static string? Check(FormProblems problems, GoalInput input)
    {
        var description = problems.Text("Description", input.Description, "The goal", PlanGoal.DescriptionMaxLength, required: true);
        if (input.Needs.Count == 0)
        {
            problems.Add("Needs", PlanErrors.GoalWithoutNeed, "Choose the needs the goal answers.");
        }

        return description;
    }
}

internal sealed record LoadedPlan(Case Case, Assessment? Assessment, List<PlanGoal> Goals, List<Referral> Referrals);

/// <summary>Refusal codes of the plan's forms (translated as Error_{code} in CommandText).</summary>
public static class PlanErrors
{
    public const string AssessmentExists = "plan.assessment-exists";
    public const string GoalWithoutNeed = "plan.goal-without-need";
    public const string GoalNotFound = "plan.goal-not-found";
    public const string ApprovalNotRequired = "plan.approval-not-required";
}
