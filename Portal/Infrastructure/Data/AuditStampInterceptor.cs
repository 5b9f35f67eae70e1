using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Domain.Common;

namespace Portal.Infrastructure.Data;

/// <summary>Stamps who created and last changed each audited entity, from the context's actor and the clock.</summary>
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

    // A change to an owned part (profile, allegation, consent) is a change to its owner.
    private static bool HasChangedOwnedParts(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry) =>
        entry.References.Any(r => r.TargetEntry is { State: EntityState.Added or EntityState.Modified or EntityState.Deleted } target && target.Metadata.IsOwned());
}
