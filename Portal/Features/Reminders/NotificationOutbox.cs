using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Domain.Common;
using Portal.Domain.Notifications;
using Portal.Infrastructure.Data;

namespace Portal.Features.Reminders;

/// <summary>
/// How the portal sends a notification: build it with <see cref="Notification.Plan"/>, hand it to <see cref="AddAsync"/>
/// (or, in a transaction of one's own, <see cref="InsertNewAsync"/>), and it is delivered exactly once, by a delivery job
/// (<see cref="DeliveryJob"/>, a batch of notification ids as argument), when its moment comes. Adding a delivery key that
/// exists already adds nothing.
/// </summary>
public sealed class NotificationOutbox(
    IDbContextFactory<PortalDbContext> dbFactory,
    IBackgroundJobClient jobs,
    NodeLiveness nodes,
    TimeProvider clock,
    IOptions<ReminderOptions> options)
{
    private const int KeyLookupChunk = 500;

    /// <summary>Stores the notifications whose keys are new, then queues those that are due now. Returns how many were new.</summary>
    public async Task<int> AddAsync(IReadOnlyCollection<Notification> notifications, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                int added;
                await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
                await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
                {
                    added = await InsertNewAsync(db, notifications, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }

                await DispatchAsync(cancellationToken);
                return added;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Someone stored one of the same keys in between (PostgreSQL): look again.
            }
        }
    }

    /// <summary>
    /// Stores the notifications whose delivery keys are not stored yet, in the context's current transaction (begin it
    /// before calling: on SQLite it is then the only writer, so the keys looked up here cannot be taken before the commit).
    /// Returns how many were new. A concurrent writer of the same key (possible on PostgreSQL) makes the insert fail
    /// with a <see cref="DbUpdateException"/>; the caller looks again.
    /// </summary>
    public static async Task<int> InsertNewAsync(PortalDbContext db, IReadOnlyCollection<Notification> notifications, CancellationToken cancellationToken)
    {
        var unique = notifications.DistinctBy(n => n.DeliveryKey).ToList();
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in unique.Select(n => n.DeliveryKey).Chunk(KeyLookupChunk))
        {
            existing.UnionWith(await db.Notifications.Where(n => chunk.Contains(n.DeliveryKey)).Select(n => n.DeliveryKey).ToListAsync(cancellationToken));
        }

        var fresh = unique.Where(n => !existing.Contains(n.DeliveryKey)).ToList();
        await db.InsertAsync(fresh, cancellationToken);
        return fresh.Count;
    }

    /// <summary>
    /// Queues delivery jobs (<see cref="ReminderOptions.DeliveriesPerJob"/> notifications each) for the pending
    /// notifications whose moment has come and that have no job queued, whose node (the one that queued or took them
    /// up) is gone, or whose job was queued so long ago that it must have been lost. A job that runs twice delivers once.
    /// </summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken = default)
    {
        var batch = Math.Max(1, options.Value.DispatchBatchSize);
        var total = 0;
        while (true)
        {
            var now = clock.GetUtcDateTime();
            var lost = now - options.Value.RedispatchAfter;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

            // A dead node's deliveries go again at once (urgent ones within a minute of its death, with the recurring
            // redispatch), not after RedispatchAfter: that delay is only for a job lost while its node lives on.
            var alive = await nodes.AliveAsync(db, TimeSpan.Zero, cancellationToken);

            // Read and marked in one write transaction: on SQLite it begins IMMEDIATE, so a concurrent dispatcher (a
            // second scan) waits and then finds these marked, instead of queuing the same deliveries a second time.
            // Queuing twice would still deliver once; it only costs the workers a second look.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var ids = await db.Notifications
                .Where(n => n.Status == NotificationStatus.Pending && n.DeliverAfterUtc <= now
                    && (n.DispatchedAtUtc == null || n.DispatchedAtUtc < lost || (n.WorkerNode != null && !alive.Contains(n.WorkerNode))))
                .OrderBy(n => n.DeliverAfterUtc)
                .Select(n => n.Id)
                .Take(batch)
                .ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return total;
            }

            // Marked before queuing: a crash in between leaves them marked but unqueued, and the next scan after
            // RedispatchAfter queues them again; the other order could queue them twice on every scan.
            await db.Notifications.Where(n => ids.Contains(n.Id))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(n => n.DispatchedAtUtc, now).SetProperty(n => n.DispatchCount, n => n.DispatchCount + 1).SetProperty(n => n.WorkerNode, nodes.Self),
                    cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            foreach (var chunk in ids.Chunk(Math.Max(1, options.Value.DeliveriesPerJob)))
            {
                jobs.Enqueue<DeliveryJob>(job => job.RunBatchAsync(chunk, CancellationToken.None));
            }

            total += ids.Count;
            if (ids.Count < batch)
            {
                return total;
            }
        }
    }
}
