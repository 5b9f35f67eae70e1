using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Reminders;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Referrals;

/// <summary>What the follow-up form sends. Times are local wall-clock times in the case's country, as the advocate thinks of them.</summary>
public sealed record FollowUpInput(FollowUpKind? Kind, string? Title, Guid? ReferralId, DateTime? DueLocal, bool IsUrgent);

/// <summary>The dated checks of one case, and whether this user may change them.</summary>
public sealed record CaseFollowUpList(
    Guid CaseId,
    string CountryCode,
    bool CanWork,
    IReadOnlyList<FollowUp> FollowUps,
    IReadOnlyList<ReferralOption> Referrals,
    IReadOnlyDictionary<string, string> UserNames)
{
    public string NameOf(string? userId) => userId is null ? "" : UserNames.GetValueOrDefault(userId, userId);
}

/// <summary>
/// The dated checks of a case, set by hand or planned by the reminder policy: added, completed, moved or snoozed (each
/// with a reason) and cancelled (with a reason) by the case's advocate or a coordinator, through <see cref="CommandPath"/>.
/// Dates entered are local times in the case's country and are stored in UTC.
/// </summary>
public sealed class FollowUpService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    ReminderPolicy policy,
    CaseScope cases,
    CommandPath path,
    ReferralService referrals)
{
    public static string RecordType => Records.FollowUp.Type;

    /// <summary>The time zone a case's dates are entered and shown in: its country's reference zone.</summary>
    public TimeZoneInfo ZoneOf(string countryCode) =>
        policy.WorkingHours.TryGetValue(countryCode, out var hours) ? hours.TimeZone : TimeZoneInfo.Utc;

    /// <summary>The case's checks, open ones first by when they fall due.</summary>
    public async Task<CaseFollowUpList?> GetForCaseAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await cases.FindCaseAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return null;
        }

        var followUps = await db.FollowUps.AsNoTracking().Where(f => f.CaseId == caseId).ToListAsync(cancellationToken);
        var userIds = followUps.Select(f => f.DoneBy).OfType<string>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return new CaseFollowUpList(
            caseId,
            survivorCase.CountryCode,
            CasePermission.WorkOnOpenCase.Check(scope, survivorCase, "") is null,
            followUps.OrderBy(f => f.IsOpen ? 0 : 1).ThenBy(f => f.EffectiveDueAtUtc).ToList(),
            await referrals.GetOptionsAsync(scope, caseId, cancellationToken),
            names);
    }

    public Task<CommandResult> AddAsync(UserScope scope, Guid caseId, FollowUpInput input, CancellationToken cancellationToken = default) =>
        path.AddToCaseAsync(scope, caseId, "add a follow-up", CasePermission.WorkOnOpenCase, async work =>
        {
            var kind = work.Problems.Defined("Kind", input.Kind, "Follow-up kind");
            var title = work.Problems.Text("Title", input.Title, kind == FollowUpKind.General ? "A title for a general follow-up" : "Title", FollowUp.TitleMaxLength, required: kind == FollowUpKind.General);
            var due = FutureUtc(work.Problems, "Due", input.DueLocal, work.Case.CountryCode, "The due date");
            if (input.ReferralId is { } referralId && !await work.Db.Referrals.AnyAsync(r => r.Id == referralId && r.CaseId == caseId, cancellationToken))
            {
                work.Problems.Add("Referral", ReferralErrors.UnknownReferral, "The chosen referral is not one of this case's.");
            }

            if (work.Problems.Any)
            {
                return;
            }

            var followUp = FollowUp.CreateManual(caseId, input.ReferralId, kind!.Value, title, due!.Value, input.IsUrgent);
            work.Db.FollowUps.Add(followUp);
            work.Created = followUp.Id;
            work.Audit(AuditAction.Created, RecordType, followUp.Id, followUp.Kind.ToString());
            work.Publish(LiveEventKind.FollowUpChanged, followUp.Id);
        }, cancellationToken);

    public Task<CommandResult> CompleteAsync(UserScope scope, Seen<FollowUp> followUp, string? note, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, followUp, "complete a follow-up", "done", work =>
        {
            var text = work.Problems.Text("Note", note, "Note", FollowUp.NoteMaxLength, required: false);
            if (!work.Problems.Any)
            {
                work.Record.Complete(scope.UserId, clock, text);
            }
        }, cancellationToken);

    /// <summary>A new planned date (a new appointment, say); the reason is kept in the check's history and the case's timeline.</summary>
    public Task<CommandResult> MoveAsync(UserScope scope, Seen<FollowUp> followUp, DateTime? newDueLocal, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, followUp, "move a follow-up", "moved", work =>
        {
            var text = work.Problems.Text("Reason", reason, "A reason for moving the follow-up", FollowUp.ReasonMaxLength, required: true);
            var due = FutureUtc(work.Problems, "Due", newDueLocal, work.Case.CountryCode, "The new due date");
            if (!work.Problems.Any)
            {
                work.Record.Move(due!.Value, text!, scope.UserId, clock);
            }
        }, cancellationToken);

    /// <summary>Puts the check off until later without changing its planned date; the reason is kept.</summary>
    public Task<CommandResult> SnoozeAsync(UserScope scope, Seen<FollowUp> followUp, DateTime? untilLocal, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, followUp, "snooze a follow-up", "snoozed", work =>
        {
            var text = work.Problems.Text("Reason", reason, "A reason for snoozing", FollowUp.ReasonMaxLength, required: true);
            var until = FutureUtc(work.Problems, "Until", untilLocal, work.Case.CountryCode, "The end of the snooze");
            if (!work.Problems.Any)
            {
                work.Record.Snooze(until!.Value, text!, scope.UserId, clock);
            }
        }, cancellationToken);

    public Task<CommandResult> CancelAsync(UserScope scope, Seen<FollowUp> followUp, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(scope, followUp, "cancel a follow-up", "cancelled", work =>
        {
            var text = work.Problems.Text("Reason", reason, "A reason for cancelling", FollowUp.ReasonMaxLength, required: true);
            if (!work.Problems.Any)
            {
                work.Record.Cancel(text!, scope.UserId, clock);
            }
        }, cancellationToken);

    private Task<CommandResult> ChangeAsync(UserScope scope, Seen<FollowUp> followUp, string attempt, string auditDetail, Action<CommandWork<FollowUp>> change, CancellationToken cancellationToken) =>
        path.ChangeAsync(scope, followUp, attempt, CasePermission.WorkOnOpenCase, work =>
        {
            change(work);
            work.Audit(AuditAction.Changed, auditDetail);
            work.Publish(LiveEventKind.FollowUpChanged, work.Record.Id);
        }, cancellationToken);

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
}
