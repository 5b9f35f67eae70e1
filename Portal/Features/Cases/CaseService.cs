using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Notes;
using Portal.Domain.Referrals;
using Portal.Features.Reminders;
using Portal.Features.Shared;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Provider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Features.Cases;

/// <summary>
/// Reads and changes one case. Reads go through <see cref="CaseScope"/> and changes through <see cref="CommandPath"/>: a
/// case outside the caller's scope answers exactly as one that does not exist (audited), and a change made on an old
/// version of the case is refused, saying who changed what. Claiming relies on the case's version to let exactly one of
/// two claimants win.
/// </summary>
public sealed class CaseService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    CaseScope cases,
    CommandPath path,
    NotificationService notifications,
    IAuditLog audit)
{
    public static string RecordType => Records.Case.Type;

    /// <summary>The case's header and overview; each tab of the case page loads its own part through its own service.</summary>
    /// <param name="recordView">False only when an already open page refreshes itself; opening a case is always recorded.</param>
    public async Task<CaseWorkspace?> GetWorkspaceAsync(UserScope scope, string caseNumber, bool recordView = true, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await cases.FindCaseAsync(db, scope, caseNumber, cancellationToken);
        if (survivorCase is null)
        {
            return null;
        }

        var caseId = survivorCase.Id;
        if (recordView)
        {
            await audit.RecordAsync(AuditAction.ViewedCase, RecordType, caseId.ToString(), cancellationToken: cancellationToken);
        }

        var nextDue = await db.FollowUps.Where(f => f.CaseId == caseId).Where(FollowUpRules.Open.Expression)
            .MinAsync(f => f.Status == FollowUpStatus.Snoozed ? f.SnoozedUntilUtc : (DateTime?)f.DueAtUtc, cancellationToken);
        // The identity's stamps only (never its sealed columns): whether it exists, and whether the person changed it since.
        var identity = await db.IdentityRecords.Where(r => r.CaseId == caseId).Select(r => new { r.ChangedAtUtc, r.ChangedBy }).FirstOrDefaultAsync(cancellationToken);
        var unreadSince = await db.IntakeSubmissions.Where(s => s.CaseId == caseId).MinAsync(s => s.UnreadSinceUtc, cancellationToken);
        var names = await NamesAsync(
            db,
            survivorCase.Consents.Select(c => c.RecordedBy).Append(survivorCase.AssignedAdvocateId).Append(survivorCase.ClosureRequestedBy).Append(survivorCase.ChangedBy),
            cancellationToken);
        return new CaseWorkspace(
            survivorCase,
            survivorCase.AssignedAdvocateId is { } advocate ? names.GetValueOrDefault(advocate) : null,
            scope.IsAdvocate || scope.IsCoordinator ? survivorCase.AvailableActions(scope.UserId, scope.IsCoordinator) : new HashSet<CaseAction>(),
            nextDue,
            identity is not null,
            names)
        {
            ContactChangedByPersonAtUtc = identity?.ChangedBy == Intake.IntakeService.PublicAuthorId ? identity.ChangedAtUtc : null,
            UnreadFromPersonSinceUtc = unreadSince,
        };
    }

    /// <summary>Everything that happened to the case, newest first: status changes, consent, notes, referrals, follow-ups and what was sent about it.</summary>
    public async Task<TimelineView?> GetTimelineAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await cases.FindCaseAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return null;
        }

        var referrals = await db.Referrals.AsNoTracking().Where(r => r.CaseId == caseId).ToListAsync(cancellationToken);
        var providerIds = referrals.Select(r => r.ProviderId).Distinct().ToList();
        var providers = await db.Set<Provider>().AsNoTracking().Where(p => providerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var followUps = await db.FollowUps.AsNoTracking().Where(f => f.CaseId == caseId).ToListAsync(cancellationToken);
        var notes = await db.Notes.AsNoTracking().Where(n => n.CaseId == caseId).ToListAsync(cancellationToken);
        var sent = await notifications.GetSentForCaseAsync(scope, caseId, cancellationToken);
        var assessment = await db.Assessments.AsNoTracking().FirstOrDefaultAsync(a => a.CaseId == caseId, cancellationToken);
        var goals = await db.PlanGoals.AsNoTracking().Where(g => g.CaseId == caseId).ToListAsync(cancellationToken);
        var documents = await db.Documents.AsNoTracking().Where(d => d.CaseId == caseId).ToListAsync(cancellationToken);

        var entries = Timeline.Build(survivorCase, referrals, providers, followUps, notes, sent, assessment, goals, documents, await LinksAsync(db, survivorCase, cancellationToken));
        var names = await NamesAsync(db, entries.Select(e => e.ByUserId), cancellationToken);
        return new TimelineView(entries, names);
    }

    /// <summary>
    /// Requests the person sent again and that were linked into this case (each from the case it opened, closed when it was
    /// linked), or the case this one was linked into.
    /// </summary>
    private static async Task<List<TimelineEntry>> LinksAsync(PortalDbContext db, Case survivorCase, CancellationToken cancellationToken)
    {
        var caseId = survivorCase.Id;
        var linkedHere = await db.Cases.AsNoTracking()
            .Where(c => c.Id != caseId && db.IntakeSubmissions.Any(s => s.CaseId == caseId && s.Id == c.IntakeSubmissionId))
            .ToListAsync(cancellationToken);
        var entries = linkedHere.Where(c => c.ClosedAtUtc is not null).Select(c => Link(c, c.Number, into: false)).ToList();

        var movedTo = survivorCase.IntakeSubmissionId is { } own
            ? await db.IntakeSubmissions.AsNoTracking().Where(s => s.Id == own && s.CaseId != caseId)
                .Select(s => db.Cases.Where(c => c.Id == s.CaseId).Select(c => c.Number).FirstOrDefault())
                .FirstOrDefaultAsync(cancellationToken)
            : null;
        if (movedTo is not null && survivorCase.ClosedAtUtc is not null)
        {
            entries.Add(Link(survivorCase, movedTo, into: true));
        }

        return entries;

        // The link is the linked case's closing step: its time and who took it.
        static TimelineEntry Link(Case linked, string otherNumber, bool into) =>
            new(linked.ClosedAtUtc!.Value, TimelineKind.RequestLinked, into ? $"Request linked into case {otherNumber}" : $"Request linked from case {otherNumber}", null,
                linked.StatusHistory.MaxBy(h => h.Sequence)?.ByUserId)
            {
                LinkedCase = otherNumber,
                LinkedInto = into,
            };
    }

    /// <summary>The case's version now, for a page that was told it changed; null once it is out of the user's scope.</summary>
    public async Task<Guid?> GetVersionAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Cases.InScope(scope, c => c.CountryCode).Where(c => c.Id == caseId)
            .Select(c => (Guid?)c.Version).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Takes up the case, whatever it looks like now. Of two people claiming at once exactly one wins; the other is told
    /// who holds it (the result's value is the holder's name). Claiming a case one already holds is done, and not audited again.
    /// </summary>
    public async Task<CommandResult<string>> ClaimAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        var result = await path.ChangeAsync(scope, Seen<Case>.Latest(caseId), "take up a case", CasePermission.TakeUpCases, work =>
        {
            if (work.Record.AssignedAdvocateId == scope.UserId)
            {
                return;
            }

            work.Record.Claim(scope.UserId, clock);
            work.Audit(AuditAction.ClaimedCase);
            work.Publish(LiveEventKind.CaseClaimed);
        }, cancellationToken);

        return result.Succeeded ? result.With(scope.DisplayName)
            : result.Code == ErrorCodes.CaseClaimedByOther ? result.With(await HolderNameAsync(caseId, cancellationToken))
            : result.With<string>(null);
    }

    public Task<CommandResult> ReleaseAsync(UserScope scope, Seen<Case> seen, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, seen, CaseAction.Release, c => c.Release(scope.UserId), LiveEventKind.CaseReleased, AuditAction.ReleasedCase, null, cancellationToken);

    /// <summary>Takes back a claim made moments ago; the release permission covers it, the case decides whether it is still a slip.</summary>
    public Task<CommandResult> UndoClaimAsync(UserScope scope, Seen<Case> seen, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, seen, CaseAction.Release, c => c.UndoClaim(scope.UserId, clock), LiveEventKind.CaseReleased, AuditAction.ReleasedCase, "undo", cancellationToken);

    public async Task<CommandResult> ReassignAsync(UserScope scope, Seen<Case> seen, string toUserId, CancellationToken cancellationToken = default)
    {
        return await path.ChangeAsync(scope, seen, CaseAction.Reassign.ToString(), CasePermission.Take(CaseAction.Reassign), async work =>
        {
            var target = await work.Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == toUserId && !u.IsDisabled, cancellationToken);
            if (target is null || !target.Countries.Contains(work.Record.CountryCode, StringComparer.OrdinalIgnoreCase))
            {
                throw new DomainException("case.reassign-target", "The case can only go to an active advocate of its country.");
            }

            work.Record.Reassign(toUserId, scope.UserId, clock);
            work.Audit(AuditAction.ReassignedCase);
            work.Publish(LiveEventKind.CaseClaimed);
        }, cancellationToken);
    }

    public Task<CommandResult> TransitionAsync(UserScope scope, Seen<Case> seen, CaseTransition transition, string? comment, CaseClosureReason? closureReason = null, CancellationToken cancellationToken = default)
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

        return path.ChangeAsync(scope, seen, action.ToString(), CasePermission.Take(action), async work =>
        {
            var c = work.Record;
            switch (transition)
            {
                case CaseTransition.StartActionPlan: c.StartActionPlan(scope.UserId, clock, comment); break;
                case CaseTransition.StartAssistance: c.StartAssistance(scope.UserId, clock, comment); break;
                case CaseTransition.StartFollowUp: c.StartFollowUp(scope.UserId, clock, comment); break;
                case CaseTransition.RequestClosure:
                    var reason = closureReason ?? throw new DomainException(ErrorCodes.ClosureReasonRequired, "A closure needs a reason.");
                    c.RequestClosure(reason, comment, (await ClosureWork.LoadAsync(work.Db, c.Id, cancellationToken)).For(c.Id), scope.UserId, clock);
                    break;
                case CaseTransition.ApproveClosure:
                    c.ApproveClosure(scope.UserId, comment, (await ClosureWork.LoadAsync(work.Db, c.Id, cancellationToken)).For(c.Id), clock);
                    break;
                case CaseTransition.RejectClosure: c.RejectClosure(scope.UserId, comment ?? "", clock); break;
                default: c.Reopen(comment ?? "", scope.UserId, clock); break;
            }

            work.Audit(audited, transition.ToString());
            work.Publish(LiveEventKind.CaseStatusChanged);
        }, cancellationToken);
    }

    /// <summary>
    /// What closing the case would leave open, for the closure dialogs: the advocate settles each item there, and the
    /// coordinator sees the same list before approving. Null when the case is out of scope or missing.
    /// </summary>
    public async Task<ClosureWork?> GetClosureWorkAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await cases.FindCaseAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null || CasePermission.WorkOnCase.Check(scope, survivorCase, "see the open work") is not null)
        {
            return null;
        }

        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        return await ClosureWork.LoadToShowAsync(db, caseId, cancellationToken);
    }

    public Task<CommandResult> ChangeRiskAsync(UserScope scope, Seen<Case> seen, RiskLevel level, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, seen, CaseAction.ChangeRisk, c => c.ChangeRisk(level, scope.UserId, clock), LiveEventKind.CaseChanged, AuditAction.Changed, "risk", cancellationToken);

    public Task<CommandResult> UpdateProfileAsync(UserScope scope, Seen<Case> seen, Func<SurvivorProfile> profile, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, seen, CaseAction.UpdateProfile, c => c.UpdateProfile(profile()), LiveEventKind.CaseChanged, AuditAction.Changed, "profile", cancellationToken);

    public Task<CommandResult> SaveAllegationAsync(UserScope scope, Seen<Case> seen, AllegationDetails details, CancellationToken cancellationToken = default) =>
        ChangeAsync(
            scope,
            seen,
            CaseAction.RecordAllegation,
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
            LiveEventKind.CaseChanged,
            AuditAction.Changed,
            "allegation",
            cancellationToken,
            orElse: CaseAction.UpdateAllegation);

    public Task<CommandResult> RecordConsentAsync(UserScope scope, Seen<Case> seen, ConsentInput consent, CancellationToken cancellationToken = default) =>
        ChangeAsync(
            scope,
            seen,
            CaseAction.RecordConsent,
            c => c.RecordConsent(consent.GivenBy, consent.ForServices, consent.ForSharingNonIdentifyingData, consent.SharedWithProviderIds, consent.SharedFields, consent.Withhold, scope.UserId, clock),
            LiveEventKind.CaseChanged,
            AuditAction.ConsentRecorded,
            null,
            cancellationToken);

    public Task<CommandResult> RevokeConsentAsync(UserScope scope, Seen<Case> seen, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, seen, CaseAction.RevokeConsent, c => c.RevokeConsent(scope.UserId, clock), LiveEventKind.CaseChanged, AuditAction.ConsentRevoked, null, cancellationToken);

    public Task<CommandResult> AddNoteAsync(UserScope scope, Guid caseId, string text, CancellationToken cancellationToken = default) =>
        path.AddToCaseAsync(scope, caseId, "add a note", CasePermission.Take(CaseAction.AddNote), work =>
        {
            var note = Note.Create(caseId, text, scope.UserId, clock);
            work.Db.Notes.Add(note);
            work.Created = note.Id;
            work.Publish(LiveEventKind.NoteAdded);
        }, cancellationToken);

    /// <summary>
    /// Shows who the person is. Only for someone working the case (its advocate or a coordinator), only with a stated
    /// reason, and always audited before anything is returned.
    /// </summary>
    public async Task<CommandResult<IdentityView>> RevealIdentityAsync(UserScope scope, Guid caseId, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await cases.FindCaseToShowAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return CommandResult.NotFound.With<IdentityView>(null);
        }

        if (CasePermission.WorkOnCase.Check(scope, survivorCase, "see who the person is") is { } refusal)
        {
            await audit.RecordAsync(AuditAction.AccessDenied, RecordType, caseId.ToString(), "reveal identity", cancellationToken);
            return refusal.With<IdentityView>(null);
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 5)
        {
            return CommandResult.Refused("identity.reason-required", "Say why you need to see the identity.").With<IdentityView>(null);
        }

        // The reason is the user's own words about why they looked; it is kept in the audit trail, not the names. The
        // record is read (and decrypted) before the entry is written, so that the trail says whether anything was seen;
        // nothing is returned before it is written.
        var why = Truncate(reason.Trim(), 500);
        if (survivorCase.ErasedAtUtc is { } erasedAt)
        {
            await audit.RecordAsync(AuditAction.RevealFailed, RecordType, caseId.ToString(), "erased: " + why, cancellationToken);
            return CommandResult.Refused("identity.erased", $"The identity was erased on {erasedAt:yyyy-MM-dd} under the retention rule.").With<IdentityView>(null);
        }

        IdentityRecord? record;
        List<SafeTimesChange> safeTimes;
        try
        {
            record = await db.IdentityRecords.AsNoTracking().FirstOrDefaultAsync(r => r.CaseId == caseId, cancellationToken);
            safeTimes = SafeTimesHistory(await db.IntakeSubmissions.AsNoTracking().Where(s => s.CaseId == caseId).ToListAsync(cancellationToken));
        }
        catch (ProtectedDataUnreadableException unreadable)
        {
            await audit.RecordAsync(AuditAction.RevealFailed, RecordType, caseId.ToString(), "unreadable: " + why, cancellationToken);
            return CommandResult.Refused("identity.unreadable", "The identity cannot be decrypted: " + unreadable.Message).With<IdentityView>(null);
        }

        await audit.RecordAsync(AuditAction.RevealedIdentity, RecordType, caseId.ToString(), why, cancellationToken);
        return CommandResult.Done.With(record is null ? null : new IdentityView(new IdentityDetails(
            record.GivenName, record.FamilyName, record.OtherNames, record.Phone, record.Email, record.ContactChannel, record.SafeContactTimes, record.ExactAddress))
        {
            SafeTimesHistory = safeTimes,
        });
    }

    /// <summary>Every safe time the person gave, with their requests or in later additions, oldest first.</summary>
    private static List<SafeTimesChange> SafeTimesHistory(IEnumerable<Portal.Domain.Intake.IntakeSubmission> submissions) =>
        [.. submissions.SelectMany(s => s.AdditionalInformation.Where(a => a.SafeTimes is not null)
                .Select(a => new SafeTimesChange(a.AtUtc, s.ReferenceCode, a.Sequence, a.SafeTimes!))
                .Prepend(s.SafeTimes is { } first ? new SafeTimesChange(s.ReceivedAtUtc, s.ReferenceCode, null, first) : null)
                .OfType<SafeTimesChange>())
            .OrderBy(c => c.AtUtc)];

    /// <summary>Advocates who could take the case over: active users with the Advocate role in its country.</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> GetReassignCandidatesAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        if (!scope.IsCoordinator)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await cases.FindCaseAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return [];
        }

        var country = survivorCase.CountryCode;
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
        var survivorCase = await cases.FindCaseAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return [];
        }

        var country = survivorCase.CountryCode;
        var providers = await db.Set<Provider>().AsNoTracking().Where(p => p.CountryCode == country && p.IsActive)
            .Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken);
        return providers.OrderBy(p => p.Name, StringComparer.CurrentCulture).Select(p => (p.Id, p.Name)).ToList();
    }

    /// <summary>A change to the case itself: the step must be open to the user now, on the version they saw.</summary>
    private Task<CommandResult> ChangeAsync(
        UserScope scope,
        Seen<Case> seen,
        CaseAction action,
        Action<Case> change,
        LiveEventKind liveKind,
        AuditAction auditAction,
        string? auditDetail,
        CancellationToken cancellationToken,
        CaseAction? orElse = null) =>
        path.ChangeAsync(scope, seen, action.ToString(), CasePermission.Take(action, orElse), work =>
        {
            change(work.Record);
            work.Audit(auditAction, auditDetail);
            work.Publish(liveKind);
        }, cancellationToken);

    private async Task<string?> HolderNameAsync(Guid caseId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var holder = await db.Cases.Where(c => c.Id == caseId).Select(c => c.AssignedAdvocateId).FirstOrDefaultAsync(cancellationToken);
        return holder is null ? null : (await NamesAsync(db, [holder], cancellationToken)).GetValueOrDefault(holder);
    }

    private static async Task<Dictionary<string, string>> NamesAsync(PortalDbContext db, IEnumerable<string?> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.OfType<string>().Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}

public sealed record ConsentInput(
    Portal.Domain.Consents.ConsentGiver GivenBy,
    bool ForServices,
    bool ForSharingNonIdentifyingData,
    IReadOnlyList<Guid> SharedWithProviderIds,
    Portal.Domain.Consents.SharedField SharedFields,
    string? Withhold);
