using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Portal.Domain.Common;

namespace Portal.Infrastructure.Data;

/// <summary>The <c>Portal:Nodes</c> section: how often each portal process proves it is alive and can write.</summary>
public sealed class NodeOptions
{
    public const string Section = "Portal:Nodes";

    /// <summary>How often the node writes its heartbeat (a one-row write that doubles as the write probe of /health).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the heartbeat write may wait for a busy database before it counts as "cannot write".</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A node silent this long is gone: its in-flight deliveries are queued again (scaled-out mode).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>This process among the portal's nodes: a name of its own, new at every start.</summary>
public sealed class PortalNode
{
    public string Id { get; } = Bounded(string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"));

    // The random part, at the end, is what matters: a restarted container may well get the same host name and process id.
    private static string Bounded(string id) => id.Length <= 200 ? id : id[^200..];
}

/// <summary>The last moment each node wrote its heartbeat.</summary>
public sealed class NodeHeartbeatRow
{
    public string Node { get; set; } = string.Empty;

    public DateTime AtUtc { get; set; }
}

internal sealed class NodeHeartbeatConfiguration : IEntityTypeConfiguration<NodeHeartbeatRow>
{
    public void Configure(EntityTypeBuilder<NodeHeartbeatRow> builder)
    {
        builder.ToTable("NodeHeartbeats");
        builder.HasKey(h => h.Node);
        builder.Property(h => h.Node).HasMaxLength(200);
    }
}

/// <summary>The outcome of the latest write probe: <see cref="Succeeded"/> or why not, and when.</summary>
public sealed record WriteProbeResult(bool Succeeded, DateTimeOffset At, string? Problem);

/// <summary>
/// Every <see cref="NodeOptions.HeartbeatInterval"/> the node writes one row with a short busy timeout: the cheapest
/// real write there is. Its outcome is what /health reports as write-ability (cached, so a health call costs no write),
/// and the row is what other nodes read to know this one is alive.
/// </summary>
public sealed class NodeHeartbeat(
    IDbContextFactory<PortalDbContext> dbFactory,
    PortalNode node,
    DatabaseSettings database,
    IOptions<NodeOptions> options,
    TimeProvider clock,
    ILogger<NodeHeartbeat> logger) : BackgroundService
{
    private static readonly TimeSpan KeepRowsFor = TimeSpan.FromDays(1);
    private readonly SemaphoreSlim _beating = new(1, 1);
    private DateTimeOffset _pruned = DateTimeOffset.MinValue;

    public WriteProbeResult? Latest { get; private set; }

    /// <summary>When this node last wrote its heartbeat; other nodes see it alive until that is <see cref="NodeOptions.Timeout"/> old.</summary>
    public DateTimeOffset? LastBeatAt { get; private set; }

    /// <summary>Writes the heartbeat now and records the outcome; one at a time.</summary>
    public async Task<WriteProbeResult> BeatAsync(CancellationToken cancellationToken = default)
    {
        await _beating.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.Value.WriteTimeout * 3); // the busy timeout bounds the wait; this, the connection
                await WriteAsync(now, timeout.Token);
                LastBeatAt = now;
                Latest = new WriteProbeResult(true, now, null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // /health answers anyone: it says what kind of failure, the log says the rest.
                var problem = DatabaseBusy.Is(ex) || ex is OperationCanceledException
                    ? $"the database stayed busy (locked by another writer) for {options.Value.WriteTimeout.TotalSeconds:0.#} s"
                    : "the write failed (the portal's log says why)";
                Latest = new WriteProbeResult(false, now, problem);
                logger.LogWarning(ex, "The portal cannot write to its database: {Problem}", problem);
            }

            return Latest;
        }
        finally
        {
            _beating.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, clock);
        do
        {
            await BeatAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task WriteAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var atUtc = now.UtcDateTime;
        var wait = options.Value.WriteTimeout;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        if (database.IsPostgres)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var milliseconds = ((long)wait.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            var timeouts = $"SET LOCAL lock_timeout = {milliseconds}; SET LOCAL statement_timeout = {milliseconds};";
            await db.Database.ExecuteSqlRawAsync(timeouts, cancellationToken);
            await UpsertAsync(db, atUtc, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            // One statement, so it takes the write lock itself and waits no longer than this connection's short busy
            // timeout (the driver retries until the command timeout). The pooled connection's pragmas are set again
            // by the next context to open it.
            db.Database.SetCommandTimeout((int)Math.Max(1, Math.Ceiling(wait.TotalSeconds)));
            var busyTimeout = $"PRAGMA busy_timeout = {(long)wait.TotalMilliseconds};";
            await db.Database.ExecuteSqlRawAsync(busyTimeout, cancellationToken);
            await UpsertAsync(db, atUtc, cancellationToken);
        }

        if (now - _pruned > TimeSpan.FromHours(1))
        {
            var before = atUtc - KeepRowsFor;
            await db.Set<NodeHeartbeatRow>().Where(h => h.AtUtc < before).ExecuteDeleteAsync(cancellationToken);
            _pruned = now;
        }
    }

    private Task<int> UpsertAsync(PortalDbContext db, DateTime atUtc, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "NodeHeartbeats" ("Node", "AtUtc") VALUES ({node.Id}, {atUtc}) ON CONFLICT ("Node") DO UPDATE SET "AtUtc" = excluded."AtUtc";""",
            cancellationToken);

    public override void Dispose()
    {
        _beating.Dispose();
        base.Dispose();
    }
}

/// <summary>
/// Which nodes may still be working. Embedded, the data folder is locked by one portal at a time, so any node but this
/// one is gone. Scaled out, a node is alive while its heartbeat is younger than <see cref="NodeOptions.Timeout"/>
/// (plus a margin the caller chooses, for work that may outlast a heartbeat, like an e-mail being sent).
/// </summary>
public sealed class NodeLiveness(PortalNode node, DatabaseSettings database, NodeHeartbeat heartbeat, IOptions<NodeOptions> options, TimeProvider clock)
{
    public string Self => node.Id;

    public async Task<HashSet<string>> AliveAsync(PortalDbContext db, TimeSpan margin, CancellationToken cancellationToken)
    {
        var alive = new HashSet<string>(StringComparer.Ordinal) { node.Id };
        if (database.IsPostgres)
        {
            var since = clock.GetUtcDateTime() - options.Value.Timeout - margin;
            alive.UnionWith(await db.Set<NodeHeartbeatRow>().AsNoTracking().Where(h => h.AtUtc >= since).Select(h => h.Node).ToListAsync(cancellationToken));
        }

        return alive;
    }

    /// <summary>
    /// Whether this node may start work that another node takes over once this one looks gone: embedded always; scaled
    /// out only with a fresh heartbeat (written now when the last is getting old), so that a node cut off from the
    /// database stops before the others take its work over.
    /// </summary>
    public async Task<bool> EnsureCurrentAsync(CancellationToken cancellationToken)
    {
        if (!database.IsPostgres || (heartbeat.LastBeatAt is { } beat && clock.GetUtcNow() - beat < options.Value.Timeout / 2))
        {
            return true;
        }

        return (await heartbeat.BeatAsync(cancellationToken)).Succeeded;
    }
}
