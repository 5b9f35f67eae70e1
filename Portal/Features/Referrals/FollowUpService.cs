using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Reminders;
using Portal.Features.Audit;
using Portal.Features.Cases;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Referrals;

/// <summary>What the follow-up form sends. Times are local wall-clock times in the case's country, as the advocate thinks of them.</summary>
public sealed record FollowUpInput(FollowUpKind? Kind, string? Title, Guid? ReferralId, DateTime? DueLocal, bool IsUrgent);

/// <summary>
/// The dated checks of a case, set by hand or planned by the reminder policy: added, completed, moved or snoozed (each
/// with a reason) and cancelled (with a reason) by the case's advocate or a coordinator. Dates entered are local times in
/// the case's country and are stored in UTC. Concurrent changes to one check are detected, never merged.
/// </summary>
public sealed class FollowUpService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    ReminderPolicy policy,
    ILiveEvents liveEvents,
    IAuditLog audit)
{
    public const string RecordType = "FollowUp";

    /// <summary>The time zone a case's dates are entered and shown in: its country's reference zone.</summary>
    public TimeZoneInfo ZoneOf(string countryCode) =>
        policy.WorkingHours.TryGetValue(countryCode, out var hours) ? hours.TimeZone : TimeZoneInfo.Utc;

    public async Task<FormResult> AddAsync(UserScope scope, Guid caseId, FollowUpInput input, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var kind = problems.Defined("Kind", input.Kind, "Follow-up kind");
        var title = problems.Text("Title", input.Title, kind == FollowUpKind.General ? "A title for a general follow-up" : "Title", FollowUp.TitleMaxLength, required: kind == FollowUpKind.General);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var survivorCase = await CaseAccess.FindCaseAsync(db, audit, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return FormResult.NotFound;
        }

        if (await CaseAccess.RefusalAsync(audit, scope, survivorCase, CaseService.RecordType, caseId, "add a follow-up", cancellationToken) is { } refusal)
        {
            return FormResult.From(refusal);
        }

        var due = FutureUtc(problems, "Due", input.DueLocal, survivorCase.CountryCode, "The due date");
        if (input.ReferralId is { } referralId && !await db.Referrals.AnyAsync(r => r.Id == referralId && r.CaseId == caseId, cancellationToken))
        {
            problems.Add("Referral", ReferralErrors.UnknownReferral, "The chosen referral is not one of this case's.");
        }

        if (problems.Any)
        {
            return FormResult.Invalid(problems);
        }

        FollowUp followUp;
        try
        {
            followUp = FollowUp.CreateManual(caseId, input.ReferralId, kind!.Value, title, due!.Value, input.IsUrgent);
            db.FollowUps.Add(followUp);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException refused)
        {
            return FormResult.Refused(refused);
        }

        await audit.RecordAsync(AuditAction.Created, RecordType, followUp.Id.ToString(), followUp.Kind.ToString(), cancellationToken);
        await PublishAsync(survivorCase, followUp, cancellationToken);
        return FormResult.Done(followUp.Id);
    }

    public Task<FormResult> CompleteAsync(UserScope scope, Guid followUpId, string? note, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var text = problems.Text("Note", note, "Note", FollowUp.NoteMaxLength, required: false);
        return ChangeAsync(scope, followUpId, problems, "complete a follow-up", "done", (f, _) =>
        {
            if (!problems.Any)
            {
                f.Complete(scope.UserId, clock, text);
            }
        }, cancellationToken);
    }

    /// <summary>A new planned date (a new appointment, say); the reason is kept in the check's history and the case's timeline.</summary>
    public Task<FormResult> MoveAsync(UserScope scope, Guid followUpId, DateTime? newDueLocal, string? reason, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var text = problems.Text("Reason", reason, "A reason for moving the follow-up", FollowUp.ReasonMaxLength, required: true);
        return ChangeAsync(scope, followUpId, problems, "move a follow-up", "moved", (f, country) =>
        {
            var due = FutureUtc(problems, "Due", newDueLocal, country, "The new due date");
            if (!problems.Any)
            {
                f.Move(due!.Value, text!, scope.UserId, clock);
            }
        }, cancellationToken);
    }

    /// <summary>Puts the check off until later without changing its planned date; the reason is kept.</summary>
    public Task<FormResult> SnoozeAsync(UserScope scope, Guid followUpId, DateTime? untilLocal, string? reason, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var text = problems.Text("Reason", reason, "A reason for snoozing", FollowUp.ReasonMaxLength, required: true);
        return ChangeAsync(scope, followUpId, problems, "snooze a follow-up", "snoozed", (f, country) =>
        {
            var until = FutureUtc(problems, "Until", untilLocal, country, "The end of the snooze");
            if (!problems.Any)
            {
                f.Snooze(until!.Value, text!, scope.UserId, clock);
            }
        }, cancellationToken);
    }

    public Task<FormResult> CancelAsync(UserScope scope, Guid followUpId, string? reason, CancellationToken cancellationToken = default)
    {
        var problems = new FormProblems();
        var text = problems.Text("Reason", reason, "A reason for cancelling", FollowUp.ReasonMaxLength, required: true);
        return ChangeAsync(scope, followUpId, problems, "cancel a follow-up", "cancelled", (f, _) =>
        {
            if (!problems.Any)
            {
                f.Cancel(text!, scope.UserId, clock);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Runs one change to one check. The change applies itself only when the form has no problems; dates are checked
    /// inside it because they need the case's time zone. Any problem stops the change before anything is saved.
    /// </summary>
    private async Task<FormResult> ChangeAsync(
        UserScope scope,
        Guid followUpId,
        FormProblems problems,
        string attempt,
        string auditDetail,
        Action<FollowUp, string> change,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var found = await CaseAccess.FindAsync<FollowUp>(db, audit, scope, f => f.Id == followUpId, f => f.CaseId, RecordType, followUpId, cancellationToken);
        if (found is not { } record)
        {
            return FormResult.NotFound;
        }

        var (followUp, survivorCase) = record;
        if (await CaseAccess.RefusalAsync(audit, scope, survivorCase, RecordType, followUpId, attempt, cancellationToken) is { } refusal)
        {
            return FormResult.From(refusal);
        }

        try
        {
            change(followUp, survivorCase.CountryCode);
        }
        catch (DomainException refused)
        {
            return FormResult.Refused(refused);
        }

        if (problems.Any)
        {
            return FormResult.Invalid(problems);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
            var now = await fresh.FollowUps.AsNoTracking().Where(f => f.Id == followUpId).Select(f => new { f.ChangedBy, f.ChangedAtUtc }).FirstOrDefaultAsync(cancellationToken);
            return FormResult.From(CommandResult.Conflict(await CaseAccess.NameOfAsync(fresh, now?.ChangedBy, cancellationToken), now?.ChangedAtUtc));
        }

        await audit.RecordAsync(AuditAction.Changed, RecordType, followUpId.ToString(), auditDetail, cancellationToken);
        await PublishAsync(survivorCase, followUp, cancellationToken);
        return FormResult.Done(followUpId);
    }

    /// <summary>A local time in the case's country, as UTC, if it is given and still ahead; otherwise a problem for the field.</summary>
    private DateTime? FutureUtc(FormProblems problems, string field, DateTime? local, string countryCode, string label)
    {
        if (local is not { } wallClock)
        {
            problems.Add(field, ErrorCodes.Required, $"{label} is required.");
            return null;
        }

        var utc = TimeZones.ToUtc(wallClock, policy.WorkingHoursFor(countryCode).TimeZone);
        if (utc <= clock.GetUtcDateTime())
        {
            problems.Add(field, ReferralErrors.DueInPast, $"{label} must be in the future.");
            return null;
        }

        return utc;
    }

    private Task PublishAsync(Case survivorCase, FollowUp followUp, CancellationToken cancellationToken) =>
        liveEvents.PublishAsync(new LiveEvent(LiveEventKind.FollowUpChanged, survivorCase.CountryCode, survivorCase.Id, followUp.Id), cancellationToken);
}
