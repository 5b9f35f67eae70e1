using Microsoft.EntityFrameworkCore;
using Portal.Domain.Common;
using Portal.Domain.Queues;
using Portal.Domain.Audit;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Features.Queues;

/// <summary>Saved queues belong to one user; nobody else lists, uses or deletes them, and an attempt is audited.</summary>
public sealed class SavedQueueService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IAuditLog audit)
{
    public const int MaxPerUser = 30;

    public const string RecordType = "SavedQueue";

    public async Task<IReadOnlyList<SavedQueue>> ListAsync(UserScope scope, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<SavedQueue>().AsNoTracking().Where(q => q.OwnerUserId == scope.UserId).OrderBy(q => q.Name).ToListAsync(cancellationToken);
    }

    public async Task<SavedQueue?> FindAsync(UserScope scope, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var queue = await db.Set<SavedQueue>().AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, cancellationToken);
        if (queue is not null && queue.OwnerUserId != scope.UserId)
        {
            await RefuseAsync(id, "use another user's saved queue", cancellationToken);
            return null;
        }

        return queue;
    }

    /// <summary>Saves the filter, and the order when the user chose one, under a name, replacing the user's queue of the same name.</summary>
    public async Task<(SavedQueue? Queue, string? Error)> SaveAsync(UserScope scope, string name, QueueFilter filter, QueueOrder? order = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > SavedQueue.NameMaxLength)
        {
            return (null, $"Give the queue a name of 1 to {SavedQueue.NameMaxLength} characters.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var trimmed = name.Trim();
        var existing = await db.Set<SavedQueue>().Where(q => q.OwnerUserId == scope.UserId).ToListAsync(cancellationToken);
        var same = existing.FirstOrDefault(q => string.Equals(q.Name, trimmed, StringComparison.Ordinal));
        if (same is null && existing.Count >= MaxPerUser)
        {
            return (null, $"You can keep up to {MaxPerUser} saved queues; delete one first.");
        }

        if (same is not null)
        {
            db.Remove(same);
        }

        var queue = SavedQueue.Create(scope.UserId, trimmed, SavedQueueFilters.ToJson(filter, order), clock.GetUtcDateTime());
        db.Add(queue);
        await db.SaveChangesAsync(cancellationToken);
        return (queue, null);
    }

    public async Task<bool> DeleteAsync(UserScope scope, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<SavedQueue>().Where(q => q.Id == id && q.OwnerUserId == scope.UserId).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            return true;
        }

        if (await db.Set<SavedQueue>().AnyAsync(q => q.Id == id, cancellationToken))
        {
            await RefuseAsync(id, "delete another user's saved queue", cancellationToken);
        }

        return false;
    }

    // Answered like a queue that does not exist, and recorded like every other refusal.
    private Task RefuseAsync(Guid id, string attempt, CancellationToken cancellationToken) =>
        audit.RecordAsync(AuditAction.AccessDenied, RecordType, id.ToString(), attempt, cancellationToken);
}
