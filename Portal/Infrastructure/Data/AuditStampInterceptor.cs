using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Domain.Audit;
using Portal.Domain.Common;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Stamps who created and last changed each audited entity, from the context's actor and the clock; and refuses to
/// save a change to or removal of an <see cref="AuditEntry"/>, because the audit log is append-only.
/// </summary>
public sealed class AuditStampInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Stamp(DbContext? context)
    {
        if (context is not PortalDbContext db)
        {
            return;
        }

        RefuseAuditLogRewrites(db);
        var now = clock.GetUtcDateTime();
        foreach (var entry in db.ChangeTracker.Entries<IAuditedEntity>())
        {
            if (entry.State == EntityState.Added)
            {
                entry.Entity.StampCreated(db.ActorId, now);
            }
            else if (entry.State == EntityState.Modified || HasChangedOwnedParts(entry))
            {
                entry.Entity.StampChanged(db.ActorId, now);
            }
        }
    }

    // Checked before anything is written, so a rejected unit of work leaves the database untouched. The hash chain
    // would reveal a rewrite afterwards; this stops one made through the portal's own context from happening at all.
    private static void RefuseAuditLogRewrites(PortalDbContext db)
    {
        var rewrite = db.ChangeTracker.Entries<AuditEntry>().FirstOrDefault(e => e.State is EntityState.Modified or EntityState.Deleted);
        if (rewrite is not null)
        {
            throw new InvalidOperationException(
                $"Audit entry {rewrite.Entity.Id} cannot be {(rewrite.State == EntityState.Deleted ? "deleted" : "changed")}: the audit log is append-only.");
        }
    }

    // A change to an owned part (profile, allegation, consent) is a change to its owner.
    private static bool HasChangedOwnedParts(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry) =>
        entry.References.Any(r => r.TargetEntry is { State: EntityState.Added or EntityState.Modified or EntityState.Deleted } target && target.Metadata.IsOwned());
}
