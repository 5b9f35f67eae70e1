namespace Portal.Features.Reminders;

/// <summary>One scan at a time on this node: the scan job waits for nobody, it skips its turn.</summary>
public sealed class ReminderScanGate : IDisposable
{
    public SemaphoreSlim Semaphore { get; } = new(1, 1);

    public void Dispose() => Semaphore.Dispose();
}
