using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Notifications;
using Portal.Domain.Referrals;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Reminders;

/// <summary>One of the signed-in user's in-app notifications, as the bell and the list show it.</summary>
public sealed record NotificationView(
    Guid Id,
    NotificationKind Kind,
    bool IsEscalation,
    bool IsUrgent,
    string? CaseNumber,
    FollowUpKind? FollowUpKind,
    ReferralType? ReferralType,
    int? ItemCount,
    DateTime DueAtUtc,
    DateTime DeliveredAtUtc,
    DateTime? ReadAtUtc,
    bool CanSnooze);

/// <summary>A reminder or escalation delivered about a case, for the case's timeline.</summary>
public sealed record SentNotification(
    DateTime DeliveredAtUtc,
    NotificationKind Kind,
    bool IsEscalation,
    NotificationChannel Channel,
    FollowUpKind? FollowUpKind,
    ReferralType? ReferralType,
    string RecipientName);

/// <summary>
/// The signed-in user's own notifications: a user only ever sees, reads or snoozes what was delivered to them, and
/// snoozing goes through the follow-up's own rules (a reason, a moment in the future) with the case in their scope.
/// The list and the count are refused once the user's session has ended (<see cref="CaseScope.SessionOpenAsync"/>).
/// </summary>
public sealed class NotificationService(
    IDbContextFactory<PortalDbContext> dbFactory,
    ICurrentUser currentUser,
    TimeProvider clock,
    ILiveEvents liveEvents,
    CaseScope cases,
    CommandPath path,
    NotificationOutbox outbox,
    DeliveryJob delivery,
    ILogger<NotificationService> logger)
{
    public const int MaxPageSize = 100;

    public const string RecordType = "Notifications";

    /// <summary>
    /// Tells the case's advocate, in the bell and at once, that the person wrote (<paramref name="writtenAtUtc"/>). A case
    /// nobody holds yet waits in the new-intakes queue, where the mark shows; the unclaimed-intake escalation covers it.
    /// The notice is queued like any other and then delivered here at once, so the bell does not wait for a worker's next
    /// poll of the job queue; the queued job is the safety net (after a crash) and finds it delivered.
    /// </summary>
    public async Task AnnouncePersonWroteAsync(Guid caseId, DateTime writtenAtUtc, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await db.Cases.AsNoTracking().Where(c => c.Id == caseId)
            .Select(c => new { c.Number, c.CountryCode, c.AssignedAdvocateId }).FirstOrDefaultAsync(cancellationToken);
        if (survivorCase?.AssignedAdvocateId is not { } advocate)
        {
            return;
        }

        var now = clock.GetUtcDateTime();
        var notice = Notification.Plan(NotificationKind.PersonWrote, NotificationChannel.InApp, advocate, new NotificationSubject(caseId, survivorCase.Number, survivorCase.CountryCode, caseId),
            writtenAtUtc, isEscalation: false, isUrgent: true, now, clock);
        await outbox.AddAsync([notice], cancellationToken);
        try
        {
            await delivery.RunBatchAsync([notice.Id], cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // The person's words are saved; the queued job delivers the notice instead.
            logger.LogWarning(failure, "The notice that the person wrote on case {CaseId} could not be delivered at once; its queued job will.", caseId);
        }
    }

    public async Task<int> CountUnreadAsync(CancellationToken cancellationToken = default)
    {
        var scope = await currentUser.FindAsync(cancellationToken);
        if (scope is null || !await cases.SessionOpenAsync(scope, RecordType, cancellationToken))
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Mine(db, scope).CountAsync(n => n.ReadAtUtc == null, cancellationToken);
    }

    /// <summary>Newest first. <paramref name="before"/> pages on from the last one shown.</summary>
    public async Task<IReadOnlyList<NotificationView>> ListAsync(bool unreadOnly, DateTime? before, int take, CancellationToken cancellationToken = default)
    {
        var scope = await currentUser.GetAsync(cancellationToken);
        if (!await cases.SessionOpenAsync(scope, RecordType, cancellationToken))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Mine(db, scope);
        if (unreadOnly)
        {
            query = query.Where(n => n.ReadAtUtc == null);
        }

        if (before is { } cursor)
        {
            query = query.Where(n => n.DeliveredAtUtc < cursor);
        }

        var rows = await query.OrderByDescending(n => n.DeliveredAtUtc).Take(Math.Clamp(take, 1, MaxPageSize)).ToListAsync(cancellationToken);
        return rows.Select(n => new NotificationView(
            n.Id, n.Kind, n.IsEscalation, n.IsUrgent, n.CaseNumber, n.FollowUpKind, n.ReferralType, n.ItemCount,
            n.DueAtUtc, n.DeliveredAtUtc!.Value, n.ReadAtUtc,
            CanSnooze: n.Kind is NotificationKind.FollowUpDue or NotificationKind.FollowUpOverdue && n.SubjectId is not null)).ToList();
    }

    public async Task<CommandResult> MarkReadAsync(Guid notificationId, CancellationToken cancellationToken = default)
    {
        var scope = await currentUser.GetAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var notification = await Mine(db, scope).AsTracking().FirstOrDefaultAsync(n => n.Id == notificationId, cancellationToken);
        if (notification is null)
        {
            return CommandResult.NotFound;
        }

        notification.MarkRead(clock.GetUtcDateTime());
        await db.SaveChangesAsync(cancellationToken);
        await PublishReadAsync(scope, cancellationToken);
        return CommandResult.Done;
    }

    public async Task<int> MarkAllReadAsync(CancellationToken cancellationToken = default)
    {
        var scope = await currentUser.GetAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcDateTime();
        var changed = await Mine(db, scope).Where(n => n.ReadAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAtUtc, now), cancellationToken);
        await PublishReadAsync(scope, cancellationToken);
        return changed;
    }

    /// <summary>
    /// Puts off the follow-up a reminder is about, with the user's reason; the reminder counts as read, and the check
    /// is reminded again when the snooze ends. Only the case's advocate or a coordinator may, as for the check itself.
    /// </summary>
    public async Task<CommandResult> SnoozeAsync(Guid notificationId, DateTime untilUtc, string reason, CancellationToken cancellationToken = default)
    {
        var scope = await currentUser.GetAsync(cancellationToken);
        Guid? followUpId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            followUpId = await Mine(db, scope)
                .Where(n => n.Id == notificationId && (n.Kind == NotificationKind.FollowUpDue || n.Kind == NotificationKind.FollowUpOverdue))
                .Select(n => n.SubjectId).FirstOrDefaultAsync(cancellationToken);
        }

        if (followUpId is not { } id)
        {
            return CommandResult.NotFound;
        }

        // The check as it is now: the reminder did not show the user its version.
        var result = await path.ChangeAsync(scope, Seen<FollowUp>.Latest(id), "snooze a follow-up", CasePermission.WorkOnOpenCase, async work =>
        {
            work.Record.Snooze(Guard.Utc(untilUtc, nameof(untilUtc)), reason, scope.UserId, clock);
            var notification = await work.Db.Notifications.FirstAsync(n => n.Id == notificationId, cancellationToken);
            notification.MarkRead(clock.GetUtcDateTime());
            work.Audit(AuditAction.Changed, "snoozed");
            work.Publish(LiveEventKind.FollowUpChanged, id);
        }, cancellationToken);

        if (result.Succeeded)
        {
            await PublishReadAsync(scope, cancellationToken);
        }

        return result;
    }

    /// <summary>What was delivered about a case in the viewer's scope, for its timeline.</summary>
    public async Task<IReadOnlyList<SentNotification>> GetSentForCaseAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await cases.FindCaseAsync(db, scope, caseId, cancellationToken) is null)
        {
            return [];
        }

        return await db.Notifications.AsNoTracking()
            .Where(n => n.CaseId == caseId && n.Status == NotificationStatus.Delivered)
            .Join(db.Users, n => n.RecipientUserId, u => u.Id, (n, u) => new SentNotification(n.DeliveredAtUtc!.Value, n.Kind, n.IsEscalation, n.Channel, n.FollowUpKind, n.ReferralType, u.DisplayName))
            .ToListAsync(cancellationToken);
    }

    private static IQueryable<Notification> Mine(PortalDbContext db, UserScope scope) =>
        db.Notifications.AsNoTracking().Where(n =>
            n.RecipientUserId == scope.UserId && n.Channel == NotificationChannel.InApp && n.Status == NotificationStatus.Delivered);

    private Task PublishReadAsync(UserScope scope, CancellationToken cancellationToken) =>
        liveEvents.PublishAsync(new LiveEvent(LiveEventKind.NotificationRead, "", RecipientUserId: scope.UserId), cancellationToken);
}
