using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Consents;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Features.Audit;
using Portal.Features.Cases;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Provider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Features.Referrals;

/// <summary>
/// Referrals of a case, from draft to outcome. Every call starts from the caller's scope: a case or referral outside it
/// answers exactly like one that does not exist, and the attempt is audited. Only the case's advocate or a coordinator
/// changes referrals; nothing is sent without the consent it needs unless a coordinator overrides it with a written
/// reason. Sending saves the follow-ups the reminder policy plans in the same transaction as the referral. Changes use
/// the referral's concurrency token, so two people never overwrite each other silently.
/// </summary>
public sealed class ReferralService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    ReminderPolicy policy,
    ILiveEvents liveEvents,
    IAuditLog audit)
{
    public const string RecordType = "Referral";
    public const int MaxPageSize = 100;

    /// <summary>How much of a decline or withdrawal reason is kept on the follow-ups it cancels.</summary>
    private const int CancelReasonLength = FollowUp.ReasonMaxLength;

    private static readonly IReadOnlySet<ReferralAction> NoActions = new HashSet<ReferralAction>();

    public async Task<CaseReferralList?> GetForCaseAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await CaseAccess.FindCaseAsync(db, audit, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return null;
        }

        var now = clock.GetUtcDateTime();
        var referrals = await db.Referrals.AsNoTracking().Where(r => r.CaseId == caseId).ToListAsync(cancellationToken);
        var providerIds = referrals.Select(r => r.ProviderId).Distinct().ToList();
        var providers = await db.ServiceProviders.AsNoTracking().Where(p => providerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var openFollowUps = await db.FollowUps.AsNoTracking()
            .Where(f => f.CaseId == caseId && f.ReferralId != null && (f.Status == FollowUpStatus.Open || f.Status == FollowUpStatus.Snoozed))
            .ToListAsync(cancellationToken);
        var userIds = referrals.SelectMany(r => r.History.Select(h => h.ByUserId)).Concat(referrals.Select(r => r.ConsentOverride?.ByUserId)).OfType<string>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);

        var mayWork = CaseAccess.MayWork(scope, survivorCase) && !survivorCase.IsClosed;
        var views = referrals
            .OrderByDescending(r => r.CreatedAtUtc)
            .Select(r =>
            {
                var checks = openFollowUps.Where(f => f.ReferralId == r.Id).ToList();
                return new ReferralView(
                    r,
                    providers.GetValueOrDefault(r.ProviderId) ?? "",
                    checks.Select(f => (DateTime?)f.EffectiveDueAtUtc).Min(),
                    r.IsOverdueForAcceptance(now) || checks.Any(f => f.IsOverdue(now)),
                    mayWork ? r.AvailableActions() : NoActions);
            })
            .ToList();
        var canCreate = mayWork && survivorCase.AvailableActions(scope.UserId, scope.IsCoordinator).Contains(CaseAction.CreateReferral);
        return new CaseReferralList(caseId, survivorCase.CountryCode, canCreate, mayWork && scope.IsCoordinator, views, names);
    }

    /// <summary>The providers a referral of this type from this case may go to: active, in the case's country, offering the type.</summary>
    public async Task<IReadOnlyList<ProviderOption>> GetProviderOptionsAsync(UserScope scope, Guid caseId, ReferralType type, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await CaseAccess.FindCaseAsync(db, audit, scope, caseId, cancellationToken);
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

    public async Task<FormResult> CreateAsync(UserScope scope, Guid caseId, ReferralInput input, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var (type, reason, urgency) = CheckDetails(problems, input);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var survivorCase = await CaseAccess.FindCaseAsync(db, audit, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return FormResult.NotFound;
        }

        if (await CaseAccess.RefusalAsync(audit, scope, survivorCase, CaseService.RecordType, caseId, "create a referral", cancellationToken) is { } refusal)
        {
            return FormResult.From(refusal);
        }

        var provider = await CheckProviderAsync(db, problems, input.ProviderId, survivorCase, type, cancellationToken);
        if (problems.Any)
        {
            return FormResult.Invalid(problems);
        }

        Referral referral;
        try
        {
            referral = Referral.Create(survivorCase, type!.Value, provider!, reason!, urgency!.Value, scope.UserId, clock);
            db.Referrals.Add(referral);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException refused)
        {
            return FormResult.Refused(refused);
        }

        await audit.RecordAsync(AuditAction.Created, RecordType, referral.Id.ToString(), referral.Type.ToString(), cancellationToken);
        await PublishAsync(referral, followUpsChanged: false, cancellationToken);
        return FormResult.Done(referral.Id);
    }

    public async Task<FormResult> EditDraftAsync(UserScope scope, Guid referralId, Guid expectedVersion, ReferralInput input, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var (type, reason, urgency) = CheckDetails(problems, input);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var loaded = await LoadAsync(db, scope, referralId, expectedVersion, "edit a referral", cancellationToken);
        if (loaded.Refusal is { } refusal)
        {
            return refusal;
        }

        var (referral, survivorCase) = (loaded.Referral!, loaded.Case!);
        var provider = await CheckProviderAsync(db, problems, input.ProviderId, survivorCase, type, cancellationToken);
        if (problems.Any)
        {
            return FormResult.Invalid(problems);
        }

        try
        {
            referral.EditDraft(survivorCase, type!.Value, provider!, reason!, urgency!.Value);
        }
        catch (DomainException refused)
        {
            return FormResult.Refused(refused);
        }

        if (await SaveAsync(db, referralId, cancellationToken) is { } conflict)
        {
            return FormResult.From(conflict);
        }

        await audit.RecordAsync(AuditAction.Changed, RecordType, referralId.ToString(), "draft", cancellationToken);
        await PublishAsync(referral, followUpsChanged: false, cancellationToken);
        return FormResult.Done(referralId);
    }

    /// <summary>Sends the referral if the person's consent allows it; otherwise says exactly what consent is missing.</summary>
    public Task<SendResult> SendAsync(UserScope scope, Guid referralId, Guid expectedVersion, CancellationToken cancellationToken = default) =>
        SendCoreAsync(scope, referralId, expectedVersion, overrideReason: null, cancellationToken);

    /// <summary>
    /// A coordinator sends despite missing consent (for instance when the person's life is at risk), with a written
    /// reason that is kept with the referral; the override is audited. Advocates are refused, and that is audited too.
    /// </summary>
    public async Task<SendResult> SendWithConsentOverrideAsync(UserScope scope, Guid referralId, Guid expectedVersion, string? reason, CancellationToken cancellationToken = default)
    {
        if (!scope.IsCoordinator)
        {
            await audit.RecordAsync(AuditAction.AccessDenied, RecordType, referralId.ToString(), "override consent", cancellationToken);
            return SendResult.From(CommandResult.Forbidden("Only a coordinator may send a referral without the consent it needs."));
        }

        var problems = new FormProblems();
        var text = problems.Text("OverrideReason", reason, "A written reason for overriding consent", Referral.ReasonMaxLength, required: true);
        return problems.Any
            ? SendResult.From(FormResult.Invalid(problems))
            : await SendCoreAsync(scope, referralId, expectedVersion, text, cancellationToken);
    }

    /// <summary>The provider took the referral on; the acceptance check is answered.</summary>
    public Task<FormResult> AcceptAsync(UserScope scope, Guid referralId, Guid expectedVersion, string? comment, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var text = problems.Text("Comment", comment, "Comment", Referral.CommentMaxLength, required: false);
        return problems.Any
            ? Task.FromResult(FormResult.Invalid(problems))
            : ChangeAsync(scope, referralId, expectedVersion, "record acceptance of a referral", nameof(ReferralStatus.Accepted), (referral, checks) =>
            {
                referral.Accept(scope.UserId, clock, text);
                AnswerAcceptanceChecks(checks, scope.UserId);
            }, cancellationToken);
    }

    /// <summary>The provider said no; the referral's remaining checks no longer make sense and are cancelled with the same reason.</summary>
    public Task<FormResult> DeclineAsync(UserScope scope, Guid referralId, Guid expectedVersion, string? reason, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var text = problems.Text("Reason", reason, "The reason the provider declined", Referral.ReasonMaxLength, required: true);
        return problems.Any
            ? Task.FromResult(FormResult.Invalid(problems))
            : ChangeAsync(scope, referralId, expectedVersion, "record a provider declining a referral", nameof(ReferralStatus.Declined), (referral, checks) =>
            {
                referral.Decline(text!, scope.UserId, clock);
                AnswerAcceptanceChecks(checks, scope.UserId);
                CancelChecks(checks, text!, scope.UserId);
            }, cancellationToken);
    }

    /// <summary>The service was delivered (or not) with an outcome; later checks on the person stay planned.</summary>
    public Task<FormResult> CompleteAsync(UserScope scope, Guid referralId, Guid expectedVersion, ReferralOutcome? outcome, string? comment, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var chosen = problems.Defined("Outcome", outcome, "Outcome");
        var text = problems.Text("Comment", comment, "Comment", Referral.CommentMaxLength, required: false);
        return problems.Any
            ? Task.FromResult(FormResult.Invalid(problems))
            : ChangeAsync(scope, referralId, expectedVersion, "complete a referral", nameof(ReferralStatus.Completed), (referral, checks) =>
            {
                referral.Complete(chosen!.Value, scope.UserId, clock, text);
                AnswerAcceptanceChecks(checks, scope.UserId);
            }, cancellationToken);
    }

    /// <summary>Withdrawn from any open state; its open checks are cancelled with the same reason.</summary>
    public Task<FormResult> WithdrawAsync(UserScope scope, Guid referralId, Guid expectedVersion, string? reason, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var text = problems.Text("Reason", reason, "The reason for withdrawing", Referral.ReasonMaxLength, required: true);
        return problems.Any
            ? Task.FromResult(FormResult.Invalid(problems))
            : ChangeAsync(scope, referralId, expectedVersion, "withdraw a referral", nameof(ReferralStatus.Withdrawn), (referral, checks) =>
            {
                referral.Withdraw(text!, scope.UserId, clock);
                CancelChecks(checks, text!, scope.UserId);
            }, cancellationToken);
    }

    /// <summary>Referrals across cases for the /referrals view: always within the viewer's scope, filtered and paged on the server.</summary>
    public async Task<ReferralPage> ListAsync(UserScope scope, ReferralQuery query, CancellationToken cancellationToken = default)
    {
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
            .Where(f => f.ReferralId != null && ids.Contains(f.ReferralId.Value) && (f.Status == FollowUpStatus.Open || f.Status == FollowUpStatus.Snoozed))
            .ToListAsync(cancellationToken);

        return new ReferralPage(
            rows.Select(r =>
            {
                var open = checks.Where(f => f.ReferralId == r.Id).ToList();
                var overdueForAcceptance = r.Status == ReferralStatus.Sent && r.AcceptanceDueAtUtc is { } due && now > due;
                return new ReferralRow(
                    r.Id, r.CaseId, r.CaseNumber, r.CountryCode, r.Type, providers.GetValueOrDefault(r.ProviderId) ?? "", r.Status, r.Urgency,
                    r.CreatedAtUtc, r.SentAtUtc, r.AcceptanceDueAtUtc, open.Select(f => (DateTime?)f.EffectiveDueAtUtc).Min(),
                    overdueForAcceptance || open.Any(f => f.IsOverdue(now)));
            }).ToList(),
            total);
    }

    /// <summary>Providers of the viewer's countries, active or not (past referrals point at inactive ones too), for the list's filter.</summary>
    public async Task<IReadOnlyList<ProviderFilterOption>> GetProviderFilterOptionsAsync(UserScope scope, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var providers = await db.ServiceProviders.AsNoTracking().InScope(scope, p => p.CountryCode)
            .Select(p => new ProviderFilterOption(p.Id, p.Name, p.CountryCode))
            .ToListAsync(cancellationToken);
        return providers.OrderBy(p => p.CountryCode, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.CurrentCulture).ToList();
    }

    internal static IQueryable<Referral> Filtered(PortalDbContext db, UserScope scope, ReferralQuery query, DateTime now)
    {
        var referrals = db.Referrals.AsNoTracking().InScope(scope, r => r.CountryCode);
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
            // The same rules as Referral.IsOverdueForAcceptance and FollowUp.IsOverdue, in SQL.
            var followUps = db.FollowUps;
            var overdueCutoff = now - FollowUp.OverdueAfter;
            referrals = referrals.Where(r =>
                (r.Status == ReferralStatus.Sent && r.AcceptanceDueAtUtc < now) ||
                followUps.Any(f => f.ReferralId == r.Id &&
                    ((f.Status == FollowUpStatus.Open && (f.IsUrgent ? f.DueAtUtc <= now : f.DueAtUtc <= overdueCutoff)) ||
                     (f.Status == FollowUpStatus.Snoozed && (f.IsUrgent ? f.SnoozedUntilUtc <= now : f.SnoozedUntilUtc <= overdueCutoff)))));
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

    private async Task<SendResult> SendCoreAsync(UserScope scope, Guid referralId, Guid expectedVersion, string? overrideReason, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var loaded = await LoadAsync(db, scope, referralId, expectedVersion, "send a referral", cancellationToken);
        if (loaded.Refusal is { } refusal)
        {
            return SendResult.From(refusal);
        }

        var (referral, survivorCase) = (loaded.Referral!, loaded.Case!);
        var provider = await db.ServiceProviders.AsNoTracking().FirstAsync(p => p.Id == referral.ProviderId, cancellationToken);
        IReadOnlyList<FollowUp> planned;
        try
        {
            planned = overrideReason is null
                ? referral.Send(survivorCase, provider, policy, scope.UserId, clock)
                : referral.SendWithConsentOverride(survivorCase, provider, policy, scope.UserId, overrideReason, clock);
        }
        catch (ConsentRequiredException missing)
        {
            return new SendResult(FormResult.Refused(missing), missing.Missing.Select(m => m.Kind).ToList());
        }
        catch (DomainException refused)
        {
            return SendResult.From(FormResult.Refused(refused));
        }

        // The referral and the checks planned for it are saved together or not at all.
        db.FollowUps.AddRange(planned);
        if (await SaveAsync(db, referralId, cancellationToken) is { } conflict)
        {
            return SendResult.From(conflict);
        }

        await audit.RecordAsync(AuditAction.ReferralSent, RecordType, referralId.ToString(), referral.Type.ToString(), cancellationToken);
        if (referral.ConsentOverride is { } overridden)
        {
            // What was missing is not sensitive; the reason is the coordinator's own words and stays with the referral.
            await audit.RecordAsync(AuditAction.ConsentOverride, RecordType, referralId.ToString(), overridden.MissingConsent, cancellationToken);
        }

        await PublishAsync(referral, followUpsChanged: planned.Count > 0, cancellationToken);
        return SendResult.From(FormResult.Done(referralId));
    }

    private async Task<FormResult> ChangeAsync(
        UserScope scope,
        Guid referralId,
        Guid expectedVersion,
        string attempt,
        string auditDetail,
        Action<Referral, IReadOnlyList<FollowUp>> change,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var loaded = await LoadAsync(db, scope, referralId, expectedVersion, attempt, cancellationToken);
        if (loaded.Refusal is { } refusal)
        {
            return refusal;
        }

        var referral = loaded.Referral!;
        var checks = await db.FollowUps
            .Where(f => f.ReferralId == referralId && (f.Status == FollowUpStatus.Open || f.Status == FollowUpStatus.Snoozed))
            .ToListAsync(cancellationToken);
        try
        {
            change(referral, checks);
        }
        catch (DomainException refused)
        {
            return FormResult.Refused(refused);
        }

        if (await SaveAsync(db, referralId, cancellationToken) is { } conflict)
        {
            return FormResult.From(conflict);
        }

        await audit.RecordAsync(AuditAction.Changed, RecordType, referralId.ToString(), auditDetail, cancellationToken);
        await PublishAsync(referral, followUpsChanged: checks.Count > 0, cancellationToken);
        return FormResult.Done(referralId);
    }

    /// <summary>The referral (tracked) and its case, or the answer to give: not found, conflict, forbidden or refused.</summary>
    private async Task<(Referral? Referral, Case? Case, FormResult? Refusal)> LoadAsync(
        PortalDbContext db, UserScope scope, Guid referralId, Guid expectedVersion, string attempt, CancellationToken cancellationToken)
    {
        var found = await CaseAccess.FindAsync<Referral>(db, audit, scope, r => r.Id == referralId, r => r.CaseId, RecordType, referralId, cancellationToken);
        if (found is not { } record)
        {
            return (null, null, FormResult.NotFound);
        }

        var (referral, survivorCase) = record;
        if (await CaseAccess.RefusalAsync(audit, scope, survivorCase, RecordType, referralId, attempt, cancellationToken) is { } refusal)
        {
            return (null, null, FormResult.From(refusal));
        }

        if (referral.Version != expectedVersion)
        {
            return (null, null, FormResult.From(CommandResult.Conflict(await CaseAccess.NameOfAsync(db, referral.ChangedBy, cancellationToken), referral.ChangedAtUtc)));
        }

        return (referral, survivorCase, null);
    }

    /// <summary>Saves, or reports who saved the referral (or one of its checks) in between; nothing is overwritten.</summary>
    private async Task<CommandResult?> SaveAsync(PortalDbContext db, Guid referralId, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
            var now = await fresh.Referrals.AsNoTracking().Where(r => r.Id == referralId).Select(r => new { r.ChangedBy, r.ChangedAtUtc }).FirstOrDefaultAsync(cancellationToken);
            return CommandResult.Conflict(await CaseAccess.NameOfAsync(fresh, now?.ChangedBy, cancellationToken), now?.ChangedAtUtc);
        }
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

    private async Task PublishAsync(Referral referral, bool followUpsChanged, CancellationToken cancellationToken)
    {
        await liveEvents.PublishAsync(new LiveEvent(LiveEventKind.ReferralChanged, referral.CountryCode, referral.CaseId, referral.Id), cancellationToken);
        if (followUpsChanged)
        {
            await liveEvents.PublishAsync(new LiveEvent(LiveEventKind.FollowUpChanged, referral.CountryCode, referral.CaseId, referral.Id), cancellationToken);
        }
    }
}

/// <summary>Codes of refusals this feature adds to the domain's; stable, so pages translate them.</summary>
public static class ReferralErrors
{
    public const string UnknownProvider = "provider.unknown";
    public const string UnknownReferral = "follow-up.unknown-referral";
    public const string DueInPast = "follow-up.due-in-past";
    public const string UnknownCountry = "provider.unknown-country";
    public const string BirthYearMismatch = "child.birth-year-mismatch";
    public const string BirthYearImplausible = "child.birth-year-implausible";
    public const string MemberStateNumber = "paternity.member-state-number";
    public const string UnknownChild = "child.unknown";
}
