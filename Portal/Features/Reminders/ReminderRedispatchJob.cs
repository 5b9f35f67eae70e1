using Hangfire;

namespace Portal.Features.Reminders;

/// <summary>
/// Queues again what a dead node left in flight, every few seconds on every node (<see cref="ReminderOptions.RedispatchCron"/>):
/// the scan runs once a minute, and an urgent reminder should not wait for it.
/// </summary>
public sealed class ReminderRedispatchJob(NotificationOutbox outbox)
{
    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(CancellationToken cancellationToken) => outbox.DispatchAsync(cancellationToken);
}
