using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Notifications;
using Portal.Domain.Referrals;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Reminders;

/// <summary>
/// Delivers one notification on its channel, exactly once, however often it runs:
/// <list type="bullet">
/// <item>in-app: the notification row turning Delivered is the delivery, one transaction guarded by the row's
/// concurrency token, so of two workers exactly one commits (and only that one tells the recipient's open pages);</item>
/// <item>pickup-folder e-mail: the file is named by the delivery key and put in place atomically, so a retry after a
/// crash finds it and writes nothing;</item>
/// <item>SMTP: a claim keeps two workers from sending at once; a crash after the server accepted and before the commit
/// sends again on retry, with the same Message-ID.</item>
/// </list>
/// Before delivering it checks that the message still makes sense: the check not done, the referral not answered, the
/// intake not claimed, the recipient still active and allowed to see the case.
/// </summary>
public sealed class DeliveryJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    IEmailTransport emailTransport,
    ReminderMessages messages,
    ILiveEvents liveEvents,
    IOptions<ReminderOptions> options,
    ILogger<DeliveryJob> logger)
{
    public const string Actor = "job:reminder-delivery";

    /// <summary>
    /// Delivers each notification in turn, each in its own transaction. One that fails does not hold up the others;
    /// the job then fails so that Hangfire retries it, and the retry finds the delivered ones done and does nothing for them.
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task RunBatchAsync(Guid[] notificationIds, CancellationToken cancellationToken)
    {
        List<Exception>? failures = null;
        foreach (var id in notificationIds)
        {
            try
            {
                await RunAsync(id, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                (failures ??= []).Add(ex);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException($"{failures.Count} of {notificationIds.Length} notification(s) could not be delivered; the job will try them again.", failures);
        }
    }

    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(Guid notificationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = Actor;
        var notification = await db.Notifications.FirstOrDefaultAsync(n => n.Id == notificationId, cancellationToken);
        var now = clock.GetUtcDateTime();
        if (notification is null || notification.Status != NotificationStatus.Pending || notification.DeliverAfterUtc > now)
        {
            return; // delivered or skipped already, or queued early: the scan queues it again when its moment comes
        }

        var recipient = await db.Users.AsNoTracking().Where(u => u.Id == notification.RecipientUserId)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.UserName, u.PreferredLanguage, u.TimeZoneId, u.IsDisabled, u.Countries })
            .FirstOrDefaultAsync(cancellationToken);
        var skip = recipient is null || recipient.IsDisabled
            ? NotificationSkipReason.RecipientUnavailable
            : await WhyNotAsync(db, notification, recipient.Id, recipient.Countries, cancellationToken);
        var address = recipient is null ? null : RecipientDirectory.AddressOf(recipient.Email, recipient.UserName);
        if (skip is null && notification.Channel == NotificationChannel.Email && address is null)
        {
            skip = NotificationSkipReason.NoEmailAddress;
        }

        if (skip is { } reason)
        {
            notification.Skip(reason, now);
            await TrySaveAsync(db, cancellationToken);
            return;
        }

        if (notification.Channel == NotificationChannel.InApp)
        {
            notification.Deliver(now);
            if (await TrySaveAsync(db, cancellationToken))
            {
                await liveEvents.PublishAsync(
                    new LiveEvent(LiveEventKind.NotificationCreated, notification.CountryCode ?? "", notification.CaseId, notification.Id, notification.RecipientUserId),
                    cancellationToken);
            }

            return;
        }

        if (!notification.TryClaim(now, now + options.Value.ClaimLease) || !await TrySaveAsync(db, cancellationToken))
        {
            return; // another worker holds it
        }

        var to = new Recipient(recipient!.Id, recipient.DisplayName, address, recipient.PreferredLanguage, recipient.TimeZoneId);
        var message = await messages.ComposeEmailAsync(db, notification, to, cancellationToken);
        try
        {
            await emailTransport.SendAsync(message, notification.DeliveryKey, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "E-mail {DeliveryKey} could not be sent; it will be tried again.", notification.DeliveryKey);
            notification.ReleaseClaim();
            await TrySaveAsync(db, CancellationToken.None);
            throw;
        }

        notification.Deliver(clock.GetUtcDateTime(), message.MessageId);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static async Task<NotificationSkipReason?> WhyNotAsync(PortalDbContext db, Notification notification, string recipientId, List<string> recipientCountries, CancellationToken cancellationToken)
    {
        if (notification.CaseId is not { } caseId)
        {
            return null; // a digest: nothing to re-check
        }

        var facts = await db.Cases.AsNoTracking().Where(c => c.Id == caseId)
            .Select(c => new { c.Status, c.CountryCode, c.AssignedAdvocateId })
            .FirstOrDefaultAsync(cancellationToken);
        if (facts is null)
        {
            return NotificationSkipReason.NoLongerDue;
        }

        if (facts.Status == CaseStatus.Closed)
        {
            return NotificationSkipReason.CaseClosed;
        }

        var roles = await db.UserRoles.Where(ur => ur.UserId == recipientId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name)
            .ToListAsync(cancellationToken);
        var scope = new UserScope(recipientId, "", "", roles.OfType<string>(), recipientCountries);
        if (!scope.CanSee(facts.CountryCode))
        {
            return NotificationSkipReason.RecipientUnavailable;
        }

        var stillDue = notification.Kind switch
        {
            NotificationKind.FollowUpDue or NotificationKind.FollowUpOverdue => await FollowUpStillDueAsync(db, notification, cancellationToken),
            NotificationKind.ReferralNotAccepted or NotificationKind.ReferralNotAcceptedEscalation => await db.Referrals.AnyAsync(
                r => r.Id == notification.SubjectId && r.Status == ReferralStatus.Sent && r.AcceptanceDueAtUtc == notification.DueAtUtc, cancellationToken),
            NotificationKind.IntakeUnclaimed => facts.Status == CaseStatus.Intake && facts.AssignedAdvocateId is null,
            _ => true,
        };
        return stillDue ? null : NotificationSkipReason.NoLongerDue;
    }

    private static async Task<bool> FollowUpStillDueAsync(PortalDbContext db, Notification notification, CancellationToken cancellationToken)
    {
        var followUp = await db.FollowUps.AsNoTracking().FirstOrDefaultAsync(f => f.Id == notification.SubjectId, cancellationToken);

        // Done, cancelled, snoozed or moved since: the new deadline gets its own reminder.
        return followUp is { IsOpen: true } && followUp.EffectiveDueAtUtc == notification.DueAtUtc;
    }

    /// <summary>False when another worker changed the row first: it delivered or skipped it, so this one stops.</summary>
    private static async Task<bool> TrySaveAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }
}

/// <summary>
/// The recurring scan as Hangfire runs it: one scan at a time per node, and, with nodes sharing PostgreSQL, one at a
/// time across all of them (a scan that finds another running skips its turn; overlapping would be harmless, only wasted).
/// </summary>
public sealed class ReminderScanJob(ReminderScanner scanner, ReminderScanGate gate, DatabaseLocks locks)
{
    public const string LockName = "reminders-scan";

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!await gate.Semaphore.WaitAsync(0, cancellationToken))
        {
            return; // the previous scan is still running; the next tick picks up where it ends
        }

        try
        {
            await using var shared = await locks.TryAcquireAsync(LockName, cancellationToken);
            if (shared is null)
            {
                return; // another node is scanning; the next tick picks up where it ends
            }

            await scanner.RunAsync(cancellationToken);
        }
        finally
        {
            gate.Semaphore.Release();
        }
    }
}

public sealed class ReminderScanGate : IDisposable
{
    public SemaphoreSlim Semaphore { get; } = new(1, 1);

    public void Dispose() => Semaphore.Dispose();
}

/// <summary>Registers (or removes) the recurring scan when the app starts.</summary>
internal sealed class ReminderSchedule(IRecurringJobManager recurringJobs, IBackgroundJobClient jobs, IOptions<ReminderOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ScanEnabled)
        {
            recurringJobs.AddOrUpdate<ReminderScanJob>(
                ReminderOptions.ScanJobId,
                job => job.RunAsync(CancellationToken.None),
                options.Value.ScanCron,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

            // A node that starts (or restarts after a crash) scans at once: what fell due while it was down, and
            // deliveries whose jobs died with it, do not wait for the recurring schedule to come round.
            jobs.Enqueue<ReminderScanJob>(job => job.RunAsync(CancellationToken.None));
        }
        else
        {
            recurringJobs.RemoveIfExists(ReminderOptions.ScanJobId);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
