using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Notes;
using Portal.Domain.Referrals;
using Portal.Features.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Provider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Features.Cases;

/// <summary>
/// Reads and changes one case. Every call starts from the caller's scope: a case outside it answers exactly as a
/// case that does not exist, and the attempt is audited. Changes use the case's concurrency token, so two people
/// never overwrite each other silently; claiming relies on it to let exactly one of two claimants win.
/// </summary>
public sealed class CaseService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    ILiveEvents liveEvents,
    IAuditLog audit,
    Portal.Domain.Reminders.ReminderPolicy? policy = null)
{
    public const string RecordType = "Case";

    /// <param name="recordView">False only when an already open page refreshes itself; opening a case is always recorded.</param>
    public async Task<CaseWorkspace?> GetWorkspaceAsync(UserScope scope, string caseNumber, bool recordView = true, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var number = caseNumber.Trim().ToUpperInvariant();
        var survivorCase = await db.Set<Case>().AsNoTracking().InScope(scope, c => c.CountryCode)
            .FirstOrDefaultAsync(c => c.Number == number, cancellationToken);
        if (survivorCase is null)
        {
            await AuditDeniedIfExistsAsync(db, c => c.Number == number, cancellationToken);
            return null;
        }

        if (recordView)
        {
            await audit.RecordAsync(AuditAction.ViewedCase, RecordType, survivorCase.Id.ToString(), cancellationToken: cancellationToken);
        }

        var workspace = await LoadWorkspaceAsync(db, scope, survivorCase, cancellationToken);
        return workspace;
    }

    /// <summary>Who holds a case now, for a page that was told it changed.</summary>
    public async Task<Guid?> GetVersionAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<Case>().InScope(scope, c => c.CountryCode).Where(c => c.Id == caseId)
            .Select(c => (Guid?)c.Version).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<ClaimResult> ClaimAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        if (!scope.IsAdvocate && !scope.IsCoordinator)
        {
            return new ClaimResult(CommandResult.Forbidden("Only advocates and coordinators take up cases."), null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var survivorCase = await FindInScopeAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return new ClaimResult(CommandResult.NotFound, null);
        }

        if (survivorCase.AssignedAdvocateId is { } holder)
        {
            return holder == scope.UserId
                ? new ClaimResult(CommandResult.Done, scope.DisplayName)
                : new ClaimResult(new CommandResult(CommandOutcome.Refused, "Someone else has taken this case.", ErrorCodes.CaseClaimedByOther), await NameOfAsync(db, holder, cancellationToken));
        }

        try
        {
            survivorCase.Claim(scope.UserId, clock);
            // UPDATE ... WHERE Id = @id AND Version = @loaded: of two simultaneous claims exactly one matches.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException refusal)
        {
            return new ClaimResult(CommandResult.Refused(refusal), null);
        }
        catch (Exception ex) when (DatabaseBusy.Is(ex))
        {
            // Nobody won: the database was busy and nothing was saved, so the page must not say the case was taken.
            return new ClaimResult(CommandResult.Busy, null);
        }
        catch (DbUpdateException)
        {
            // Lost the race: either the version check matched no row, or the winner's history row took our sequence.
            await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
            var holderNow = await fresh.Set<Case>().Where(c => c.Id == caseId).Select(c => c.AssignedAdvocateId).FirstOrDefaultAsync(cancellationToken);
            return holderNow == scope.UserId
                ? new ClaimResult(CommandResult.Done, scope.DisplayName)
                : new ClaimResult(new CommandResult(CommandOutcome.Refused, "Someone else has just taken this case.", ErrorCodes.CaseClaimedByOther), holderNow is null ? null : await NameOfAsync(fresh, holderNow, cancellationToken));
        }

        await audit.RecordAsync(AuditAction.ClaimedCase, RecordType, caseId.ToString(), cancellationToken: cancellationToken);
        await liveEvents.PublishAsync(new LiveEvent(LiveEventKind.CaseClaimed, survivorCase.CountryCode, caseId), cancellationToken);
        return new ClaimResult(CommandResult.Done, scope.DisplayName);
    }

    public Task<CommandResult> ReleaseAsync(UserScope scope, Guid caseId, Guid expectedVersion, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, caseId, expectedVersion, CaseAction.Release, c => c.Release(scope.UserId), LiveEventKind.CaseReleased, AuditAction.ReleasedCase, null, cancellationToken);

    public async Task<CommandResult> ReassignAsync(UserScope scope, Guid caseId, Guid expectedVersion, string toUserId, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var target = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == toUserId && !u.IsDisabled, cancellationToken);
            var country = await db.Set<Case>().InScope(scope, c => c.CountryCode).Where(c => c.Id == caseId).Select(c => c.CountryCode).FirstOrDefaultAsync(cancellationToken);
            if (country is not null && (target is null || !target.Countries.Contains(country, StringComparer.OrdinalIgnoreCase)))
            {
                return new CommandResult(CommandOutcome.Refused, "The case can only go to an active advocate of its country.", "case.reassign-target");
            }
        }

        return await ChangeAsync(scope, caseId, expectedVersion, CaseAction.Reassign, c => c.Reassign(toUserId, scope.UserId, clock), LiveEventKind.CaseClaimed, AuditAction.ReassignedCase, null, cancellationToken);
    }

    public Task<CommandResult> TransitionAsync(UserScope scope, Guid caseId, Guid expectedVersion, CaseTransition transition, string? comment, CaseClosureReason? closureReason = null, CancellationToken cancellationToken = default)
    {
        var (action, audited) = transition switch
        {
            CaseTransition.StartActionPlan => (CaseAction.StartActionPlan, AuditAction.Changed),
            CaseTransition.StartAssistance => (CaseAction.StartAssistance, AuditAction.Changed),
            CaseTransition.StartFollowUp => (CaseAction.StartFollowUp, AuditAction.Changed),
            CaseTransition.RequestClosure => (CaseAction.RequestClosure, AuditAction.ClosureRequested),
            CaseTransition.ApproveClosure => (CaseAction.ApproveClosure, AuditAction.ClosureApproved),
            CaseTransition.RejectClosure => (CaseAction.RejectClosure, AuditAction.ClosureRejected),
            _ => (CaseAction.Reopen, AuditAction.ReopenedCase),
        };

        void Apply(Case c)
        {
            switch (transition)
            {
                case CaseTransition.StartActionPlan: c.StartActionPlan(scope.UserId, clock, comment); break;
                case CaseTransition.StartAssistance: c.StartAssistance(scope.UserId, clock, comment); break;
                case CaseTransition.StartFollowUp: c.StartFollowUp(scope.UserId, clock, comment); break;
                case CaseTransition.RequestClosure:
                    c.RequestClosure(closureReason ?? throw new DomainException(ErrorCodes.Required, "A closure needs a reason."), comment, scope.UserId, clock);
                    break;
                case CaseTransition.ApproveClosure: c.ApproveClosure(scope.UserId, comment, clock); break;
                case CaseTransition.RejectClosure: c.RejectClosure(scope.UserId, comment ?? "", clock); break;
                default: c.Reopen(comment ?? "", scope.UserId, clock); break;
            }
        }

        return ChangeAsync(scope, caseId, expectedVersion, action, Apply, LiveEventKind.CaseStatusChanged, audited, transition.ToString(), cancellationToken);
    }

    public Task<CommandResult> ChangeRiskAsync(UserScope scope, Guid caseId, Guid expectedVersion, RiskLevel level, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, caseId, expectedVersion, CaseAction.ChangeRisk, c => c.ChangeRisk(level, scope.UserId, clock), LiveEventKind.CaseChanged, AuditAction.Changed, "risk", cancellationToken);

    public Task<CommandResult> UpdateProfileAsync(UserScope scope, Guid caseId, Guid expectedVersion, Func<SurvivorProfile> profile, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, caseId, expectedVersion, CaseAction.UpdateProfile, c => c.UpdateProfile(profile()), LiveEventKind.CaseChanged, AuditAction.Changed, "profile", cancellationToken);

    public Task<CommandResult> SaveAllegationAsync(UserScope scope, Guid caseId, Guid expectedVersion, AllegationDetails details, CancellationToken cancellationToken = default) =>
        ChangeAsync(
            scope, caseId, expectedVersion, CaseAction.RecordAllegation,
            c =>
            {
                if (c.Allegation is null)
                {
                    c.RecordAllegation(details, clock);
                }
                else
                {
                    c.UpdateAllegation(details, clock);
                }
            },
            LiveEventKind.CaseChanged, AuditAction.Changed, "allegation", cancellationToken,
            alsoAllowed: CaseAction.UpdateAllegation);

    public Task<CommandResult> RecordConsentAsync(UserScope scope, Guid caseId, Guid expectedVersion, ConsentInput consent, CancellationToken cancellationToken = default) =>
        ChangeAsync(
            scope, caseId, expectedVersion, CaseAction.RecordConsent,
            c => c.RecordConsent(consent.GivenBy, consent.ForServices, consent.ForSharingNonIdentifyingData, consent.SharedWithProviderIds, consent.Withhold, scope.UserId, clock),
            LiveEventKind.CaseChanged, AuditAction.ConsentRecorded, null, cancellationToken);

    public Task<CommandResult> RevokeConsentAsync(UserScope scope, Guid caseId, Guid expectedVersion, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, caseId, expectedVersion, CaseAction.RevokeConsent, c => c.RevokeConsent(scope.UserId, clock), LiveEventKind.CaseChanged, AuditAction.ConsentRevoked, null, cancellationToken);

    public async Task<CommandResult> AddNoteAsync(UserScope scope, Guid caseId, string text, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var survivorCase = await FindInScopeAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return CommandResult.NotFound;
        }

        if (!CanWork(scope) || !survivorCase.AvailableActions(scope.UserId, scope.IsCoordinator).Contains(CaseAction.AddNote))
        {
            return CommandResult.Forbidden("Only the case's advocate or a coordinator adds notes.");
        }

        try
        {
            db.Add(Note.Create(caseId, text, scope.UserId, clock));
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException refusal)
        {
            return CommandResult.Refused(refusal);
        }

        await liveEvents.PublishAsync(new LiveEvent(LiveEventKind.NoteAdded, survivorCase.CountryCode, caseId), cancellationToken);
        return CommandResult.Done;
    }

    /// <summary>
    /// Shows who the person is. Only for someone working the case (its advocate or a coordinator), only with a
    /// stated reason, and always audited before anything is returned.
    /// </summary>
    public async Task<(CommandResult Result, IdentityView? Identity)> RevealIdentityAsync(UserScope scope, Guid caseId, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await FindInScopeAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return (CommandResult.NotFound, null);
        }

        if (!CanWork(scope) || (survivorCase.AssignedAdvocateId != scope.UserId && !scope.IsCoordinator))
        {
            await audit.RecordAsync(AuditAction.AccessDenied, RecordType, caseId.ToString(), "reveal identity", cancellationToken);
            return (CommandResult.Forbidden("Only the case's advocate or a coordinator may see who the person is."), null);
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 5)
        {
            return (new CommandResult(CommandOutcome.Refused, "Say why you need to see the identity.", "identity.reason-required"), null);
        }

        // The reason is the user's own words about why they looked; it is kept in the audit trail, not the names. The
        // record is read (and decrypted) before the entry is written, so that the trail says whether anything was seen;
        // nothing is returned before it is written.
        var why = Truncate(reason.Trim(), 500);
        if (survivorCase.ErasedAtUtc is { } erasedAt)
        {
            await audit.RecordAsync(AuditAction.RevealFailed, RecordType, caseId.ToString(), "erased: " + why, cancellationToken);
            return (new CommandResult(CommandOutcome.Refused, $"The identity was erased on {erasedAt:yyyy-MM-dd} under the retention rule.", "identity.erased"), null);
        }

        IdentityRecord? record;
        try
        {
            record = await db.Set<IdentityRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.CaseId == caseId, cancellationToken);
        }
        catch (ProtectedDataUnreadableException unreadable)
        {
            await audit.RecordAsync(AuditAction.RevealFailed, RecordType, caseId.ToString(), "unreadable: " + why, cancellationToken);
            return (new CommandResult(CommandOutcome.Refused, "The identity cannot be decrypted: " + unreadable.Message, "identity.unreadable"), null);
        }

        await audit.RecordAsync(AuditAction.RevealedIdentity, RecordType, caseId.ToString(), why, cancellationToken);
        return (CommandResult.Done, record is null ? null : new IdentityView(new IdentityDetails(
            record.GivenName, record.FamilyName, record.OtherNames, record.Phone, record.Email, record.ContactChannel, record.SafeContactTimes, record.ExactAddress)));
    }

    /// <summary>Advocates who could take the case over: active users with the Advocate role in its country.</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> GetReassignCandidatesAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        if (!scope.IsCoordinator)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var country = await db.Set<Case>().Where(c => c.Id == caseId).Select(c => c.CountryCode).FirstOrDefaultAsync(cancellationToken);
        if (country is null)
        {
            return [];
        }

        var advocateRoleIds = db.Roles.Where(r => r.Name == Roles.Advocate).Select(r => r.Id);
        var advocates = await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled && db.UserRoles.Any(ur => ur.UserId == u.Id && advocateRoleIds.Contains(ur.RoleId)))
            .Select(u => new { u.Id, u.DisplayName, u.Countries })
            .ToListAsync(cancellationToken);
        return advocates.Where(a => a.Countries.Contains(country, StringComparer.OrdinalIgnoreCase))
            .Select(a => (a.Id, a.DisplayName)).OrderBy(a => a.DisplayName, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>Active providers in the case's country, for consent to share with named providers.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> GetProvidersAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var country = await db.Set<Case>().InScope(scope, c => c.CountryCode).Where(c => c.Id == caseId).Select(c => c.CountryCode).FirstOrDefaultAsync(cancellationToken);
        if (country is null)
        {
            return [];
        }

        var providers = await db.Set<Provider>().AsNoTracking().Where(p => p.CountryCode == country && p.IsActive)
            .Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken);
        return providers.OrderBy(p => p.Name, StringComparer.CurrentCulture).Select(p => (p.Id, p.Name)).ToList();
    }

    internal static bool CanWork(UserScope scope) => scope.IsAdvocate || scope.IsCoordinator;

    private async Task<CommandResult> ChangeAsync(
        UserScope scope,
        Guid caseId,
        Guid expectedVersion,
        CaseAction action,
        Action<Case> change,
        LiveEventKind liveKind,
        AuditAction auditAction,
        string? auditDetail,
        CancellationToken cancellationToken,
        CaseAction? alsoAllowed = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var survivorCase = await FindInScopeAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return CommandResult.NotFound;
        }

        if (survivorCase.Version != expectedVersion)
        {
            return CommandResult.Conflict(await NameOfAsync(db, survivorCase.ChangedBy, cancellationToken), survivorCase.ChangedAtUtc);
        }

        var allowed = survivorCase.AvailableActions(scope.UserId, scope.IsCoordinator);
        if (!CanWork(scope) || !(allowed.Contains(action) || (alsoAllowed is { } other && allowed.Contains(other))))
        {
            await audit.RecordAsync(AuditAction.AccessDenied, RecordType, caseId.ToString(), action.ToString(), cancellationToken);
            return CommandResult.Forbidden($"{action} is not open to you on this case now.");
        }

        try
        {
            change(survivorCase);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException refusal)
        {
            return CommandResult.Refused(refusal);
        }
        catch (ArgumentException invalid)
        {
            return new CommandResult(CommandOutcome.Refused, invalid.Message, ErrorCodes.InvalidValue);
        }
        catch (Exception ex) when (DatabaseBusy.Is(ex))
        {
            return CommandResult.Busy;
        }
        catch (DbUpdateException)
        {
            // Someone saved in between: the version check matched no row, or their history row took our sequence.
            await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
            var now = await fresh.Set<Case>().AsNoTracking().Where(c => c.Id == caseId).Select(c => new { c.ChangedBy, c.ChangedAtUtc, c.Version }).FirstOrDefaultAsync(cancellationToken);
            if (now?.Version == expectedVersion)
            {
                throw; // not a race: a real fault, which must not pass for a conflict
            }

            return CommandResult.Conflict(await NameOfAsync(fresh, now?.ChangedBy, cancellationToken), now?.ChangedAtUtc);
        }

        await audit.RecordAsync(auditAction, RecordType, caseId.ToString(), auditDetail, cancellationToken);
        await liveEvents.PublishAsync(new LiveEvent(liveKind, survivorCase.CountryCode, caseId), cancellationToken);
        return CommandResult.Done;
    }

    private async Task<Case?> FindInScopeAsync(PortalDbContext db, UserScope scope, Guid caseId, CancellationToken cancellationToken)
    {
        var survivorCase = await db.Set<Case>().InScope(scope, c => c.CountryCode).FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (survivorCase is null)
        {
            await AuditDeniedIfExistsAsync(db, c => c.Id == caseId, cancellationToken);
        }

        return survivorCase;
    }

    /// <summary>An attempt on a real case outside one's scope is recorded; the caller answers "not found" either way.</summary>
    private async Task AuditDeniedIfExistsAsync(PortalDbContext db, System.Linq.Expressions.Expression<Func<Case, bool>> which, CancellationToken cancellationToken)
    {
        var id = await db.Set<Case>().Where(which).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        if (id is not null)
        {
            await audit.RecordAsync(AuditAction.AccessDenied, RecordType, id.ToString(), "out of scope", cancellationToken);
        }
    }

    private async Task<CaseWorkspace> LoadWorkspaceAsync(PortalDbContext db, UserScope scope, Case survivorCase, CancellationToken cancellationToken)
    {
        var caseId = survivorCase.Id;
        var now = clock.GetUtcDateTime();
        var referrals = await db.Set<Referral>().AsNoTracking().Where(r => r.CaseId == caseId).ToListAsync(cancellationToken);
        var providerIds = referrals.Select(r => r.ProviderId).Distinct().ToList();
        var providers = await db.Set<Provider>().AsNoTracking().Where(p => providerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var followUps = await db.Set<FollowUp>().AsNoTracking().Where(f => f.CaseId == caseId).ToListAsync(cancellationToken);
        var notes = await db.Set<Note>().AsNoTracking().Where(n => n.CaseId == caseId).ToListAsync(cancellationToken);
        var children = await db.Set<Child>().AsNoTracking().Where(c => c.CaseId == caseId).ToListAsync(cancellationToken);
        var claims = await db.Set<PaternityClaim>().AsNoTracking().Where(p => p.CaseId == caseId).ToListAsync(cancellationToken);
        var hasIdentity = await db.Set<IdentityRecord>().AnyAsync(r => r.CaseId == caseId, cancellationToken);
        var sent = await Reminders.NotificationTimeline.ForCaseAsync(db, caseId, cancellationToken);

        var timeline = BuildTimeline(survivorCase, referrals, providers, followUps, notes, sent);
        var userIds = timeline.Select(t => t.ByUserId)
            .Append(survivorCase.AssignedAdvocateId).Append(survivorCase.ClosureRequestedBy).Append(survivorCase.ChangedBy)
            .Concat(survivorCase.Consents.Select(c => c.RecordedBy))
            .OfType<string>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var today = DateOnly.FromDateTime(now);

        return new CaseWorkspace(
            survivorCase,
            survivorCase.AssignedAdvocateId is { } a ? names.GetValueOrDefault(a) : null,
            CanWork(scope) ? survivorCase.AvailableActions(scope.UserId, scope.IsCoordinator) : new HashSet<CaseAction>(),
            followUps.Where(f => f.IsOpen).Select(f => (DateTime?)f.EffectiveDueAtUtc).Min(),
            referrals.OrderByDescending(r => r.CreatedAtUtc)
                .Select(r => new ReferralSummary(r.Id, r.Type, providers.GetValueOrDefault(r.ProviderId) ?? "", r.Status, r.Urgency, r.SentAtUtc, r.AcceptanceDueAtUtc, r.IsOverdueForAcceptance(now)))
                .ToList(),
            children.Select(c => new ChildSummary(
                    c.Id, c.Pseudonym, c.Sex, c.AgeInMonths(today),
                    claims.Where(p => p.ChildId == c.Id).Select(p => new PaternityClaimSummary(p.Id, p.MemberStateLabel, p.Status, p.LastMovementAtUtc, (policy ?? Portal.Domain.Reminders.ReminderPolicy.Default).IsStale(p, now))).ToList()))
                .ToList(),
            followUps.OrderBy(f => f.IsOpen ? 0 : 1).ThenBy(f => f.EffectiveDueAtUtc).ToList(),
            timeline,
            hasIdentity,
            names);
    }

    private static List<TimelineEntry> BuildTimeline(Case survivorCase, List<Referral> referrals, Dictionary<Guid, string> providers, List<FollowUp> followUps, List<Note> notes, List<TimelineEntry> notificationsSent)
    {
        var entries = new List<TimelineEntry>();
        entries.AddRange(survivorCase.StatusHistory.Select(s => new TimelineEntry(s.AtUtc, TimelineKind.Status, $"{s.From?.ToString() ?? "—"} → {s.To}", s.Comment, s.ByUserId)
        {
            FromStatus = s.From,
            ToStatus = s.To,
        }));
        entries.AddRange(survivorCase.Consents.Select(c => new TimelineEntry(c.RecordedAtUtc, TimelineKind.Consent, $"Consent recorded ({c.GivenBy})", null, c.RecordedBy) { ConsentGiver = c.GivenBy }));
        entries.AddRange(survivorCase.Consents.Where(c => c.RevokedAtUtc is not null).Select(c => new TimelineEntry(c.RevokedAtUtc!.Value, TimelineKind.Consent, "Consent revoked", null, c.RevokedBy)));
        entries.AddRange(notes.Select(n => new TimelineEntry(n.CreatedAtUtc, TimelineKind.Note, "Note", n.Text, n.AuthorId)));
        foreach (var referral in referrals)
        {
            var provider = providers.GetValueOrDefault(referral.ProviderId) ?? "";
            entries.AddRange(referral.History.Select(h => new TimelineEntry(h.AtUtc, TimelineKind.Referral, $"{referral.Type} referral to {provider}: {h.To}", h.Comment, h.ByUserId)
            {
                ReferralType = referral.Type,
                ReferralStatus = h.To,
                ProviderName = provider,
            }));
        }

        entries.AddRange(followUps.SelectMany(f => f.MovedHistory.Select(m => new TimelineEntry(m.AtUtc, TimelineKind.FollowUp, $"{f.Kind} follow-up moved to {m.ToDueAtUtc:yyyy-MM-dd HH:mm} UTC", m.Reason, m.ByUserId)
        {
            FollowUpKind = f.Kind,
            MovedToUtc = m.ToDueAtUtc,
        })));
        entries.AddRange(followUps.Where(f => f.DoneAtUtc is not null).Select(f => new TimelineEntry(f.DoneAtUtc!.Value, TimelineKind.FollowUp, $"{f.Kind} follow-up done", f.DoneNote, f.DoneBy) { FollowUpKind = f.Kind }));
        entries.AddRange(notificationsSent);
        return entries.OrderByDescending(e => e.AtUtc).ToList();
    }

    private static async Task<string?> NameOfAsync(PortalDbContext db, string? userId, CancellationToken cancellationToken) =>
        userId is null ? null : await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? userId;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}

public sealed record ClaimResult(CommandResult Result, string? HolderName);

public sealed record ConsentInput(
    Portal.Domain.Consents.ConsentGiver GivenBy,
    bool ForServices,
    bool ForSharingNonIdentifyingData,
    IReadOnlyList<Guid> SharedWithProviderIds,
    string? Withhold);
