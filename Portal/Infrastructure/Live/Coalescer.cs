namespace Portal.Infrastructure.Live;

/// <summary>
/// Turns a burst of triggers into few runs without delaying an isolated one: the first trigger runs the action at
/// once (leading edge); triggers that arrive while it runs, or within <c>window</c> after it ends, are merged into
/// exactly one more run at the end of that window (trailing edge), and so on. A lone change therefore reaches the page
/// as fast as the action allows, a burst costs at most one run per (run time + window), and the last change is never
/// missed.
/// </summary>
public sealed class Coalescer(TimeSpan window, Func<Task> action, TimeProvider? clock = null) : IDisposable
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The context of the page that made it: its runs never take on the context of whoever triggers them.</summary>
    private readonly SubscriberContext _owner = SubscriberContext.Capture();
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();
    private bool _busy;
    private bool _pending;
    private bool _isDisposed;
    private Task _running = Task.CompletedTask;

    /// <summary>The current run loop, complete once the coalescer is idle: lets tests wait for it to settle.</summary>
    internal Task Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    public void Trigger()
    {
        lock (_gate)
        {
            if (_isDisposed)
            {
                return;
            }

            if (_busy)
            {
                _pending = true;
                return;
            }

            _busy = true;

            // Off the caller's thread: a live event's publisher or a navigation handler never runs a page's refresh inline.
            _running = _owner.StartAsync(RunAsync);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_isDisposed)
            {
                return;
            }

            _isDisposed = true;
        }

        _disposed.Cancel();
        _disposed.Dispose();
    }

    private async Task RunAsync()
    {
        var idle = false;
        try
        {
            while (true)
            {
                await action();
                await Task.Delay(window, _clock, _disposed.Token);
                lock (_gate)
                {
                    if (!_pending || _isDisposed)
                    {
                        _busy = false;
                        idle = true;
                        return;
                    }

                    _pending = false;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed while a run or its window was under way.
        }
        catch (ObjectDisposedException)
        {
            // Same: disposed while waiting.
        }
        finally
        {
            if (!idle)
            {
                // A failed or cancelled run must not leave the coalescer busy for ever: the next trigger runs again.
                lock (_gate)
                {
                    _busy = false;
                    _pending = false;
                }
            }
        }
    }
}
