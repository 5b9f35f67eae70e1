using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Update;
using Npgsql;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// Two people change the same case (or referral) at once and both append to its history: both new rows get the next
/// sequence number, and because EF may write the history row before it updates (and version-checks) the case row, the
/// second save can fail on the history table's key rather than on the case's concurrency token. Either way it is the
/// same conflict, so it is reported the same way: as a <see cref="DbUpdateConcurrencyException"/> naming the
/// version-checked entities, which is what feature services catch to say "someone else changed this; reload".
/// Nothing was written: SaveChanges runs in a transaction.
/// </summary>
internal static class ConcurrentEdits
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    public static bool CollidedOnHistory(DbContext context, DbUpdateException exception) =>
        exception is not DbUpdateConcurrencyException
        && IsKeyViolation(exception.InnerException)
        && exception.Entries.Any(e => e.State == EntityState.Added && e.Metadata.IsOwned())
        && VersionChecked(context).Any();

    /// <summary>
    /// With the version-checked entries, exactly as EF reports a token mismatch, so callers may reload them. EF's public
    /// constructor takes its update entries, which only its internal entry type provides (EF1001); that type has
    /// implemented <see cref="IUpdateEntry"/> since EF Core 3, and an upgrade that changes it fails the build, not silently.
    /// </summary>
    public static DbUpdateConcurrencyException AsConcurrencyException(DbContext context, DbUpdateException exception)
    {
#pragma warning disable EF1001
        var entries = VersionChecked(context).Select(e => (IUpdateEntry)e.GetInfrastructure()).ToList();
#pragma warning restore EF1001
        return new DbUpdateConcurrencyException(
            "The record was changed by someone else since it was loaded: another change added to the same history. Reload it and try again.",
            exception.InnerException,
            entries);
    }

    /// <summary>Modified entities whose concurrency token EF checks on update (a versioned record's Version).</summary>
    private static IEnumerable<EntityEntry> VersionChecked(DbContext context) =>
        context.ChangeTracker.Entries()
            .Where(e => e.State == EntityState.Modified && e.Properties.Any(p => p.Metadata.IsConcurrencyToken));

    /// <summary>A row added where a unique key already held another: someone else added the same thing first.</summary>
    public static bool AddedADuplicate(DbUpdateException exception) =>
        exception is not DbUpdateConcurrencyException && IsKeyViolation(exception.InnerException);

    // SQLite: a primary-key or unique constraint; PostgreSQL: SQLSTATE 23505 (unique_violation), which covers both.
    private static bool IsKeyViolation(Exception? inner) => inner switch
    {
        SqliteException { SqliteErrorCode: SqliteConstraint } sqlite => sqlite.SqliteExtendedErrorCode is SqliteConstraintPrimaryKey or SqliteConstraintUnique,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
