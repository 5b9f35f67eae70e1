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
/// Delivers notifications on their channel, exactly once, however often it runs:
/// <list type="bullet">
/// <item>in-app: the notification row turning Delivered is the delivery, one transaction guarded by the row's
/// concurrency token, so of two workers exactly one commits (and only that one tells the recipient's open pages);</item>
/// <item>pickup-folder e-mail: the file is named by the delivery key and put in place atomically, so a second worker,
/// or a retry after a crash, finds it and writes nothing (no claim needed);</item>
/// <item>SMTP: a claim keeps two workers from sending at once; a crash after the server accepted and before the commit
/// sends again on retry, with the same Message-ID. A claim held by a node that died is taken over once the node has
/// been silent longer than it could take to finish a send; a node that cannot prove it is alive sends nothing.</item>
/// </list>
/// Before delivering it checks that the message still makes sense: the check not done, the referral not answered, the
/// intake not claimed, the recipient still active and allowed to see the case.
/// <para>
/// A batch is worked as a whole: one read per kind of fact (notifications, recipients and their roles, cases,
/// referrals, follow-ups), one commit for the in-app deliveries, the skips and the SMTP claims, and one for the
/// e-mails put in the pickup folder. Per notification that was five reads and one or two commits on a database that
/// takes one writer at a time (BENCHMARKS.md, reminders at scale). When another worker changed one of the batch's rows
/// first, the whole first commit is refused (nothing of it is written) and the batch is worked one notification at a time.
/// </para>
/// </summary>
public sealed class DeliveryJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    IEmailTransport emailTransport,
    ReminderMessages messages,
    ILiveEvents liveEvents,
    NodeLiveness nodes,
    IOptions<ReminderOptions> options,
    IOptions<EmailOptions> email,
    ILogger<DeliveryJob> logger)
{
    public const string Actor = "job:reminder-delivery";

    /// <summary>
    /// Delivers the batch. One notification that fails does not hold up the others; the job then fails so that
    /// Hangfire retries it, and the retry finds the delivered ones done and does nothing for them.
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task RunBatchAsync(Guid[] notificationIds, CancellationToken cancellationToken)
    {
        var failures = await DeliverAsync(notificationIds, cancellationToken);
        if (failures is null)
        {
            // Another worker got to one of them first: each of the others on its own.
            failures = [];
            foreach (var id in notificationIds)
            {
                failures.AddRange(await DeliverAsync([id], cancellationToken) ?? []);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"{failures.Count} of {notificationIds.Length} notification(s) could not be delivered; the job will try them again.", failures);
        }
    }

    [AutomaticRetry(Attempts = 3)]
    public Task RunAsync(Guid notificationId, CancellationToken cancellationToken) => RunBatchAsync([notificationId], cancellationToken);

    /// <summary>
    /// What could not be delivered, or null when another worker changed one of the rows first and nothing was
    /// committed (for a single notification that means the other worker has it, so the answer is "nothing failed").
    /// </summary>
    private async Task<List<Exception>?> DeliverAsync(Guid[] ids, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = Actor;
        var now = clock.GetUtcDateTime();
        // By id alone, then judged here: with the status in the query SQLite prefers the status index and reads every
        // pending notification (tens of thousands after a big scan) for each batch.
        var due = (await db.Notifications.Where(n => ids.Contains(n.Id)).ToListAsync(cancellationToken))
            .Where(n => n.Status == NotificationStatus.Pending && n.DeliverAfterUtc <= now)
            .ToList();
        if (due.Count == 0)
        {
            return []; // delivered or skipped already, or queued early: the scan queues them again when their moment comes
        }

        var facts = await Facts.LoadAsync(db, due, cancellationToken);

        // Who may still be sending what they claimed: a node counts as gone only once it has been silent for longer than
        // a send can take, so that a slow send of a live node is never doubled.
        var claimHolders = due.Any(n => n.ClaimedUntilUtc > now && n.ClaimedBy is not null && n.ClaimedBy != nodes.Self)
            ? await nodes.AliveAsync(db, email.Value.Smtp.Timeout, cancellationToken)
            : null;
        var inApp = new List<Notification>();
        var emails = new List<(Notification Notification, Recipient To)>();
        foreach (var notification in due)
        {
            var recipient = facts.Recipients.GetValueOrDefault(notification.RecipientUserId);
            var skip = recipient is null || recipient.IsDisabled ? NotificationSkipReason.RecipientUnavailable : facts.WhyNot(notification, recipient);
            var address = recipient is null ? null : RecipientDirectory.AddressOf(recipient.Email, recipient.UserName);
            if (skip is null && notification.Channel == NotificationChannel.Email && address is null)
            {
                skip = NotificationSkipReason.NoEmailAddress;
            }

            if (skip is { } reason)
            {
                notification.Skip(reason, now);
            }
            else if (notification.Channel == NotificationChannel.InApp)
            {
                notification.Deliver(now);
                inApp.Add(notification);
            }
            // Claimed first only where a second hand-over would send a second e-mail (SMTP): a second copy of a file
            // in the pickup folder is no copy at all, so there the claim would be one more write for nothing; the message
            // is only marked as this node's, when another node queued it, so that it goes again at once if this one dies.
            else if (emailTransport.IgnoresRepeats
                || notification.TryClaim(now, now + options.Value.ClaimLease, nodes.Self, holder => claimHolders?.Contains(holder) == false))
            {
                if (emailTransport.IgnoresRepeats && notification.WorkerNode != nodes.Self)
                {
                    notification.HandTo(nodes.Self);
                }

                emails.Add((notification, new Recipient(recipient!.Id, recipient.DisplayName, address, recipient.PreferredLanguage, recipient.TimeZoneId)));
            }
        }

        if (!await TryWriteAsync(db, due, cancellationToken))
        {
            return ids.Length == 1 ? [] : null;
        }

        foreach (var notification in inApp)
        {
            await liveEvents.PublishAsync(
                new LiveEvent(LiveEventKind.NotificationCreated, notification.CountryCode ?? "", notification.CaseId, notification.Id, notification.RecipientUserId),
                cancellationToken);
        }

        return await SendAsync(db, emails, cancellationToken);
    }

    /// <summary>
    /// Sends the e-mails. The pickup folder ignores a second copy of a delivery key, so its deliveries are recorded
    /// together at the end; an SMTP server would send a second copy, so each is recorded as soon as it is sent.
    /// </summary>
    private async Task<List<Exception>> SendAsync(PortalDbContext db, List<(Notification Notification, Recipient To)> emails, CancellationToken cancellationToken)
    {
        var failures = new List<Exception>();
        foreach (var (notification, to) in emails)
        {
            if (!emailTransport.IgnoresRepeats && !await nodes.EnsureCurrentAsync(cancellationToken))
            {
                // Cut off from the database for a while: another node may take this claim over; sending now could double it.
                failures.Add(new InvalidOperationException($"E-mail {notification.DeliveryKey} not sent: this node's heartbeat is stale, so another node may be taking it over."));
                continue;
            }

            using var message = await messages.ComposeEmailAsync(db, notification, to, cancellationToken);
            try
            {
                await emailTransport.SendAsync(message, notification.DeliveryKey, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "E-mail {DeliveryKey} could not be sent; it will be tried again.", notification.DeliveryKey);
                notification.ReleaseClaim();
                failures.Add(ex);
                continue;
            }

            notification.Deliver(clock.GetUtcDateTime(), message.MessageId);
            if (!emailTransport.IgnoresRepeats)
            {
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }

        if (emails.Count > 0 && !await TryWriteAsync(db, emails.Select(e => e.Notification), CancellationToken.None))
        {
            // Another worker recorded one of these files first (both wrote the same one): record the others one by one.
            foreach (var (notification, _) in emails.Where(e => e.Notification.Status == NotificationStatus.Delivered))
            {
                await RecordDeliveredAsync(notification.Id, notification.MessageId);
            }
        }

        return failures;
    }

    private async Task RecordDeliveredAsync(Guid notificationId, string? messageId)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        db.ActorId = Actor;
        var notification = await db.Notifications.FirstOrDefaultAsync(n => n.Id == notificationId, CancellationToken.None);
        if (notification?.Status == NotificationStatus.Pending)
        {
            notification.Deliver(clock.GetUtcDateTime(), messageId);
            await TryWriteAsync(db, [notification], CancellationToken.None);
        }
    }

    /// <summary>
    /// Writes what happened to these notifications in one transaction, with one prepared statement per kind of change
    /// (<see cref="BulkWrite.UpdateAsync"/>; SaveChanges builds a command per row). False, and nothing written, when
    /// another worker changed one of them first: it delivered, skipped or claimed it.
    /// </summary>
    private static async Task<bool> TryWriteAsync(PortalDbContext db, IEnumerable<Notification> notifications, CancellationToken cancellationToken)
    {
        var changed = notifications.ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.UpdateAsync(changed, cancellationToken))
        {
            return false; // rolled back when disposed
        }

        await transaction.CommitAsync(cancellationToken);
        db.Accept(changed);
        return true;
    }

    private sealed record RecipientFacts(string Id, string DisplayName, string? Email, string? UserName, string PreferredLanguage, string TimeZoneId, bool IsDisabled, List<string> Countries);

    private sealed record CaseState(CaseStatus Status, string CountryCode, string? AssignedAdvocateId);

    /// <summary>What a batch's checks need, each kind read once for the whole batch.</summary>
    private sealed class Facts
    {
        public Dictionary<string, RecipientFacts> Recipients { get; private init; } = [];

        private Dictionary<string, List<string>> Roles { get; init; } = [];

        private Dictionary<Guid, CaseState> Cases { get; init; } = [];

        /// <summary>The acceptance deadline of each referral still waiting to be accepted.</summary>
        private Dictionary<Guid, DateTime?> SentReferrals { get; init; } = [];

        private Dictionary<Guid, FollowUp> FollowUps { get; init; } = [];

        /// <summary>Cases of the batch with something from the person still unread.</summary>
        private HashSet<Guid> UnreadCases { get; init; } = [];

        /// <summary>Cases of the batch's unclaimed-intake reminders that are still new intakes (<see cref="CaseRules.NewIntake"/>).</summary>
        private HashSet<Guid> NewIntakes { get; init; } = [];

        public static async Task<Facts> LoadAsync(PortalDbContext db, List<Notification> notifications, CancellationToken cancellationToken)
        {
            var userIds = notifications.Select(n => n.RecipientUserId).Distinct().ToList();
            var caseIds = notifications.Select(n => n.CaseId).OfType<Guid>().Distinct().ToList();
            var referralIds = notifications.Where(n => n.Kind is NotificationKind.ReferralNotAccepted or NotificationKind.ReferralNotAcceptedEscalation)
                .Select(n => n.SubjectId).OfType<Guid>().Distinct().ToList();
            var followUpIds = notifications.Where(n => n.Kind is NotificationKind.FollowUpDue or NotificationKind.FollowUpOverdue)
                .Select(n => n.SubjectId).OfType<Guid>().Distinct().ToList();

            var recipients = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
                .Select(u => new RecipientFacts(u.Id, u.DisplayName, u.Email, u.UserName, u.PreferredLanguage, u.TimeZoneId, u.IsDisabled, u.Countries))
                .ToListAsync(cancellationToken);
            var roles = await db.UserRoles.Where(ur => userIds.Contains(ur.UserId))
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(cancellationToken);
            var cases = caseIds.Count == 0 ? [] : await db.Cases.AsNoTracking().Where(c => caseIds.Contains(c.Id))
                .Select(c => new { c.Id, State = new CaseState(c.Status, c.CountryCode, c.AssignedAdvocateId) })
                .ToListAsync(cancellationToken);
            // By id alone (the primary key), the status judged here: see the notifications' query.
            var referrals = referralIds.Count == 0 ? [] : await db.Referrals.AsNoTracking()
                .Where(r => referralIds.Contains(r.Id))
                .Select(r => new { r.Id, r.Status, r.AcceptanceDueAtUtc })
                .ToListAsync(cancellationToken);
            var followUps = followUpIds.Count == 0 ? [] : await db.FollowUps.AsNoTracking().Where(f => followUpIds.Contains(f.Id)).ToListAsync(cancellationToken);
            var personCaseIds = notifications.Where(n => n.Kind is NotificationKind.PersonWrote or NotificationKind.PersonWroteUnread)
                .Select(n => n.CaseId).OfType<Guid>().Distinct().ToList();
            var unread = personCaseIds.Count == 0 ? [] : await db.IntakeSubmissions.AsNoTracking()
                .Where(s => s.CaseId != null && personCaseIds.Contains(s.CaseId.Value) && s.UnreadSinceUtc != null)
                .Select(s => s.CaseId!.Value).ToListAsync(cancellationToken);

            var intakeCaseIds = notifications.Where(n => n.Kind == NotificationKind.IntakeUnclaimed).Select(n => n.CaseId).OfType<Guid>().Distinct().ToList();
            var newIntakes = intakeCaseIds.Count == 0 ? [] : await db.Cases.AsNoTracking()
                .Where(c => intakeCaseIds.Contains(c.Id)).Where(CaseRules.NewIntake.Expression)
                .Select(c => c.Id).ToListAsync(cancellationToken);

            return new Facts
            {
                Recipients = recipients.ToDictionary(r => r.Id, StringComparer.Ordinal),
                Roles = roles.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.Name).OfType<string>().ToList(), StringComparer.Ordinal),
                Cases = cases.ToDictionary(c => c.Id, c => c.State),
                SentReferrals = referrals.Where(r => r.Status == ReferralStatus.Sent).ToDictionary(r => r.Id, r => r.AcceptanceDueAtUtc),
                FollowUps = followUps.ToDictionary(f => f.Id),
                UnreadCases = [.. unread],
                NewIntakes = [.. newIntakes],
            };
        }

        /// <summary>Why the notification no longer makes sense for this (active) recipient, or null when it still does.</summary>
        public NotificationSkipReason? WhyNot(Notification notification, RecipientFacts recipient)
        {
            if (notification.CaseId is not { } caseId)
            {
                return null; // a digest: nothing to re-check
            }

            if (!Cases.TryGetValue(caseId, out var facts))
            {
                return NotificationSkipReason.NoLongerDue;
            }

            if (facts.Status == CaseStatus.Closed)
            {
                return NotificationSkipReason.CaseClosed;
            }

            var scope = new UserScope(recipient.Id, "", "", Roles.GetValueOrDefault(recipient.Id) ?? [], recipient.Countries);
            if (!scope.CanSee(facts.CountryCode))
            {
                return NotificationSkipReason.RecipientUnavailable;
            }

            var stillDue = notification.Kind switch
            {
                // Done, cancelled, snoozed or moved since: the new deadline gets its own reminder.
                NotificationKind.FollowUpDue or NotificationKind.FollowUpOverdue => notification.SubjectId is { } followUpId
                    && FollowUps.GetValueOrDefault(followUpId) is { IsOpen: true } followUp && followUp.EffectiveDueAtUtc == notification.DueAtUtc,
                NotificationKind.ReferralNotAccepted or NotificationKind.ReferralNotAcceptedEscalation => notification.SubjectId is { } referralId
                    && SentReferrals.TryGetValue(referralId, out var deadline) && deadline == notification.DueAtUtc,
                NotificationKind.IntakeUnclaimed => NewIntakes.Contains(caseId),

                // Read in the meantime, or the case went to someone else: nothing left to tell this advocate.
                NotificationKind.PersonWrote => UnreadCases.Contains(caseId) && facts.AssignedAdvocateId == notification.RecipientUserId,
                NotificationKind.PersonWroteUnread => UnreadCases.Contains(caseId) && (notification.IsEscalation || facts.AssignedAdvocateId == notification.RecipientUserId),
                _ => true,
            };
            return stillDue ? null : NotificationSkipReason.NoLongerDue;
        }
    }
}
