using Microsoft.EntityFrameworkCore;
using Portal.Domain.Common;
using Portal.Domain.Queues;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Features.Queues;

/// <summary>Saved queues belong to one user; nobody else lists, uses or deletes them.</summary>
public sealed class SavedQueueService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxPerUser = 30;

    public async Task<IReadOnlyList<SavedQueue>> ListAsync(UserScope scope, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<SavedQueue>().AsNoTracking().Where(q => q.OwnerUserId == scope.UserId).OrderBy(q => q.Name).ToListAsync(cancellationToken);
    }

    public async Task<SavedQueue?> FindAsync(UserScope scope, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<SavedQueue>().AsNoTracking().FirstOrDefaultAsync(q => q.Id == id && q.OwnerUserId == scope.UserId, cancellationToken);
    }

    /// <summary>Saves the filter under a name, replacing the user's queue of the same name.</summary>
    public async Task<(SavedQueue? Queue, string? Error)> SaveAsync(UserScope scope, string name, QueueFilter filter, CancellationToken cancellationToken = default)
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

        var queue = SavedQueue.Create(scope.UserId, trimmed, SavedQueueFilters.ToJson(filter), clock.GetUtcDateTime());
        db.Add(queue);
        await db.SaveChangesAsync(cancellationToken);
        return (queue, null);
    }

    public async Task<bool> DeleteAsync(UserScope scope, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<SavedQueue>().Where(q => q.Id == id && q.OwnerUserId == scope.UserId).ExecuteDeleteAsync(cancellationToken) > 0;
    }
}
