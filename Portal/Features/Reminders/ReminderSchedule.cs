using Hangfire;
using Microsoft.Extensions.Options;

namespace Portal.Features.Reminders;

/// <summary>Registers (or removes) the recurring scan when the app starts.</summary>
internal sealed class ReminderSchedule(IRecurringJobManager recurringJobs, IBackgroundJobClient jobs, IOptions<ReminderOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ScanEnabled)
        {
            recurringJobs.AddOrUpdate<ReminderScanJob>(
                ReminderOptions.ScanJobId,
                job => job.RunAsync(CancellationToken.None),
                options.Value.ScanCron,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
            recurringJobs.AddOrUpdate<ReminderRedispatchJob>(
                ReminderOptions.RedispatchJobId,
                job => job.RunAsync(CancellationToken.None),
                options.Value.RedispatchCron,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

            // A node that starts (or restarts after a crash) scans at once: what fell due while it was down, and
            // deliveries whose jobs died with it, do not wait for the recurring schedule to come round.
            jobs.Enqueue<ReminderScanJob>(job => job.RunAsync(CancellationToken.None));
        }
        else
        {
            recurringJobs.RemoveIfExists(ReminderOptions.ScanJobId);
            recurringJobs.RemoveIfExists(ReminderOptions.RedispatchJobId);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
