using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Features.Health;

public static class HealthExtensions
{
    /// <summary>
    /// /health: the database answers and takes writes, the job storage takes writes, the key ring reads what the
    /// database holds. The write checks report the latest probe (a one-row write every few seconds), never a write
    /// per call.
    /// </summary>
    public static IServiceCollection AddPortalHealth(this IServiceCollection services)
    {
        services.AddSingleton<JobStorageWriteProbe>();
        services.AddHostedService(sp => sp.GetRequiredService<JobStorageWriteProbe>());
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<DatabaseWritesHealthCheck>("database-writes")
            .AddCheck<JobStorageWritesHealthCheck>("jobs-writes")
            .AddCheck<KeyRingHealthCheck>("keys");
        return services;
    }
}

/// <summary>Healthy when the database answers and has no pending migration.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<PortalDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("The database cannot be reached.");
            }

            var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
            return pending.Any()
                ? HealthCheckResult.Degraded("The database has pending migrations.")
                : HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
    }
}

/// <summary>What the latest write probe found: unhealthy while writes fail, or when no probe has finished for a while.</summary>
public abstract class WriteProbeHealthCheck(IOptions<NodeOptions> options, TimeProvider clock) : IHealthCheck
{
    protected abstract string What { get; }

    protected abstract WriteProbeResult? Latest { get; }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var latest = Latest;
        var stale = options.Value.HeartbeatInterval * 3 + options.Value.WriteTimeout;
        var result = latest switch
        {
            null => HealthCheckResult.Degraded($"{What}: not probed yet."),
            { Succeeded: false } => HealthCheckResult.Unhealthy($"{What} cannot be written: {latest.Problem} (probe at {latest.At:u})."),
            _ when clock.GetUtcNow() - latest.At > stale =>
                HealthCheckResult.Unhealthy($"{What}: no write probe has finished since {latest.At:u}; writes are stuck."),
            _ => HealthCheckResult.Healthy($"{What} takes writes (probe at {latest.At:u})."),
        };
        return Task.FromResult(result);
    }
}

public sealed class DatabaseWritesHealthCheck(NodeHeartbeat heartbeat, IOptions<NodeOptions> options, TimeProvider clock) : WriteProbeHealthCheck(options, clock)
{
    protected override string What => "The database";

    protected override WriteProbeResult? Latest => heartbeat.Latest;
}

public sealed class JobStorageWritesHealthCheck(JobStorageWriteProbe probe, IOptions<NodeOptions> options, TimeProvider clock) : WriteProbeHealthCheck(options, clock)
{
    protected override string What => "The job storage";

    protected override WriteProbeResult? Latest => probe.Latest;
}

/// <summary>
/// Unhealthy when the Data Protection key ring cannot read a sample stored with any key the portal has used; degraded
/// when a key file the running portal read at start is lost or damaged (it holds the keys in memory, but would not start
/// again).
/// </summary>
public sealed class KeyRingHealthCheck(KeyRingCheck keyRing) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = await keyRing.CheckAsync(cancellationToken);
        if (!state.CanRead)
        {
            return HealthCheckResult.Unhealthy(
                $"The key ring cannot read data stored with key(s) {string.Join(", ", state.UnreadableKeys.Select(k => k.KeyId))}: identities are unreadable. Restore the key ring from the backup taken with the database.");
        }

        var problems = state.MissingKeyFiles.Select(id => $"the file of key {id} is missing").Concat(state.DamagedKeyFiles).ToList();
        return problems.Count > 0
            ? HealthCheckResult.Degraded(
                $"The key ring folder has lost or damaged files ({string.Join("; ", problems)}): the running portal still holds its keys, but it would not start again. Restore them from a backup now.")
            : HealthCheckResult.Healthy("The key ring reads every key's sample.");
    }
}
