using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Notifications;
using Portal.Domain.Referrals;
using Portal.Features.Audit;
using Portal.Features.Cases;
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

/// <summary>
/// The signed-in user's own notifications: a user only ever sees, reads or snoozes what was delivered to them, and
/// snoozing goes through the follow-up's own rules (a reason, a moment in the future) with the case in their scope.
/// </summary>
public sealed class NotificationService(
    IDbContextFactory<PortalDbContext> dbFactory,
    ICurrentUser currentUser,
    TimeProvider clock,
    ILiveEvents liveEvents,
    IAuditLog audit)
{
    public const int MaxPageSize = 100;

    public async Task<int> CountUnreadAsync(CancellationToken cancellationToken = default)
    {
        var scope = await currentUser.FindAsync(cancellationToken);
        if (scope is null)
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
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var notification = await Mine(db, scope).AsTracking().FirstOrDefaultAsync(n => n.Id == notificationId, cancellationToken);
        if (notification is null || notification.Kind is not (NotificationKind.FollowUpDue or NotificationKind.FollowUpOverdue) || notification.SubjectId is null)
        {
            return CommandResult.NotFound;
        }

        var survivorCase = await db.Cases.AsNoTracking().InScope(scope, c => c.CountryCode)
            .Where(c => c.Id == notification.CaseId).Select(c => new { c.Id, c.CountryCode, c.AssignedAdvocateId, c.Status })
            .FirstOrDefaultAsync(cancellationToken);
        if (survivorCase is null)
        {
            await audit.RecordAsync(AuditAction.AccessDenied, CaseService.RecordType, notification.CaseId?.ToString(), "snooze follow-up", cancellationToken);
            return CommandResult.NotFound;
        }

        if (!CaseService.CanWork(scope) || (survivorCase.AssignedAdvocateId != scope.UserId && !scope.IsCoordinator))
        {
            await audit.RecordAsync(AuditAction.AccessDenied, CaseService.RecordType, survivorCase.Id.ToString(), "snooze follow-up", cancellationToken);
            return CommandResult.Forbidden("Only the case's advocate or a coordinator snoozes its follow-ups.");
        }

        var followUp = await db.FollowUps.FirstOrDefaultAsync(f => f.Id == notification.SubjectId && f.CaseId == survivorCase.Id, cancellationToken);
        if (followUp is null)
        {
            return CommandResult.NotFound;
        }

        try
        {
            followUp.Snooze(Guard.Utc(untilUtc, nameof(untilUtc)), reason, scope.UserId, clock);
            notification.MarkRead(clock.GetUtcDateTime());
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException refusal)
        {
            return CommandResult.Refused(refusal);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Conflict(null, null);
        }

        await audit.RecordAsync(AuditAction.Changed, "FollowUp", followUp.Id.ToString(), "snoozed", cancellationToken);
        await liveEvents.PublishAsync(new LiveEvent(LiveEventKind.FollowUpChanged, survivorCase.CountryCode, survivorCase.Id, followUp.Id), cancellationToken);
        await PublishReadAsync(scope, cancellationToken);
        return CommandResult.Done;
    }

    private static IQueryable<Notification> Mine(PortalDbContext db, UserScope scope) =>
        db.Notifications.AsNoTracking().Where(n =>
            n.RecipientUserId == scope.UserId && n.Channel == NotificationChannel.InApp && n.Status == NotificationStatus.Delivered);

    private Task PublishReadAsync(UserScope scope, CancellationToken cancellationToken) =>
        liveEvents.PublishAsync(new LiveEvent(LiveEventKind.NotificationRead, "", RecipientUserId: scope.UserId), cancellationToken);
}

/// <summary>What was sent about a case, for its timeline (CaseService.BuildTimeline).</summary>
public static class NotificationTimeline
{
    public static async Task<List<TimelineEntry>> ForCaseAsync(PortalDbContext db, Guid caseId, CancellationToken cancellationToken)
    {
        var sent = await db.Notifications.AsNoTracking()
            .Where(n => n.CaseId == caseId && n.Status == NotificationStatus.Delivered)
            .Join(db.Users, n => n.RecipientUserId, u => u.Id, (n, u) => new { n.DeliveredAtUtc, n.Kind, n.IsEscalation, n.Channel, n.FollowUpKind, n.ReferralType, u.DisplayName })
            .ToListAsync(cancellationToken);
        return sent.Select(n => new TimelineEntry(
                n.DeliveredAtUtc!.Value,
                TimelineKind.Notification,
                $"{(n.IsEscalation ? "Escalation" : "Reminder")} ({n.Kind}{(n.FollowUpKind is { } f ? $", {f}" : n.ReferralType is { } r ? $", {r}" : "")}) sent to {n.DisplayName} ({(n.Channel == NotificationChannel.InApp ? "in-app" : "e-mail")})",
                null,
                null))
            .ToList();
    }
}
