namespace Portal.Infrastructure.Live;

/// <summary>
/// Turns a burst of triggers into one run: the first trigger schedules the action after a short window, and
/// triggers until it starts join that run. A trigger during a run schedules exactly one more, so the last
/// change is never missed.
/// </summary>
public sealed class Coalescer(TimeSpan window, Func<Task> action, TimeProvider? clock = null) : IDisposable
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly CancellationTokenSource _disposed = new();
    private int _scheduled;

    public void Trigger()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            _ = RunAsync();
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await Task.Delay(window, _clock, _disposed.Token);
            Interlocked.Exchange(ref _scheduled, 0);
            await action();
        }
        catch (OperationCanceledException)
        {
            // The page closed before the window ended.
        }
        catch (ObjectDisposedException)
        {
            // Same: disposed while waiting.
        }
    }
}
