using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Operations.Backup;

/// <summary>
/// Before a start applies migrations to a database that already holds data, the embedded mode copies what it is about to
/// change into <c>backups/before-&lt;migration&gt;-&lt;time&gt;/</c> in the data folder (a plain backup, restorable with
/// <c>restore --from</c>). If the copy fails, nothing is migrated. PostgreSQL is not copied here: an upgrade there starts
/// with pg_dump (docs/operations.md), and the start says so in its log.
/// </summary>
public static class PreMigrationBackup
{
    public const string Folder = "backups";

    /// <summary>The folder written, or null when there was nothing to keep (a new database, or nothing pending).</summary>
    public static async Task<string?> TakeIfNeededAsync(IServiceProvider services, PortalDbContext db, ILogger logger, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0 || !(await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Any())
        {
            return null;
        }

        if (db.Database.IsNpgsql())
        {
            logger.LogWarning(
                "Applying {Count} migration(s) ({Migrations}) to the PostgreSQL database without a copy: take one with pg_dump before upgrading (docs/operations.md).",
                pending.Count, string.Join(", ", pending));
            return null;
        }

        var sources = BackupSources.From(services);
        var clock = services.GetRequiredService<TimeProvider>();
        var target = Path.Combine(sources.DataDirectory, Folder, $"before-{pending[^1]}-{clock.GetUtcNow():yyyyMMdd-HHmmss}");
        await new BackupWriter(clock).WriteAsync(sources, target, BackupProtection.None, cancellationToken);
        logger.LogWarning("Copied the database to {Folder} before applying {Count} migration(s): {Migrations}.", target, pending.Count, string.Join(", ", pending));
        return target;
    }
}
