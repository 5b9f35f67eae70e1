using Microsoft.EntityFrameworkCore;
using Portal.Domain.Countries;

namespace Portal.Infrastructure.Data.Seeding;

/// <summary>
/// Data every installation needs, in every environment: the default countries.
/// <para>
/// Inserted at start-up rather than by migration HasData because countries are administrator-managed, audited
/// records. HasData would make the migrations own the rows: a later change to <see cref="Countries.Defaults"/> would
/// emit UPDATEs that overwrite an administrator's edits (or DELETEs), the rows would carry no creator stamp, and the
/// regenerated "Initial" migration would bake in the build machine's time-zone database. Here the defaults are written
/// once, through the model (so stamps and conversions apply), when the table is empty, and never touched again; the
/// check is a single indexed query, so a normal start does not notice it.
/// </para>
/// </summary>
public static class ReferenceData
{
    public const string Actor = "system:reference-data";

    public static async Task SeedCountriesAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        if (await db.Countries.AnyAsync(cancellationToken))
        {
            return;
        }

        db.ActorId ??= Actor;
        db.Countries.AddRange(Countries.Defaults);
        await db.SaveChangesAsync(cancellationToken);
    }
}
