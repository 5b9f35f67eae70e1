using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Features.Audit;
using Portal.Features.Cases;
using Portal.Features.Referrals;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Children;

/// <summary>
/// Children born of sexual exploitation and abuse, known by pseudonym within their mother's case, and their paternity
/// and child-support claims. Scope, roles and refusals work as for the case: only through the viewer's countries, only
/// the case's advocate or a coordinator changes anything, a closed case is read-only. Claims move only along the
/// domain's transitions, and one that has not moved for the configured time is flagged.
/// </summary>
public sealed class ChildService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    ReminderPolicy policy,
    ILiveEvents liveEvents,
    IAuditLog audit)
{
    public const string ChildRecordType = "Child";
    public const string ClaimRecordType = "PaternityClaim";

    public async Task<CaseChildList?> GetForCaseAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await CaseAccess.FindCaseAsync(db, audit, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return null;
        }

        var now = clock.GetUtcDateTime();
        var today = DateOnly.FromDateTime(now);
        var children = await db.Children.AsNoTracking().Where(c => c.CaseId == caseId).ToListAsync(cancellationToken);
        var claims = await db.PaternityClaims.AsNoTracking().Where(p => p.CaseId == caseId).ToListAsync(cancellationToken);
        var legalAid = await LegalAidOptionsAsync(db, caseId, cancellationToken);
        var userIds = claims.SelectMany(p => p.History.Select(h => h.ByUserId)).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);

        var views = children
            .OrderBy(c => c.CreatedAtUtc)
            .Select(child => new ChildView(
                child,
                child.AgeInMonths(today),
                claims.Where(p => p.ChildId == child.Id)
                    .OrderBy(p => p.OpenedAtUtc)
                    .Select(p => new ClaimView(
                        p,
                        policy.IsStale(p, now),
                        Math.Max(0, (now - p.LastMovementAtUtc).Days),
                        legalAid.FirstOrDefault(l => l.ReferralId == p.LegalAidReferralId),
                        PaternityClaim.AllowedNext(p.Status)))
                    .ToList()))
            .ToList();
        return new CaseChildList(
            caseId,
            CaseAccess.MayWork(scope, survivorCase) && !survivorCase.IsClosed,
            (int)Math.Round(policy.PaternityClaimStaleAfter.TotalDays),
            views,
            legalAid,
            names);
    }

    /// <summary>Claims without movement for the configured time in the viewer's countries (for the dashboard).</summary>
    public async Task<int> CountStaleClaimsAsync(UserScope scope, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cases = db.Cases.InScope(scope, c => c.CountryCode);
        return await db.PaternityClaims.AsNoTracking()
            .Where(PaternityStaleness.IsStale(clock.GetUtcDateTime(), policy.PaternityClaimStaleAfter))
            .Where(p => cases.Any(c => c.Id == p.CaseId))
            .CountAsync(cancellationToken);
    }

    public async Task<FormResult> AddChildAsync(UserScope scope, Guid caseId, ChildInput input, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var (pseudonym, sex, needs) = CheckChild(problems, input);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var survivorCase = await CaseAccess.FindCaseAsync(db, audit, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return FormResult.NotFound;
        }

        if (await CaseAccess.RefusalAsync(audit, scope, survivorCase, CaseService.RecordType, caseId, "record a child", cancellationToken) is { } refusal)
        {
            return FormResult.From(refusal);
        }

        if (problems.Any)
        {
            return FormResult.Invalid(problems);
        }

        Child child;
        try
        {
            child = Child.Register(caseId, pseudonym!, input.DateOfBirth, input.BirthYear, sex!.Value, needs, clock);
            db.Children.Add(child);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException refused)
        {
            return FormResult.Refused(refused);
        }

        await audit.RecordAsync(AuditAction.Created, ChildRecordType, child.Id.ToString(), cancellationToken: cancellationToken);
        await PublishAsync(LiveEventKind.ChildChanged, survivorCase, child.Id, cancellationToken);
        return FormResult.Done(child.Id);
    }

    /// <param name="expectedChangedAtUtc">When the child was last changed as the user saw it; a later change is a conflict.</param>
    public async Task<FormResult> UpdateChildAsync(UserScope scope, Guid childId, DateTime? expectedChangedAtUtc, ChildInput input, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var (pseudonym, sex, needs) = CheckChild(problems, input);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var found = await CaseAccess.FindAsync<Child>(db, audit, scope, c => c.Id == childId, c => c.CaseId, ChildRecordType, childId, cancellationToken);
        if (found is not { } record)
        {
            return FormResult.NotFound;
        }

        var (child, survivorCase) = record;
        if (await CaseAccess.RefusalAsync(audit, scope, survivorCase, ChildRecordType, childId, "change a child's record", cancellationToken) is { } refusal)
        {
            return FormResult.From(refusal);
        }

        if (child.ChangedAtUtc != expectedChangedAtUtc)
        {
            return FormResult.From(CommandResult.Conflict(await CaseAccess.NameOfAsync(db, child.ChangedBy, cancellationToken), child.ChangedAtUtc));
        }

        if (problems.Any)
        {
            return FormResult.Invalid(problems);
        }

        return await SaveAsync(db, () => child.Update(pseudonym!, input.DateOfBirth, input.BirthYear, sex!.Value, needs, clock), async () =>
        {
            await audit.RecordAsync(AuditAction.Changed, ChildRecordType, childId.ToString(), cancellationToken: cancellationToken);
            await PublishAsync(LiveEventKind.ChildChanged, survivorCase, childId, cancellationToken);
            return FormResult.Done(childId);
        }, () => ChangedByAsync<Child>(childId, cancellationToken), cancellationToken);
    }

    public async Task<FormResult> OpenClaimAsync(UserScope scope, Guid childId, ClaimInput input, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var (label, jurisdictions) = CheckClaim(problems, input);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var found = await CaseAccess.FindAsync<Child>(db, audit, scope, c => c.Id == childId, c => c.CaseId, ChildRecordType, childId, cancellationToken);
        if (found is not { } record)
        {
            return FormResult.NotFound;
        }

        var (child, survivorCase) = record;
        if (await CaseAccess.RefusalAsync(audit, scope, survivorCase, ChildRecordType, childId, "open a paternity claim", cancellationToken) is { } refusal)
        {
            return FormResult.From(refusal);
        }

        var legalAid = await CheckLegalAidAsync(db, problems, input.LegalAidReferralId, survivorCase.Id, cancellationToken);
        if (problems.Any)
        {
            return FormResult.Invalid(problems);
        }

        PaternityClaim claim;
        try
        {
            claim = PaternityClaim.Open(child, label!, jurisdictions, scope.UserId, clock);
            if (legalAid is not null)
            {
                claim.LinkLegalAidReferral(legalAid);
            }

            db.PaternityClaims.Add(claim);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException refused)
        {
            return FormResult.Refused(refused);
        }

        await audit.RecordAsync(AuditAction.Created, ClaimRecordType, claim.Id.ToString(), claim.Status.ToString(), cancellationToken);
        await PublishAsync(LiveEventKind.PaternityClaimChanged, survivorCase, claim.Id, cancellationToken);
        return FormResult.Done(claim.Id);
    }

    /// <summary>Member State, jurisdictions and legal aid. A legal-aid link, once made, stays (the domain has no unlinking).</summary>
    public async Task<FormResult> UpdateClaimAsync(UserScope scope, Guid claimId, DateTime? expectedChangedAtUtc, ClaimInput input, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var (label, jurisdictions) = CheckClaim(problems, input);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var found = await CaseAccess.FindAsync<PaternityClaim>(db, audit, scope, p => p.Id == claimId, p => p.CaseId, ClaimRecordType, claimId, cancellationToken);
        if (found is not { } record)
        {
            return FormResult.NotFound;
        }

        var (claim, survivorCase) = record;
        if (await CaseAccess.RefusalAsync(audit, scope, survivorCase, ClaimRecordType, claimId, "change a paternity claim", cancellationToken) is { } refusal)
        {
            return FormResult.From(refusal);
        }

        if (claim.ChangedAtUtc != expectedChangedAtUtc)
        {
            return FormResult.From(CommandResult.Conflict(await CaseAccess.NameOfAsync(db, claim.ChangedBy, cancellationToken), claim.ChangedAtUtc));
        }

        var legalAid = await CheckLegalAidAsync(db, problems, input.LegalAidReferralId, survivorCase.Id, cancellationToken);
        if (problems.Any)
        {
            return FormResult.Invalid(problems);
        }

        return await SaveAsync(db, () =>
        {
            claim.UpdateDetails(label!, jurisdictions);
            if (legalAid is not null)
            {
                claim.LinkLegalAidReferral(legalAid);
            }
        }, async () =>
        {
            await audit.RecordAsync(AuditAction.Changed, ClaimRecordType, claimId.ToString(), "details", cancellationToken);
            await PublishAsync(LiveEventKind.PaternityClaimChanged, survivorCase, claimId, cancellationToken);
            return FormResult.Done(claimId);
        }, () => ChangedByAsync<PaternityClaim>(claimId, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Moves a claim along the domain's transitions, dated and attributed. <paramref name="expectedStatus"/> is the status
    /// the user saw: if the claim has moved since, the move is a conflict rather than a decision taken on old facts.
    /// </summary>
    public async Task<FormResult> MoveClaimAsync(UserScope scope, Guid claimId, PaternityClaimStatus expectedStatus, PaternityClaimStatus? to, string? note, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var status = problems.Defined("Status", to, "Claim status");
        var text = problems.Text(
            "Note",
            note,
            status == PaternityClaimStatus.ClosedUnresolved ? "A note explaining why the claim is closed unresolved" : "Note",
            PaternityClaim.NoteMaxLength,
            required: status == PaternityClaimStatus.ClosedUnresolved);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var found = await CaseAccess.FindAsync<PaternityClaim>(db, audit, scope, p => p.Id == claimId, p => p.CaseId, ClaimRecordType, claimId, cancellationToken);
        if (found is not { } record)
        {
            return FormResult.NotFound;
        }

        var (claim, survivorCase) = record;
        if (await CaseAccess.RefusalAsync(audit, scope, survivorCase, ClaimRecordType, claimId, "move a paternity claim", cancellationToken) is { } refusal)
        {
            return FormResult.From(refusal);
        }

        if (claim.Status != expectedStatus)
        {
            return FormResult.From(CommandResult.Conflict(await CaseAccess.NameOfAsync(db, claim.ChangedBy, cancellationToken), claim.ChangedAtUtc));
        }

        if (problems.Any)
        {
            return FormResult.Invalid(problems);
        }

        return await SaveAsync(db, () => claim.MoveTo(status!.Value, scope.UserId, clock, text), async () =>
        {
            await audit.RecordAsync(AuditAction.Changed, ClaimRecordType, claimId.ToString(), status!.Value.ToString(), cancellationToken);
            await PublishAsync(LiveEventKind.PaternityClaimChanged, survivorCase, claimId, cancellationToken);
            return FormResult.Done(claimId);
        }, () => ChangedByAsync<PaternityClaim>(claimId, cancellationToken), cancellationToken);
    }

    private (string? Pseudonym, Sex? Sex, string? Needs) CheckChild(FormProblems problems, ChildInput input)
    {
        var pseudonym = problems.Text("Pseudonym", input.Pseudonym, "Pseudonym", Child.PseudonymMaxLength, required: true);
        var sex = problems.Defined("Sex", input.Sex, "Sex");
        var needs = problems.Text("Needs", input.Needs, "Needs", Child.NeedsMaxLength, required: false);

        // The domain's rules (BirthDates.Validate), checked here so each problem is said next to its field.
        var latest = Clock.LatestDateOnEarth(clock.GetUtcDateTime());
        if (input.DateOfBirth is { } born && born > latest)
        {
            problems.Add("DateOfBirth", ErrorCodes.DateInFuture, $"The child's date of birth {born:yyyy-MM-dd} is in the future.");
        }

        if (input.BirthYear is { } year && (year < 1900 || year > latest.Year))
        {
            problems.Add("BirthYear", ReferralErrors.BirthYearImplausible, $"The child's birth year {year} is not plausible: it must be between 1900 and {latest.Year}.", latest.Year);
        }
        else if (input.DateOfBirth is { } date && input.BirthYear is { } y && date.Year != y)
        {
            problems.Add("BirthYear", ReferralErrors.BirthYearMismatch, $"The birth year {y} does not match the date of birth {date:yyyy-MM-dd}.");
        }

        return (pseudonym, sex, needs);
    }

    private static (string? Label, List<string> Jurisdictions) CheckClaim(FormProblems problems, ClaimInput input)
    {
        string? label = null;
        if (input.MemberStateNumber is not { } number)
        {
            problems.Add("MemberState", ErrorCodes.Required, "The Member State is required.");
        }
        else if (number is < 1 or > 99)
        {
            problems.Add("MemberState", ReferralErrors.MemberStateNumber, "The Member State's neutral number must be between 1 and 99.");
        }
        else
        {
            label = $"Member State {number:D2}";
        }

        var jurisdictions = input.Jurisdictions.Where(j => !string.IsNullOrWhiteSpace(j)).Select(j => j.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (jurisdictions.Count > PaternityClaim.MaxJurisdictions)
        {
            problems.Add("Jurisdictions", ErrorCodes.TooMany, $"A claim can list at most {PaternityClaim.MaxJurisdictions} jurisdictions.", PaternityClaim.MaxJurisdictions);
        }

        foreach (var jurisdiction in jurisdictions)
        {
            problems.Text("Jurisdictions", jurisdiction, "Jurisdiction", PaternityClaim.JurisdictionMaxLength, required: true);
        }

        return (label, jurisdictions);
    }

    private static async Task<Referral?> CheckLegalAidAsync(PortalDbContext db, FormProblems problems, Guid? referralId, Guid caseId, CancellationToken cancellationToken)
    {
        if (referralId is not { } id)
        {
            return null;
        }

        var referral = await db.Referrals.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.CaseId == caseId, cancellationToken);
        if (referral is null || referral.Type is not (ReferralType.Legal or ReferralType.PaternityAndChildSupport))
        {
            problems.Add("LegalAid", ErrorCodes.PaternityWrongReferral, "Legal aid for a claim must be a Legal or Paternity and child support referral of the same case.");
        }

        return referral;
    }

    private static async Task<List<LegalAidLink>> LegalAidOptionsAsync(PortalDbContext db, Guid caseId, CancellationToken cancellationToken)
    {
        var referrals = await db.Referrals.AsNoTracking()
            .Where(r => r.CaseId == caseId && (r.Type == ReferralType.Legal || r.Type == ReferralType.PaternityAndChildSupport))
            .Select(r => new { r.Id, r.Type, r.ProviderId, r.Status, r.CreatedAtUtc })
            .ToListAsync(cancellationToken);
        var providerIds = referrals.Select(r => r.ProviderId).Distinct().ToList();
        var providers = await db.ServiceProviders.AsNoTracking().Where(p => providerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        return referrals.OrderByDescending(r => r.CreatedAtUtc)
            .Select(r => new LegalAidLink(r.Id, r.Type, providers.GetValueOrDefault(r.ProviderId) ?? "", r.Status))
            .ToList();
    }

    private static async Task<FormResult> SaveAsync(PortalDbContext db, Action change, Func<Task<FormResult>> afterCommit, Func<Task<CommandResult>> conflict, CancellationToken cancellationToken)
    {
        try
        {
            change();
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException refused)
        {
            return FormResult.Refused(refused);
        }
        catch (DbUpdateConcurrencyException)
        {
            return FormResult.From(await conflict());
        }

        return await afterCommit();
    }

    private async Task<CommandResult> ChangedByAsync<T>(Guid id, CancellationToken cancellationToken)
        where T : AuditedEntity
    {
        await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = await fresh.Set<T>().AsNoTracking().Where(e => EF.Property<Guid>(e, "Id") == id).Select(e => new { e.ChangedBy, e.ChangedAtUtc }).FirstOrDefaultAsync(cancellationToken);
        return CommandResult.Conflict(await CaseAccess.NameOfAsync(fresh, now?.ChangedBy, cancellationToken), now?.ChangedAtUtc);
    }

    private Task PublishAsync(LiveEventKind kind, Case survivorCase, Guid recordId, CancellationToken cancellationToken) =>
        liveEvents.PublishAsync(new LiveEvent(kind, survivorCase.CountryCode, survivorCase.Id, recordId), cancellationToken);
}
