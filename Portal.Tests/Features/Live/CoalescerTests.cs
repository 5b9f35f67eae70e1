using Microsoft.Extensions.Time.Testing;
using Portal.Infrastructure.Live;

namespace Portal.Tests.Features.Live;

/// <summary>
/// Leading edge and trailing edge: a lone change runs at once, whatever the window; what arrives during a run or its
/// window becomes exactly one more run at the end of the window. The window runs on a fake clock here, so a test that
/// passes without advancing it proves the run did not wait for it.
/// </summary>
public sealed class CoalescerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_lone_trigger_runs_at_once_without_waiting_for_the_window()
    {
        var clock = new FakeTimeProvider();
        var runs = 0;
        using var coalescer = new Coalescer(Window, () => Run(ref runs), clock);

        coalescer.Trigger();

        await Until(() => Volatile.Read(ref runs) == 1);
    }

    [Fact]
    public async Task Triggers_during_a_run_and_its_window_become_one_more_run_at_the_end_of_the_window()
    {
        var clock = new FakeTimeProvider();
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
        await firstStarted.Task.WaitAsync(Wait);
        for (var i = 0; i < 50; i++)
        {
            coalescer.Trigger(); // during the run
        }

        release.SetResult();
        await Task.Delay(200);
        coalescer.Trigger(); // during the window after it
        await Task.Delay(100);
        Assert.Equal(1, Volatile.Read(ref runs)); // the burst waits for the window

        await AdvanceUntil(clock, () => Volatile.Read(ref runs) == 2);
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(Window);
            await Task.Delay(20);
        }

        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task After_a_quiet_window_the_next_trigger_runs_at_once_again()
    {
        var clock = new FakeTimeProvider();
        var runs = 0;
        using var coalescer = new Coalescer(Window, () => Run(ref runs), clock);

        coalescer.Trigger();
        await Until(() => Volatile.Read(ref runs) == 1);
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(Window);
            await Task.Delay(20);
        }

        coalescer.Trigger();

        await Until(() => Volatile.Read(ref runs) == 2);
    }

    [Fact]
    public async Task A_burst_of_triggers_runs_the_action_at_most_twice()
    {
        var runs = 0;
        using var coalescer = new Coalescer(TimeSpan.FromMilliseconds(100), () => Run(ref runs));

        for (var i = 0; i < 100; i++)
        {
            coalescer.Trigger();
        }

        await Until(() => Volatile.Read(ref runs) >= 1);
        await Task.Delay(500);
        Assert.InRange(Volatile.Read(ref runs), 1, 2);
    }

    [Fact]
    public async Task A_failed_run_does_not_stop_later_triggers()
    {
        var runs = 0;
        using var coalescer = new Coalescer(TimeSpan.FromMilliseconds(10), () =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                throw new InvalidOperationException("the page failed to refresh");
            }

            return Task.CompletedTask;
        });

        coalescer.Trigger();
        await Until(() => Volatile.Read(ref runs) == 1);
        await Task.Delay(100);
        coalescer.Trigger();

        await Until(() => Volatile.Read(ref runs) == 2);
    }

    [Fact]
    public async Task Disposing_drops_the_trailing_run()
    {
        var clock = new FakeTimeProvider();
        var runs = 0;
        var coalescer = new Coalescer(Window, () => Run(ref runs), clock);

        coalescer.Trigger();
        await Until(() => Volatile.Read(ref runs) == 1);
        coalescer.Trigger();
        coalescer.Dispose();
        clock.Advance(Window * 2);
        coalescer.Trigger();
        await Task.Delay(200);

        Assert.Equal(1, Volatile.Read(ref runs));
    }

    private static Task Run(ref int runs)
    {
        Interlocked.Increment(ref runs);
        return Task.CompletedTask;
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition was not met in time");
            await Task.Delay(10);
        }
    }

    /// <summary>The window's timer starts when the run ends, on another thread: advance until it has fired.</summary>
    private static async Task AdvanceUntil(FakeTimeProvider clock, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition was not met in time");
            clock.Advance(Window);
            await Task.Delay(10);
        }
    }
}
