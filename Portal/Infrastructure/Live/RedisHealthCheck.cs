using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Infrastructure.Live;

/// <summary>
/// Healthy without Redis (embedded mode) or with Redis connected; degraded while it is away, because the node still
/// serves its own pages and only the other nodes' live updates are missing.
/// </summary>
public sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConfigured)
        {
            return HealthCheckResult.Healthy("Not used: live updates stay within this node.");
        }

        var multiplexer = await redis.GetAsync();
        return multiplexer.IsConnected
            ? HealthCheckResult.Healthy("Redis answers; live updates reach every node.")
            : HealthCheckResult.Degraded("Redis cannot be reached; live updates reach this node only.");
    }
}
