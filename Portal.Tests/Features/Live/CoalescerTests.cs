using Portal.Infrastructure.Live;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Live;

/// <summary>
/// Leading edge and trailing edge: a lone change runs at once, whatever the window; what arrives during a run or its
/// window becomes exactly one more run at the end of the window. The window runs on a fake clock that says when a window
/// starts, so a run that happens without the clock moving did not wait for it, and a run that needs the window waits
/// until the test moves the clock. <see cref="Coalescer.Running"/> completes when the coalescer has settled.
/// </summary>
public sealed class CoalescerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_lone_trigger_runs_at_once_without_waiting_for_the_window()
    {
        var clock = new WatchedClock();
        var runs = 0;
        using var coalescer = new Coalescer(Window, () => Run(ref runs), clock);

        coalescer.Trigger();

        await clock.WaitStartedAsync(Window); // the run is over and its window begun; the clock has not moved
        Assert.Equal(1, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task Triggers_during_a_run_and_its_window_become_one_more_run_at_the_end_of_the_window()
    {
        var clock = new WatchedClock();
        var runs = 0;
        var firstStarted = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        using var coalescer = new Coalescer(Window, async () =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                firstStarted.SetResult();
                await release.Task;
            }
        }, clock);

        coalescer.Trigger();
        await firstStarted.Task.WaitAsync(Bound);
        for (var i = 0; i < 50; i++)
        {
            coalescer.Trigger(); // during the run
        }

        release.SetResult();
        await clock.WaitStartedAsync(Window);
        coalescer.Trigger(); // during the window after it
        Assert.Equal(1, Volatile.Read(ref runs)); // the burst waits for the window, and the clock has not moved

        clock.Advance(Window);
        await clock.WaitStartedAsync(Window);
        Assert.Equal(2, Volatile.Read(ref runs));

        await SettleAsync(clock, coalescer);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task After_a_quiet_window_the_next_trigger_runs_at_once_again()
    {
        var clock = new WatchedClock();
        var runs = 0;
        using var coalescer = new Coalescer(Window, () => Run(ref runs), clock);

        coalescer.Trigger();
        await clock.WaitStartedAsync(Window);
        await SettleAsync(clock, coalescer);
        coalescer.Trigger();

        await clock.WaitStartedAsync(Window); // run and window again, the clock where it was
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task A_burst_of_triggers_runs_the_action_twice()
    {
        var clock = new WatchedClock();
        var runs = 0;
        using var coalescer = new Coalescer(Window, () => Run(ref runs), clock);

        for (var i = 0; i < 100; i++)
        {
            coalescer.Trigger();
        }

        await clock.WaitStartedAsync(Window);
        await SettleAsync(clock, coalescer);
        Assert.Equal(2, Volatile.Read(ref runs)); // the first at once, the rest as one at the end of the window
    }

    [Fact]
    public async Task A_failed_run_does_not_stop_later_triggers()
    {
        var clock = new WatchedClock();
        var runs = 0;
        using var coalescer = new Coalescer(Window, () =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                throw new InvalidOperationException("the page failed to refresh");
            }

            return Task.CompletedTask;
        }, clock);

        coalescer.Trigger();
        await Assert.ThrowsAsync<InvalidOperationException>(() => coalescer.Running.WaitAsync(Bound)); // the failed run ends the loop, with no window
        Assert.Equal(1, Volatile.Read(ref runs));
        coalescer.Trigger();

        await clock.WaitStartedAsync(Window);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task Disposing_drops_the_trailing_run()
    {
        var clock = new WatchedClock();
        var runs = 0;
        var coalescer = new Coalescer(Window, () => Run(ref runs), clock);

        coalescer.Trigger();
        await clock.WaitStartedAsync(Window);
        coalescer.Trigger();
        coalescer.Dispose();
        await coalescer.Running.WaitAsync(Bound); // the window is cancelled and the loop ends
        clock.Advance(Window * 2);
        coalescer.Trigger();
        await coalescer.Running.WaitAsync(Bound); // a trigger after disposal starts nothing

        Assert.Equal(1, Volatile.Read(ref runs));
    }

    private static Task Run(ref int runs)
    {
        Interlocked.Increment(ref runs);
        return Task.CompletedTask;
    }

    /// <summary>Ends window after window until the coalescer is idle; each window either brings one more run (and window) or the end.</summary>
    private static async Task SettleAsync(WatchedClock clock, Coalescer coalescer)
    {
        while (true)
        {
            var running = coalescer.Running;
            using var settled = new CancellationTokenSource();
            var nextWindow = clock.NextWaitAsync(settled.Token);
            clock.Advance(Window);
            if (await Task.WhenAny(running, nextWindow) == running)
            {
                await settled.CancelAsync(); // leave the next window's signal to the test
                await running;
                return;
            }

            await nextWindow;
        }
    }
}
