using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Infrastructure.Audit;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Retention;

/// <summary>The identity record and the messages to the person go; the submission keeps its reference code and dates, not what the person wrote.</summary>
internal sealed class IdentityAndAccountEraser : ICaseEraser
{
    public async Task EraseAsync(PortalDbContext db, Case erased, CancellationToken cancellationToken)
    {
        await db.IdentityRecords.Where(i => i.CaseId == erased.Id).ExecuteDeleteAsync(cancellationToken);
        await db.PersonMessages.Where(m => m.CaseId == erased.Id).ExecuteDeleteAsync(cancellationToken);
        foreach (var submission in await db.IntakeSubmissions.Where(s => s.CaseId == erased.Id).ToListAsync(cancellationToken))
        {
            submission.EraseAccount();
        }
    }
}

/// <summary>
/// The recurring erasure: closed cases whose country's retention period has passed since closure, not held, lose who
/// the person was (<see cref="ICaseEraser"/>s, then the case keys, so the ciphertext in every copy and backup becomes
/// unreadable) and are marked erased; their number, figures, history and audit trail stay. Each erasure commits with
/// its own audit entry, one case at a time.
/// </summary>
public sealed class RetentionJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    IEnumerable<ICaseEraser> erasers,
    CaseKeyRing keys,
    AuditAppender audit,
    ILiveEvents liveEvents,
    DatabaseSettings database,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<RetentionJob> logger)
{
    public const string Actor = "job:retention";
    private const int Batch = 100;

    /// <summary>Erases what is due; returns how many cases it erased.</summary>
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var erased = 0;
        foreach (var (code, years) in options.Value.YearsAfterClosure.Where(r => r.Value > 0))
        {
            var country = code.ToUpperInvariant();
            var closedBefore = clock.GetUtcDateTime().AddYears(-years);
            var tried = new HashSet<Guid>();
            while (true)
            {
                List<Guid> due;
                await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
                {
                    due = await db.Cases.AsNoTracking()
                        .Where(c => c.CountryCode == country && c.Status == CaseStatus.Closed && c.ClosedAtUtc <= closedBefore
                            && c.ErasedAtUtc == null && c.ErasureHoldReason == null)
                        .OrderBy(c => c.ClosedAtUtc)
                        .Select(c => c.Id)
                        .Take(Batch)
                        .ToListAsync(cancellationToken);
                }

                due.RemoveAll(id => !tried.Add(id));
                if (due.Count == 0)
                {
                    break;
                }

                foreach (var caseId in due)
                {
                    if (await EraseAsync(caseId, country, years, closedBefore, cancellationToken))
                    {
                        erased++;
                    }
                }
            }
        }

        if (erased > 0)
        {
            logger.LogInformation("Retention erased who the person was in {Count} closed case(s).", erased);
            await TruncateJournalAsync(cancellationToken);
        }

        return erased;
    }

    private async Task<bool> EraseAsync(Guid caseId, string country, int years, DateTime closedBefore, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                db.ActorId = Actor;
                await db.Database.OpenConnectionAsync(cancellationToken);
                await using var zeroed = await SecureDeleteAsync(db, cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

                // Judged again inside the transaction: reopened, held or erased since the list was read, it is left alone.
                var survivorCase = await db.Cases.FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
                if (survivorCase is not { IsClosed: true, IsErased: false, IsHeldFromErasure: false, ClosedAtUtc: { } closedAt } || closedAt > closedBefore)
                {
                    return false;
                }

                survivorCase.MarkErased(clock);
                foreach (var eraser in erasers)
                {
                    await eraser.EraseAsync(db, survivorCase, cancellationToken);
                }

                await db.SaveChangesAsync(cancellationToken);
                var destroyed = await keys.DestroyAsync(db, caseId, survivorCase.ErasedAtUtc!.Value, cancellationToken);
                await audit.AppendWithinAsync(
                    db,
                    AuditActor.System("retention-job"),
                    AuditAction.ErasedByRetention,
                    Portal.Features.Cases.CaseService.RecordType,
                    caseId.ToString(),
                    string.Create(CultureInfo.InvariantCulture, $"closed {closedAt:yyyy-MM-dd}; rule {country}: {years} year(s) after closure; {destroyed} case key(s) destroyed"),
                    cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                await liveEvents.PublishAsync(new LiveEvent(LiveEventKind.CaseChanged, survivorCase.CountryCode, caseId), cancellationToken);
                return true;
            }
            catch (DbUpdateException ex) when (attempt < 3 && !DatabaseBusy.Is(ex))
            {
                // PostgreSQL: someone changed the case, or appended to the audit chain, in between. Judge it again.
                logger.LogDebug(ex, "Erasure of case {CaseId} collided with another writer; trying again.", caseId);
            }
        }
    }

    /// <summary>
    /// SQLite: what this connection deletes or overwrites (the wrapped key above all) is zeroed in the file, not left in
    /// free pages; until disposed, when the pooled connection gets its usual setting back.
    /// </summary>
    private async Task<IAsyncDisposable> SecureDeleteAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        if (database.IsPostgres)
        {
            return new Restore(null, null);
        }

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA secure_delete;";
        var before = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        await db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete = ON;", cancellationToken);
        return new Restore(db, before == 0 ? "PRAGMA secure_delete = OFF;" : null);
    }

    private sealed class Restore(PortalDbContext? db, string? pragma) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (db is not null && pragma is not null)
            {
                await db.Database.ExecuteSqlRawAsync(pragma);
            }
        }
    }

    /// <summary>SQLite keeps old page images in its write-ahead log until a checkpoint; this one empties the log file.</summary>
    private async Task TruncateJournalAsync(CancellationToken cancellationToken)
    {
        if (database.IsPostgres)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
    }
}

/// <summary>Registers (or removes) the recurring erasure when the app starts, and runs it once at start.</summary>
internal sealed class RetentionSchedule(IRecurringJobManager recurringJobs, IBackgroundJobClient jobs, IOptions<RetentionOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.IsOn)
        {
            recurringJobs.AddOrUpdate<RetentionJob>(
                RetentionOptions.JobId,
                job => job.RunAsync(CancellationToken.None),
                options.Value.Cron,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

            // At once too: a portal restored from an old backup erases again, before long, what had already been erased.
            jobs.Enqueue<RetentionJob>(job => job.RunAsync(CancellationToken.None));
        }
        else
        {
            recurringJobs.RemoveIfExists(RetentionOptions.JobId);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
