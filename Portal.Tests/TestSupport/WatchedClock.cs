using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Portal.Tests.TestSupport;

/// <summary>
/// A fake clock that also tells the test when code starts waiting on it, and for how long: the positive signal that
/// the code under test has reached its wait, so the test can check the wait and then move the clock past it.
/// </summary>
public sealed class WatchedClock : FakeTimeProvider
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly Channel<TimeSpan> _waits = Channel.CreateUnbounded<TimeSpan>();

    public WatchedClock()
    {
    }

    public WatchedClock(DateTimeOffset start)
        : base(start)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _waits.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created on this clock (one made by <c>Task.Delay</c>, for instance).</summary>
    public async Task<TimeSpan> NextWaitAsync(CancellationToken cancellationToken = default)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Bound);
        try
        {
            return await _waits.Reader.ReadAsync(bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Nothing started waiting on the clock within {Bound.TotalSeconds} s.");
        }
    }

    /// <summary>Waits until a timer of exactly <paramref name="dueTime"/> is created, skipping others (the app's periodic ones).</summary>
    public async Task WaitStartedAsync(TimeSpan dueTime)
    {
        while (await NextWaitAsync() != dueTime)
        {
        }
    }
}
