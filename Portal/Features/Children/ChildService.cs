using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Children;

/// <summary>
/// Children born of sexual exploitation and abuse, known by pseudonym within their mother's case, and their paternity
/// and child-support claims. Reads go through <see cref="CaseScope"/> and changes through <see cref="CommandPath"/>, as
/// for the case: only within the viewer's countries, only the case's advocate or a coordinator changes anything, a closed
/// case is read-only. Claims move only along the domain's transitions, and one that has not moved for the configured time
/// (<see cref="ReminderPolicy.PaternityClaimStaleAfter"/>) is flagged.
/// </summary>
public sealed class ChildService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    ReminderPolicy policy,
    CaseScope cases,
    CommandPath path)
{
    public static string ChildRecordType => Records.Child.Type;

    public static string ClaimRecordType => Records.PaternityClaim.Type;

    public async Task<CaseChildList?> GetForCaseAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await cases.FindCaseAsync(db, scope, caseId, cancellationToken);
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

        // Which State a claim involves is sensitive: named to those who work on the case, neutral for the others.
        var mayName = CasePermission.WorkOnCase.Check(scope, survivorCase, "") is null;
        var neutral = claims.OrderBy(p => p.OpenedAtUtc).Select(p => p.MemberStateCode).Distinct()
            .Select((code, index) => (code, index)).ToDictionary(x => x.code, x => x.index + 1);
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
                        PaternityClaim.AllowedNext(p.Status),
                        mayName ? MemberStates.Find(p.MemberStateCode) : null,
                        neutral[p.MemberStateCode]))
                    .ToList()))
            .ToList();
        return new CaseChildList(
            caseId,
            CasePermission.WorkOnOpenCase.Check(scope, survivorCase, "") is null,
            (int)Math.Round(policy.PaternityClaimStaleAfter.TotalDays),
            views,
            legalAid,
            names);
    }

    /// <summary>How many of the case's paternity claims are stale, as the children tab flags them (its badge).</summary>
    public async Task<int> CountStaleForCaseAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await cases.FindCaseAsync(db, scope, caseId, cancellationToken) is null)
        {
            return 0;
        }

        return await db.PaternityClaims.Where(p => p.CaseId == caseId).Where(policy.StaleClaims(clock.GetUtcDateTime())).CountAsync(cancellationToken);
    }

    public Task<CommandResult> AddChildAsync(UserScope scope, Guid caseId, ChildInput input, CancellationToken cancellationToken = default) =>
        path.AddToCaseAsync(scope, caseId, "record a child", CasePermission.WorkOnOpenCase, work =>
        {
            var (pseudonym, sex, needs) = CheckChild(work.Problems, input);
            if (work.Problems.Any)
            {
                return;
            }

            var child = input.Expected
                ? Child.Expect(caseId, pseudonym!, input.ExpectedYear!.Value, input.ExpectedMonth!.Value, sex!.Value, needs, clock)
                : Child.Register(caseId, pseudonym!, input.DateOfBirth, input.BirthYear, sex!.Value, needs, clock);
            work.Db.Children.Add(child);
            work.Created = child.Id;
            work.Audit(AuditAction.Created, ChildRecordType, child.Id);
            work.Publish(LiveEventKind.ChildChanged, child.Id);
        }, cancellationToken);

    public Task<CommandResult> UpdateChildAsync(UserScope scope, Seen<Child> child, ChildInput input, CancellationToken cancellationToken = default) =>
        path.ChangeAsync(scope, child, "change a child's record", CasePermission.WorkOnOpenCase, work =>
        {
            var (pseudonym, sex, needs) = CheckChild(work.Problems, input with { Expected = work.Record.IsExpected });
            if (work.Problems.Any)
            {
                return;
            }

            if (work.Record.IsExpected)
            {
                work.Record.UpdateExpected(pseudonym!, input.ExpectedYear!.Value, input.ExpectedMonth!.Value, sex!.Value, needs, clock);
            }
            else
            {
                work.Record.Update(pseudonym!, input.DateOfBirth, input.BirthYear, sex!.Value, needs, clock);
            }

            work.Audit(AuditAction.Changed);
            work.Publish(LiveEventKind.ChildChanged, work.Record.Id);
        }, cancellationToken);

    /// <summary>Turns an expected child into a child, once; the domain refuses a second time.</summary>
    public Task<CommandResult> RecordBirthAsync(UserScope scope, Seen<Child> child, ChildInput input, CancellationToken cancellationToken = default) =>
        path.ChangeAsync(scope, child, "record a child's birth", CasePermission.WorkOnOpenCase, work =>
        {
            var (pseudonym, sex, needs) = CheckChild(work.Problems, input with { Expected = false });
            if (input.DateOfBirth is null && input.BirthYear is null)
            {
                work.Problems.Add("BirthYear", ErrorCodes.Required, "The birth year or date of birth is required to record a birth.");
            }

            if (work.Problems.Any)
            {
                return;
            }

            work.Record.RecordBirth(pseudonym!, input.DateOfBirth, input.BirthYear, sex!.Value, needs, clock);
            work.Audit(AuditAction.Changed, "born");
            work.Publish(LiveEventKind.ChildChanged, work.Record.Id);
        }, cancellationToken);

    /// <summary>Opens a claim for the child; the child itself is not changed, so its version does not matter.</summary>
    public Task<CommandResult> OpenClaimAsync(UserScope scope, Guid childId, ClaimInput input, CancellationToken cancellationToken = default) =>
        path.ChangeAsync(scope, Seen<Child>.Latest(childId), "open a paternity claim", CasePermission.WorkOnOpenCase, async work =>
        {
            var (code, jurisdictions) = CheckClaim(work.Problems, input);
            var legalAid = await CheckLegalAidAsync(work.Db, work.Problems, input.LegalAidReferralId, work.Case.Id, cancellationToken);
            if (work.Problems.Any)
            {
                return;
            }

            var claim = PaternityClaim.Open(work.Record, code!, jurisdictions, scope.UserId, clock);
            if (legalAid is not null)
            {
                claim.LinkLegalAidReferral(legalAid);
            }

            work.Db.PaternityClaims.Add(claim);
            work.Created = claim.Id;
            work.Audit(AuditAction.Created, ClaimRecordType, claim.Id, claim.Status.ToString());
            work.Publish(LiveEventKind.PaternityClaimChanged, claim.Id);
        }, cancellationToken);

    /// <summary>Member State, jurisdictions and legal aid. A legal-aid link, once made, stays (the domain has no unlinking).</summary>
    public Task<CommandResult> UpdateClaimAsync(UserScope scope, Seen<PaternityClaim> claim, ClaimInput input, CancellationToken cancellationToken = default) =>
        path.ChangeAsync(scope, claim, "change a paternity claim", CasePermission.WorkOnOpenCase, async work =>
        {
            var (code, jurisdictions) = CheckClaim(work.Problems, input);
            var legalAid = await CheckLegalAidAsync(work.Db, work.Problems, input.LegalAidReferralId, work.Case.Id, cancellationToken);
            if (work.Problems.Any)
            {
                return;
            }

            work.Record.UpdateDetails(code!, jurisdictions);
            if (legalAid is not null)
            {
                work.Record.LinkLegalAidReferral(legalAid);
            }

            work.Audit(AuditAction.Changed, "details");
            work.Publish(LiveEventKind.PaternityClaimChanged, work.Record.Id);
        }, cancellationToken);

    /// <summary>
    /// Moves a claim along the domain's transitions, dated and attributed. If the claim has changed since the user saw
    /// it, the move is a conflict rather than a decision taken on old facts.
    /// </summary>
    /// <remarks>A claim carried on past the case's closure is still moved, by a coordinator: it stays on their lists.</remarks>
    public Task<CommandResult> MoveClaimAsync(UserScope scope, Seen<PaternityClaim> claim, PaternityClaimStatus? to, string? note, CancellationToken cancellationToken = default) =>
        path.ChangeAsync(scope, claim, "move a paternity claim", CasePermission.WorkOnCase, work =>
        {
            if (work.Case.IsClosed && !(work.Record.IsCarriedOn && scope.IsCoordinator))
            {
                work.Case.EnsureNotClosed("move a paternity claim of");
            }

            var status = work.Problems.Defined("Status", to, "Claim status");
            var text = work.Problems.Text(
                "Note",
                note,
                status == PaternityClaimStatus.ClosedUnresolved ? "A note explaining why the claim is closed unresolved" : "Note",
                PaternityClaim.NoteMaxLength,
                required: status == PaternityClaimStatus.ClosedUnresolved);
            if (work.Problems.Any)
            {
                return;
            }

            work.Record.MoveTo(status!.Value, scope.UserId, clock, text);
            work.Audit(AuditAction.Changed, status.Value.ToString());
            work.Publish(LiveEventKind.PaternityClaimChanged, work.Record.Id);
        }, cancellationToken);

    /// <summary>
    /// Keeps a claim going after the case closes (chosen while settling the case's open work for closure); it stays on
    /// the coordinators' lists of pending and stale claims.
    /// </summary>
    public Task<CommandResult> CarryOnClaimAsync(UserScope scope, Seen<PaternityClaim> claim, CancellationToken cancellationToken = default) =>
        path.ChangeAsync(scope, claim, "carry a paternity claim on", CasePermission.WorkOnOpenCase, work =>
        {
            work.Record.CarryOn(scope.UserId, clock);
            work.Audit(AuditAction.Changed, "carried on");
            work.Publish(LiveEventKind.PaternityClaimChanged, work.Record.Id);
        }, cancellationToken);

    private (string? Pseudonym, Sex? Sex, string? Needs) CheckChild(FormProblems problems, ChildInput input)
    {
        var pseudonym = problems.Text("Pseudonym", input.Pseudonym, "Pseudonym", Child.PseudonymMaxLength, required: true);
        var sex = problems.Defined("Sex", input.Sex, "Sex");
        var needs = problems.Text("Needs", input.Needs, "Needs", Child.NeedsMaxLength, required: false);
        if (input.Expected)
        {
            if (input.ExpectedYear is not { } expectedYear || input.ExpectedMonth is not { } expectedMonth)
            {
                problems.Add("ExpectedMonth", ErrorCodes.Required, "The month the birth is expected is required.");
            }
            else if (Child.CheckExpectedMonth(expectedYear, expectedMonth, clock) is { } code)
            {
                problems.Add("ExpectedMonth", code, $"The expected month {expectedYear:D4}-{expectedMonth:D2} is not plausible for a pregnancy.", Child.ExpectedMonthsAheadMax, Child.ExpectedMonthsOverdueMax);
            }

            return (pseudonym, sex, needs);
        }

        // The domain's rules (BirthDates.Validate), checked here so each problem is said next to its field.
        var latest = Clock.LatestDateOnEarth(clock.GetUtcDateTime());
        if (input.DateOfBirth is { } born && born > latest)
        {
            problems.Add("DateOfBirth", ErrorCodes.DateInFuture, $"The child's date of birth {born:yyyy-MM-dd} is in the future.");
        }

        if (input.BirthYear is { } year && (year < 1900 || year > latest.Year))
        {
            problems.Add("BirthYear", ChildErrors.BirthYearImplausible, $"The child's birth year {year} is not plausible: it must be between 1900 and {latest.Year}.", latest.Year);
        }
        else if (input.DateOfBirth is { } date && input.BirthYear is { } y && date.Year != y)
        {
            problems.Add("BirthYear", ChildErrors.BirthYearMismatch, $"The birth year {y} does not match the date of birth {date:yyyy-MM-dd}.");
        }

        return (pseudonym, sex, needs);
    }

    private static (string? Code, List<string> Jurisdictions) CheckClaim(FormProblems problems, ClaimInput input)
    {
        string? code = null;
        if (string.IsNullOrWhiteSpace(input.MemberStateCode))
        {
            problems.Add("MemberState", ErrorCodes.Required, "The Member State is required.");
        }
        else if (MemberStates.Find(input.MemberStateCode) is not { } state)
        {
            problems.Add("MemberState", ErrorCodes.UnknownMemberState, "The Member State must be one of the list of UN Member States.");
        }
        else
        {
            code = state.Code;
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

        return (code, jurisdictions);
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
}

/// <summary>Codes of refusals this feature adds to the domain's; stable, so pages translate them.</summary>
public static class ChildErrors
{
    public const string BirthYearMismatch = "child.birth-year-mismatch";
    public const string BirthYearImplausible = "child.birth-year-implausible";
}
