using Hangfire;
using Portal.Infrastructure.Data;

namespace Portal.Features.Reminders;

/// <summary>
/// The recurring scan as Hangfire runs it: one scan at a time per node, and, with nodes sharing PostgreSQL, one at a
/// time across all of them (a scan that finds another running skips its turn; overlapping would be harmless, only wasted).
/// </summary>
public sealed class ReminderScanJob(ReminderScanner scanner, ReminderScanGate gate, DatabaseLocks locks)
{
    public const string LockName = "reminders-scan";

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!await gate.Semaphore.WaitAsync(0, cancellationToken))
        {
            return; // the previous scan is still running; the next tick picks up where it ends
        }

        try
        {
            await using var shared = await locks.TryAcquireAsync(LockName, cancellationToken);
            if (shared is null)
            {
                return; // another node is scanning; the next tick picks up where it ends
            }

            await scanner.RunAsync(cancellationToken);
        }
        finally
        {
            gate.Semaphore.Release();
        }
    }
}
