using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Audit;

/// <summary>
/// Appends to the hash chain one entry at a time. Within the process a semaphore orders appends; the last
/// hash is read inside an immediate (write-locking) transaction, and the unique id stops a second process
/// from forking the chain: it collides and tries again on top of the new last entry.
/// </summary>
public sealed class AuditAppender(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<AuditAppender> logger)
{
    private const int Attempts = 5;
    // Process-wide: every app instance in the process appends through the same gate.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>
    /// Appends inside the caller's own transaction (begun before the call: on SQLite it is then the only writer, so the
    /// chain cannot fork), so that the entry commits with the change it records, or neither does. The caller saves and
    /// commits; on PostgreSQL a concurrent append of the same position fails that save, and the caller tries again.
    /// Not through the in-process gate: an appender waiting there may be waiting for this very transaction.
    /// </summary>
    public async Task<AuditEntry> AppendWithinAsync(PortalDbContext db, AuditActor actor, AuditAction action, string? recordType, string? recordId, string? detail, CancellationToken cancellationToken = default)
    {
        var last = await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
        var entry = AuditEntry.Append(last, actor, action, recordType, recordId, detail, clock);
        db.Add(entry);
        return entry;
    }

    public async Task<AuditEntry> AppendAsync(AuditActor actor, AuditAction action, string? recordType, string? recordId, string? detail, CancellationToken cancellationToken = default)
    {
        // An audit entry must not be lost because the person closed the tab mid-request.
        cancellationToken = CancellationToken.None;
        await Gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                    await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                    var last = await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
                    var entry = AuditEntry.Append(last, actor, action, recordType, recordId, detail, clock);
                    db.Add(entry);
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return entry;
                }
                catch (DbUpdateException ex) when (attempt < Attempts)
                {
                    logger.LogWarning(ex, "Audit append collided with another writer; retrying ({Attempt}).", attempt);
                }
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
