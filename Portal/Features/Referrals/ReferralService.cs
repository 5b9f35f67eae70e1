using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Consents;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Provider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Features.Referrals;

/// <summary>
/// Referrals of a case, from draft to outcome. Reads go through <see cref="CaseScope"/> and changes through
/// <see cref="CommandPath"/>: a case or referral outside the caller's scope answers like one that does not exist (audited),
/// only the case's advocate or a coordinator changes referrals, and a change on an old version is a conflict. Nothing is
/// sent without the consent it needs unless a coordinator overrides it with a written reason. Sending saves the
/// follow-ups the reminder policy plans in the same transaction as the referral.
/// </summary>
public sealed class ReferralService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    ReminderPolicy policy,
    CaseScope cases,
    CommandPath path)
{
    public static string RecordType => Records.Referral.Type;

    public const int MaxPageSize = 100;

    /// <summary>How much of a decline or withdrawal reason is kept on the follow-ups it cancels.</summary>
    private const int CancelReasonLength = FollowUp.ReasonMaxLength;

    private static readonly IReadOnlySet<ReferralAction> NoActions = new HashSet<ReferralAction>();

    public async Task<CaseReferralList?> GetForCaseAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await cases.FindCaseAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return null;
        }

        var now = clock.GetUtcDateTime();
        var referrals = await db.Referrals.AsNoTracking().Where(r => r.CaseId == caseId).ToListAsync(cancellationToken);
        var providerIds = referrals.Select(r => r.ProviderId).Distinct().ToList();
        var providers = await db.ServiceProviders.AsNoTracking().Where(p => providerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => new { p.Name, p.AnswersInPortal }, cancellationToken);
        var openChecks = await db.FollowUps.AsNoTracking()
            .Where(f => f.CaseId == caseId && f.ReferralId != null).Where(FollowUpRules.Open.Expression)
            .ToListAsync(cancellationToken);
        var userIds = referrals.SelectMany(r => r.History.Select(h => h.ByUserId)).Concat(referrals.Select(r => r.ConsentOverride?.ByUserId)).OfType<string>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);

        var overdue = (await db.Referrals.Where(r => r.CaseId == caseId).Where(Overdue(db, now)).Select(r => r.Id).ToListAsync(cancellationToken)).ToHashSet();
        var mayWork = CasePermission.WorkOnOpenCase.Check(scope, survivorCase, "") is null;
        var views = referrals
            .OrderByDescending(r => r.CreatedAtUtc)
            .Select(r =>
            {
                var checks = openChecks.Where(f => f.ReferralId == r.Id).ToList();
                var provider = providers.GetValueOrDefault(r.ProviderId);
                return new ReferralView(
                    r,
                    provider?.Name ?? "",
                    provider?.AnswersInPortal == true,
                    checks.Select(f => (DateTime?)f.EffectiveDueAtUtc).Min(),
                    overdue.Contains(r.Id),
                    mayWork ? r.AvailableActions() : NoActions);
            })
            .ToList();
        var canCreate = mayWork && survivorCase.AvailableActions(scope.UserId, scope.IsCoordinator).Contains(CaseAction.CreateReferral);
        return new CaseReferralList(caseId, survivorCase.CountryCode, canCreate, mayWork && scope.IsCoordinator, views, names);
    }

    /// <summary>How many of the case's referrals are overdue, as the referrals tab flags them (its badge).</summary>
    public async Task<int> CountOverdueAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await cases.FindCaseAsync(db, scope, caseId, cancellationToken) is null)
        {
            return 0;
        }

        return await db.Referrals.Where(r => r.CaseId == caseId).Where(Overdue(db, clock.GetUtcDateTime())).CountAsync(cancellationToken);
    }

    /// <summary>The case's referrals, for choosing which one a follow-up is about.</summary>
    public async Task<IReadOnlyList<ReferralOption>> GetOptionsAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await cases.FindCaseAsync(db, scope, caseId, cancellationToken) is null)
        {
            return [];
        }

        var referrals = await db.Referrals.AsNoTracking().Where(r => r.CaseId == caseId)
            .Join(db.ServiceProviders, r => r.ProviderId, p => p.Id, (r, p) => new { r.Id, r.Type, p.Name, r.CreatedAtUtc })
            .ToListAsync(cancellationToken);
        return referrals.OrderByDescending(r => r.CreatedAtUtc).Select(r => new ReferralOption(r.Id, r.Type, r.Name)).ToList();
    }

    /// <summary>The providers a referral of this type from this case may go to: active, in the case's country, offering the type.</summary>
    public async Task<IReadOnlyList<ProviderOption>> GetProviderOptionsAsync(UserScope scope, Guid caseId, ReferralType type, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await cases.FindCaseAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return [];
        }

        var country = survivorCase.CountryCode;
        var providers = await db.ServiceProviders.AsNoTracking().Where(p => p.CountryCode == country && p.IsActive).ToListAsync(cancellationToken);
        return providers
            .Where(p => p.Offers(type))
            .OrderBy(p => p.Name, StringComparer.CurrentCulture)
            .Select(p => new ProviderOption(p.Id, p.Name, p.Languages, p.Contact))
            .ToList();
    }

    public Task<CommandResult> CreateAsync(UserScope scope, Guid caseId, ReferralInput input, CancellationToken cancellationToken = default) =>
        path.AddToCaseAsync(scope, caseId, "create a referral", CasePermission.WorkOnOpenCase, async work =>
        {
            var (type, reason, urgency) = CheckDetails(work.Problems, input);
            var provider = await CheckProviderAsync(work.Db, work.Problems, input.ProviderId, work.Case, type, cancellationToken);
            if (work.Problems.Any)
            {
                return;
            }

            var referral = Referral.Create(work.Case, type!.Value, provider!, reason!, urgency!.Value, scope.UserId, clock);
            work.Db.Referrals.Add(referral);
            work.Created = referral.Id;
            work.Audit(AuditAction.Created, RecordType, referral.Id, referral.Type.ToString());
            work.Publish(LiveEventKind.ReferralChanged, referral.Id);
        }, cancellationToken);

    public Task<CommandResult> EditDraftAsync(UserScope scope, Seen<Referral> referral, ReferralInput input, CancellationToken cancellationToken = default) =>
        path.ChangeAsync(scope, referral, "edit a referral", CasePermission.WorkOnOpenCase, async work =>
        {
            var (type, reason, urgency) = CheckDetails(work.Problems, input);
            var provider = await CheckProviderAsync(work.Db, work.Problems, input.ProviderId, work.Case, type, cancellationToken);
            if (work.Problems.Any)
            {
                return;
            }

            work.Record.EditDraft(work.Case, type!.Value, provider!, reason!, urgency!.Value);
            work.Audit(AuditAction.Changed, "draft");
            work.Publish(LiveEventKind.ReferralChanged, work.Record.Id);
        }, cancellationToken);

    /// <summary>Sends the referral if the person's consent allows it; otherwise the result's value says exactly what consent is missing.</summary>
    public Task<CommandResult<IReadOnlyList<MissingConsent>>> SendAsync(UserScope scope, Seen<Referral> referral, CancellationToken cancellationToken = default) =>
        SendCoreAsync(scope, referral, "send a referral", CasePermission.WorkOnOpenCase, overrideReason: null, cancellationToken);

    /// <summary>
    /// A coordinator sends despite missing consent (for instance when the person's life is at risk), with a written
    /// reason that is kept with the referral; the override is audited. Advocates are refused, and that is audited too.
    /// </summary>
    public Task<CommandResult<IReadOnlyList<MissingConsent>>> SendWithConsentOverrideAsync(UserScope scope, Seen<Referral> referral, string? reason, CancellationToken cancellationToken = default) =>
        SendCoreAsync(
            scope,
            referral,
            "override consent",
            CasePermission.WorkOnOpenCase.AndCoordinator("Only a coordinator may send a referral without the consent it needs."),
            overrideReason: reason ?? "",
            cancellationToken);

    /// <summary>The provider took the referral on; the acceptance check is answered.</summary>
    public Task<CommandResult> AcceptAsync(UserScope scope, Seen<Referral> referral, string? comment, CancellationToken cancellationToken = default) =>
        AnswerAsync(scope, referral, "record acceptance of a referral", nameof(ReferralStatus.Accepted), (work, checks) =>
        {
            var text = work.Problems.Text("Comment", comment, "Comment", Referral.CommentMaxLength, required: false);
            if (!work.Problems.Any)
            {
                work.Record.Accept(scope.UserId, clock, text);
                AnswerAcceptanceChecks(checks, scope.UserId);
            }
        }, cancellationToken);

    /// <summary>The provider said no, with a reason from the list (and words, required for "other"); the referral's remaining checks no longer make sense and are cancelled.</summary>
    public Task<CommandResult> DeclineAsync(UserScope scope, Seen<Referral> referral, ReferralDeclineReason? reason, string? comment, CancellationToken cancellationToken = default) =>
        AnswerAsync(scope, referral, "record a provider declining a referral", nameof(ReferralStatus.Declined), (work, checks) =>
        {
            var chosen = work.Problems.Defined("DeclineReason", reason, "The reason the provider declined");
            var text = work.Problems.Text("Reason", comment, "The reason the provider declined", Referral.ReasonMaxLength, required: chosen == ReferralDeclineReason.Other);
            if (!work.Problems.Any)
            {
                work.Record.Decline(chosen!.Value, text, scope.UserId, clock);
                AnswerAcceptanceChecks(checks, scope.UserId);
                CancelChecks(checks, text ?? $"Declined: {chosen}", scope.UserId);
            }
        }, cancellationToken);

    /// <summary>
    /// The provider gave the person an appointment (accepting the referral if it was only sent): the advocate gets a
    /// follow-up at that time, moved rather than doubled when the appointment is moved.
    /// </summary>
    public Task<CommandResult> ScheduleAsync(UserScope scope, Seen<Referral> referral, DateTime? appointmentAtUtc, string? comment, CancellationToken cancellationToken = default) =>
        AnswerAsync(scope, referral, "record an appointment for a referral", "appointment", (work, checks) =>
        {
            if (appointmentAtUtc is null)
            {
                work.Problems.Add("Appointment", ErrorCodes.Required, "The appointment's date and time are required.");
            }

            var text = work.Problems.Text("Comment", comment, "Comment", Referral.CommentMaxLength, required: false);
            if (work.Problems.Any)
            {
                return;
            }

            var at = DateTime.SpecifyKind(appointmentAtUtc!.Value, DateTimeKind.Utc);
            work.Record.Schedule(at, scope.UserId, clock, text);
            AnswerAcceptanceChecks(checks, scope.UserId);
            if (checks.FirstOrDefault(f => f.IsOpen && f.Kind == FollowUpKind.AppointmentCheck) is { } earlier)
            {
                earlier.Move(at, "The provider moved the appointment.", scope.UserId, clock);
            }
            else
            {
                work.Db.FollowUps.Add(FollowUp.CreateManual(work.Record.CaseId, work.Record.Id, FollowUpKind.AppointmentCheck, null, at, isUrgent: false));
            }
        }, cancellationToken, followUpsChanged: true);

    /// <summary>The service was delivered (or not) with an outcome; later checks on the person stay planned.</summary>
    public Task<CommandResult> CompleteAsync(UserScope scope, Seen<Referral> referral, ReferralOutcome? outcome, string? comment, CancellationToken cancellationToken = default) =>
        AnswerAsync(scope, referral, "complete a referral", nameof(ReferralStatus.Completed), (work, checks) =>
        {
            var chosen = work.Problems.Defined("Outcome", outcome, "Outcome");
            var text = work.Problems.Text("Comment", comment, "Comment", Referral.CommentMaxLength, required: false);
            if (!work.Problems.Any)
            {
                work.Record.Complete(chosen!.Value, scope.UserId, clock, text);
                AnswerAcceptanceChecks(checks, scope.UserId);
            }
        }, cancellationToken);

    /// <summary>Withdrawn from any open state; its open checks are cancelled with the same reason.</summary>
    public Task<CommandResult> WithdrawAsync(UserScope scope, Seen<Referral> referral, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, referral, "withdraw a referral", nameof(ReferralStatus.Withdrawn), (work, checks) =>
        {
            var text = work.Problems.Text("Reason", reason, "The reason for withdrawing", Referral.ReasonMaxLength, required: true);
            if (!work.Problems.Any)
            {
                work.Record.Withdraw(text!, scope.UserId, clock);
                CancelChecks(checks, text!, scope.UserId);
            }
        }, cancellationToken);

    /// <summary>Runs the step chosen on a page (the case's referrals tab, the provider desk) with what its dialog collected.</summary>
    public Task<CommandResult> TakeStepAsync(UserScope scope, Seen<Referral> referral, ReferralAction action, ReferralStep step, CancellationToken cancellationToken = default) => action switch
    {
        ReferralAction.Accept => AcceptAsync(scope, referral, step.Text, cancellationToken),
        ReferralAction.Decline => DeclineAsync(scope, referral, step.DeclineReason, step.Text, cancellationToken),
        ReferralAction.Schedule => ScheduleAsync(scope, referral, step.AppointmentAtUtc, step.Text, cancellationToken),
        ReferralAction.Complete => CompleteAsync(scope, referral, step.Outcome, step.Text, cancellationToken),
        ReferralAction.Withdraw => WithdrawAsync(scope, referral, step.Text, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Sending and editing a draft have commands of their own."),
    };

    /// <summary>Referrals across cases for the /referrals view: always within the viewer's scope, filtered and paged on the server.</summary>
    public async Task<ReferralPage> ListAsync(UserScope scope, ReferralQuery query, CancellationToken cancellationToken = default)
    {
        if (!await cases.SessionOpenAsync(scope, RecordType, cancellationToken))
        {
            return new ReferralPage([], 0);
        }

        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcDateTime();
        var referrals = Filtered(db, scope, query, now);
        var total = await referrals.CountAsync(cancellationToken);
        var rows = await Order(referrals, query.Sort, query.Descending)
            .Skip(Math.Max(0, query.Page) * pageSize)
            .Take(pageSize)
            .Select(r => new { r.Id, r.CaseId, r.CaseNumber, r.CountryCode, r.Type, r.ProviderId, r.Status, r.Urgency, r.CreatedAtUtc, r.SentAtUtc, r.AcceptanceDueAtUtc })
            .ToListAsync(cancellationToken);

        var ids = rows.Select(r => r.Id).ToList();
        var providerIds = rows.Select(r => r.ProviderId).Distinct().ToList();
        var providers = await db.ServiceProviders.AsNoTracking().Where(p => providerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var checks = await db.FollowUps.AsNoTracking()
            .Where(f => f.ReferralId != null && ids.Contains(f.ReferralId.Value)).Where(FollowUpRules.Open.Expression)
            .ToListAsync(cancellationToken);
        // Flagged by the same query as the "overdue only" filter, so a flagged row is always one the filter lists.
        var overdue = (await db.Referrals.Where(r => ids.Contains(r.Id)).Where(Overdue(db, now)).Select(r => r.Id).ToListAsync(cancellationToken)).ToHashSet();

        return new ReferralPage(
            rows.Select(r => new ReferralRow(
                r.Id, r.CaseId, r.CaseNumber, r.CountryCode, r.Type, providers.GetValueOrDefault(r.ProviderId) ?? "", r.Status, r.Urgency,
                r.CreatedAtUtc, r.SentAtUtc, r.AcceptanceDueAtUtc,
                checks.Where(f => f.ReferralId == r.Id).Select(f => (DateTime?)f.EffectiveDueAtUtc).Min(),
                overdue.Contains(r.Id))).ToList(),
            total);
    }

    /// <summary>Providers of the viewer's countries, active or not (past referrals point at inactive ones too), for the list's filter.</summary>
    public async Task<IReadOnlyList<ProviderFilterOption>> GetProviderFilterOptionsAsync(UserScope scope, CancellationToken cancellationToken = default)
    {
        if (!await cases.SessionOpenAsync(scope, RecordType, cancellationToken))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var providers = await db.ServiceProviders.AsNoTracking().InScope(scope, p => p.CountryCode)
            .Select(p => new ProviderFilterOption(p.Id, p.Name, p.CountryCode))
            .ToListAsync(cancellationToken);
        return providers.OrderBy(p => p.CountryCode, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.CurrentCulture).ToList();
    }

    internal static IQueryable<Referral> Filtered(PortalDbContext db, UserScope scope, ReferralQuery query, DateTime now)
    {
        // A work list: a closed case has left it (its referrals stay on its own Referrals tab).
        var openCases = db.Cases.Where(c => c.Status != CaseStatus.Closed);
        var referrals = db.Referrals.AsNoTracking().InScope(scope, r => r.CountryCode).Where(r => openCases.Any(c => c.Id == r.CaseId));
        if (query.Scope == ReferralListScope.MyCases)
        {
            var userId = scope.UserId;
            var cases = db.Cases;
            referrals = referrals.Where(r => cases.Any(c => c.Id == r.CaseId && c.AssignedAdvocateId == userId));
        }

        if (query.Type is { } type)
        {
            referrals = referrals.Where(r => r.Type == type);
        }

        if (query.Status is { } status)
        {
            referrals = referrals.Where(r => r.Status == status);
        }

        if (query.ProviderId is { } providerId)
        {
            referrals = referrals.Where(r => r.ProviderId == providerId);
        }

        if (query.OverdueOnly)
        {
            referrals = referrals.Where(Overdue(db, now));
        }

        return referrals;
    }

    private static IQueryable<Referral> Order(IQueryable<Referral> referrals, ReferralSort sort, bool descending)
    {
        // The id breaks ties, so paging is deterministic.
        IOrderedQueryable<Referral> ordered = (sort, descending) switch
        {
            (ReferralSort.CaseNumber, false) => referrals.OrderBy(r => r.CaseNumber),
            (ReferralSort.CaseNumber, true) => referrals.OrderByDescending(r => r.CaseNumber),
            (ReferralSort.Type, false) => referrals.OrderBy(r => r.Type),
            (ReferralSort.Type, true) => referrals.OrderByDescending(r => r.Type),
            (ReferralSort.Status, false) => referrals.OrderBy(r => r.Status),
            (ReferralSort.Status, true) => referrals.OrderByDescending(r => r.Status),
            (ReferralSort.Sent, false) => referrals.OrderBy(r => r.SentAtUtc),
            (ReferralSort.Sent, true) => referrals.OrderByDescending(r => r.SentAtUtc),
            (ReferralSort.AcceptanceDue, false) => referrals.OrderBy(r => r.AcceptanceDueAtUtc),
            (ReferralSort.AcceptanceDue, true) => referrals.OrderByDescending(r => r.AcceptanceDueAtUtc),
            (_, false) => referrals.OrderBy(r => r.CreatedAtUtc),
            _ => referrals.OrderByDescending(r => r.CreatedAtUtc),
        };
        return descending ? ordered.ThenByDescending(r => r.Id) : ordered.ThenBy(r => r.Id);
    }

    private async Task<CommandResult<IReadOnlyList<MissingConsent>>> SendCoreAsync(
        UserScope scope, Seen<Referral> referral, string attempt, CasePermission permission, string? overrideReason, CancellationToken cancellationToken)
    {
        IReadOnlyList<MissingConsent> missing = [];
        var result = await path.ChangeAsync(scope, referral, attempt, permission, async work =>
        {
            var reason = overrideReason is null ? null
                : work.Problems.Text("OverrideReason", overrideReason, "A written reason for overriding consent", Referral.ReasonMaxLength, required: true);
            if (work.Problems.Any)
            {
                return;
            }

            var sending = work.Record;
            var provider = await work.Db.ServiceProviders.AsNoTracking().FirstAsync(p => p.Id == sending.ProviderId, cancellationToken);
            IReadOnlyList<FollowUp> planned;
            try
            {
                planned = reason is null
                    ? sending.Send(work.Case, provider, policy, scope.UserId, clock)
                    : sending.SendWithConsentOverride(work.Case, provider, policy, scope.UserId, reason, clock);
            }
            catch (ConsentRequiredException consent)
            {
                missing = consent.Missing.Select(m => m.Kind).ToList();
                throw;
            }

            // The referral and the checks planned for it are saved together or not at all.
            work.Db.FollowUps.AddRange(planned);
            work.Audit(AuditAction.ReferralSent, sending.Type.ToString());
            if (sending.ConsentOverride is { } overridden)
            {
                // What was missing is not sensitive; the reason is the coordinator's own words and stays with the referral.
                work.Audit(AuditAction.ConsentOverride, overridden.MissingConsent);
            }

            Publish(work, followUpsChanged: planned.Count > 0);
        }, cancellationToken);
        return result.With(missing);
    }

    /// <summary>The provider's answer, given by a user of the provider it is addressed to, or recorded by hand by the case's advocate or a coordinator.</summary>
    private Task<CommandResult> AnswerAsync(
        UserScope scope,
        Seen<Referral> referral,
        string attempt,
        string auditDetail,
        Action<CommandWork<Referral>, IReadOnlyList<FollowUp>> change,
        CancellationToken cancellationToken,
        bool followUpsChanged = false) =>
        path.ChangeAsync(scope, referral, attempt, (survivorCase, answered) => MayAnswer(scope, survivorCase, answered, attempt), work => StepAsync(work, auditDetail, change, followUpsChanged, cancellationToken), cancellationToken);

    /// <summary>A step in the referral's lifecycle the office takes (withdrawing).</summary>
    private Task<CommandResult> ChangeAsync(
        UserScope scope,
        Seen<Referral> referral,
        string attempt,
        string auditDetail,
        Action<CommandWork<Referral>, IReadOnlyList<FollowUp>> change,
        CancellationToken cancellationToken) =>
        path.ChangeAsync(scope, referral, attempt, CasePermission.WorkOnOpenCase, work => StepAsync(work, auditDetail, change, followUpsChanged: false, cancellationToken), cancellationToken);

    /// <summary>A step with the referral's open checks loaded, to answer, move or cancel alongside it.</summary>
    private static async Task StepAsync(
        CommandWork<Referral> work, string auditDetail, Action<CommandWork<Referral>, IReadOnlyList<FollowUp>> change, bool followUpsChanged, CancellationToken cancellationToken)
    {
        var referralId = work.Record.Id;
        var checks = await work.Db.FollowUps.Where(f => f.ReferralId == referralId).Where(FollowUpRules.Open.Expression).ToListAsync(cancellationToken);
        change(work, checks);
        work.Audit(AuditAction.Changed, auditDetail);
        Publish(work, followUpsChanged: followUpsChanged || checks.Count > 0);
    }

    /// <summary>A user of the provider the referral is addressed to; otherwise the case's advocate or a coordinator, recording the answer by hand.</summary>
    private static CommandResult? MayAnswer(UserScope scope, Case survivorCase, Referral referral, string attempt) =>
        !scope.IsProvider ? CasePermission.WorkOnOpenCase.Check(scope, survivorCase, attempt)
        : referral.ProviderId != scope.ProviderId ? CommandResult.Forbidden($"Only the provider a referral is addressed to may {attempt}.")
        : survivorCase.IsClosed ? CommandResult.Refused(ErrorCodes.CaseClosed, $"Cannot {attempt}: the case it serves is closed.")
        : null;

    /// <summary>
    /// Overdue referrals, as the lists flag them: sent and not accepted by the deadline, or with an open check overdue.
    /// The two rules are the domain's (<see cref="ReferralRules.OverdueForAcceptance"/>, <see cref="FollowUpRules.Overdue"/>).
    /// </summary>
    internal static Expression<Func<Referral, bool>> Overdue(PortalDbContext db, DateTime now)
    {
        var lateChecks = db.FollowUps.Where(FollowUpRules.Overdue.For(now));
        Expression<Func<Referral, bool>> hasLateCheck = r => lateChecks.Any(f => f.ReferralId == r.Id);
        return ReferralRules.OverdueForAcceptance.For(now).Or(hasLateCheck);
    }

    private static (ReferralType? Type, string? Reason, ReferralUrgency? Urgency) CheckDetails(FormProblems problems, ReferralInput input) =>
        (problems.Defined("Type", input.Type, "Referral type"),
         problems.Text("Reason", input.Reason, "Referral reason", Referral.ReasonMaxLength, required: true),
         problems.Defined("Urgency", input.Urgency, "Urgency"));

    /// <summary>The provider must exist, work in the case's country, be active and offer the service; each failure is said next to the field.</summary>
    private static async Task<Provider?> CheckProviderAsync(PortalDbContext db, FormProblems problems, Guid? providerId, Case survivorCase, ReferralType? type, CancellationToken cancellationToken)
    {
        if (providerId is not { } id || id == Guid.Empty)
        {
            problems.Add("Provider", ErrorCodes.Required, "A provider is required.");
            return null;
        }

        var provider = await db.ServiceProviders.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (provider is null)
        {
            problems.Add("Provider", ReferralErrors.UnknownProvider, "The chosen provider is not known; choose one from the list.");
        }
        else if (provider.CountryCode != survivorCase.CountryCode)
        {
            problems.Add("Provider", ErrorCodes.ProviderOtherCountry, $"The provider works in another country than case {survivorCase.Number}.");
        }
        else if (!provider.IsActive)
        {
            problems.Add("Provider", ErrorCodes.ProviderInactive, $"{provider.Name} is inactive and cannot receive new referrals.");
        }
        else if (type is { } t && !provider.Offers(t))
        {
            problems.Add("Provider", ErrorCodes.ProviderServiceNotOffered, $"{provider.Name} does not offer {t}.");
        }

        return provider;
    }

    private void AnswerAcceptanceChecks(IReadOnlyList<FollowUp> checks, string by)
    {
        foreach (var check in checks.Where(f => f.IsOpen && f.Kind == FollowUpKind.AcceptanceCheck))
        {
            check.Complete(by, clock);
        }
    }

    private void CancelChecks(IReadOnlyList<FollowUp> checks, string reason, string by)
    {
        var text = reason.Length <= CancelReasonLength ? reason : reason[..CancelReasonLength];
        foreach (var check in checks.Where(f => f.IsOpen))
        {
            check.Cancel(text, by, clock);
        }
    }

    private static void Publish(CommandWork<Referral> work, bool followUpsChanged)
    {
        work.PublishToProvider(LiveEventKind.ReferralChanged, work.Record.Id, work.Record.ProviderId);
        if (followUpsChanged)
        {
            work.Publish(LiveEventKind.FollowUpChanged, work.Record.Id);
        }
    }
}

/// <summary>Codes of refusals this feature adds to the domain's; stable, so pages translate them.</summary>
public static class ReferralErrors
{
    public const string UnknownProvider = "provider.unknown";
    public const string UnknownReferral = "follow-up.unknown-referral";
    public const string DueInPast = "follow-up.due-in-past";
}
