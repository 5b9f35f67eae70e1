using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Infrastructure.Jobs;

/// <summary>Healthy when the job storage answers; reports how many job servers are alive (none means reminders wait).</summary>
public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var statistics = storage.GetMonitoringApi().GetStatistics();
            return Task.FromResult(statistics.Servers > 0
                ? HealthCheckResult.Healthy($"Job storage answers; {statistics.Servers} job server(s), {statistics.Enqueued} job(s) waiting.")
                : HealthCheckResult.Degraded("Job storage answers, but no job server is running: reminders wait."));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Job storage cannot be reached."));
        }
    }
}
