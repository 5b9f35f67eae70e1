using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Infrastructure.Live;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Live;

/// <summary>
/// The guarantees every shared view rests on: one computation for identical requests, run on the thread of the request
/// that starts it, none of the others holding a thread while it runs; a failure not kept; one page leaving does not cancel the others' computation; a dropped tag drops
/// exactly its answers, before any page hears of the event; an answer computed across a drop is never handed to a
/// request after it, nor kept; and an answer lives no longer than its maximum age. Each computation here returns a new
/// numbered answer, so a test sees which computation a request got.
/// </summary>
public sealed class LiveViewCacheTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private readonly InProcessLiveEvents _events = new(NullLogger<InProcessLiveEvents>.Instance);
    private readonly FakeTimeProvider _clock = new();
    private readonly LiveViews _views;
    private int _computations;
    private Task _gate = Task.CompletedTask;

    public LiveViewCacheTests() => _views = new LiveViews(_events, _clock);

    private LiveViewCache Cache => _views.Cache;

    public void Dispose() => _views.Dispose();

    private static LiveView View(string key, params string[] tags) => new(key, tags, MaxAge);

    [Fact]
    public async Task Concurrent_requests_for_one_view_share_one_computation()
    {
        var release = new TaskCompletionSource();
        _gate = release.Task;

        var waiting = Enumerable.Range(0, 20).Select(_ => Cache.GetAsync(View("v", "t"), ComputeAsync)).ToList();
        Assert.Equal(1, _computations);
        Assert.DoesNotContain(waiting, t => t.IsCompleted);
        release.SetResult();
        var answers = await Task.WhenAll(waiting).WaitAsync(Wait);

        Assert.All(answers, answer => Assert.Same(answers[0], answer));
        Assert.Same(answers[0], await Cache.GetAsync(View("v", "t"), ComputeAsync));
        Assert.Equal(1, _computations);
    }

    [Fact]
    public async Task A_request_joining_a_computation_gets_a_task_at_once_instead_of_holding_its_thread()
    {
        // SQLite's "async" queries run synchronously: the request that computes holds its thread, the others must not.
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task<Answer> Blocking(CancellationToken token)
        {
            var number = Interlocked.Increment(ref _computations);
            started.Set();
            release.Wait(token);
            return Task.FromResult(new Answer(number));
        }

        var computing = Task.Run(() => Cache.GetAsync(View("v", "t"), Blocking));
        Assert.True(started.Wait(Wait));
        using var returned = new ManualResetEventSlim();
        var joining = Task.Run(() =>
        {
            var answer = Cache.GetAsync(View("v", "t"), Blocking);
            returned.Set();
            return answer;
        });

        Assert.True(returned.Wait(Wait), "the joining request held its thread until the computation ended");
        Assert.False(computing.IsCompleted);
        release.Set();
        Assert.Same(await computing.WaitAsync(Wait), await joining.WaitAsync(Wait));
        Assert.Equal(1, _computations);
    }

    [Fact]
    public async Task A_computation_runs_on_the_thread_of_the_request_that_starts_it_even_when_that_request_can_cancel()
    {
        // A queue page's load can be cancelled. Queued to the thread pool instead, its query would wait behind every work
        // item queued before it (the dashboards' reads after the same change) while the page's thread had nothing to do.
        var computedOn = 0;
        Task<Answer> Synchronous(CancellationToken token)
        {
            computedOn = Environment.CurrentManagedThreadId;
            return Task.FromResult(new Answer(Interlocked.Increment(ref _computations)));
        }

        using var page = new CancellationTokenSource();
        var requestThread = Environment.CurrentManagedThreadId;
        var answer = Cache.GetAsync(View("v", "t"), Synchronous, page.Token);

        Assert.Equal(requestThread, computedOn);
        Assert.True(answer.IsCompletedSuccessfully);
        Assert.Same(await answer, await Cache.GetAsync(View("v", "t"), Synchronous, page.Token));
        Assert.Equal(1, _computations);
    }

    [Fact]
    public async Task A_failed_computation_is_not_kept()
    {
        var fail = true;
        async Task<Answer> Failing(CancellationToken token)
        {
            var answer = await ComputeAsync(token);
            return fail ? throw new InvalidOperationException("database away") : answer;
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => Cache.GetAsync(View("v", "t"), Failing));
        fail = false;

        Assert.Equal(2, (await Cache.GetAsync(View("v", "t"), Failing)).Number);
    }

    [Fact]
    public async Task A_page_that_stops_waiting_does_not_cancel_the_computation_others_wait_for()
    {
        var release = new TaskCompletionSource();
        _gate = release.Task;
        using var closing = new CancellationTokenSource();

        var leaving = Cache.GetAsync(View("v", "t"), ComputeAsync, closing.Token);
        var staying = Cache.GetAsync(View("v", "t"), ComputeAsync);
        await closing.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(Wait));
        release.SetResult();

        Assert.Equal(1, (await staying.WaitAsync(Wait)).Number);
        Assert.Equal(1, _computations);
    }

    [Fact]
    public async Task A_dropped_tag_drops_the_answers_carrying_it_and_no_others()
    {
        var central = await Cache.GetAsync(View("central", "queues", "queues:CF"), ComputeAsync);
        var congo = await Cache.GetAsync(View("congo", "queues", "queues:CD"), ComputeAsync);
        var both = await Cache.GetAsync(View("both", "queues", "queues:CF", "queues:CD"), ComputeAsync);

        Cache.Drop(["queues:CF"]);

        Assert.NotSame(central, await Cache.GetAsync(View("central", "queues", "queues:CF"), ComputeAsync));
        Assert.Same(congo, await Cache.GetAsync(View("congo", "queues", "queues:CD"), ComputeAsync));
        Assert.NotSame(both, await Cache.GetAsync(View("both", "queues", "queues:CF", "queues:CD"), ComputeAsync));
        Assert.Equal(5, _computations);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_page_re_querying_because_of_an_event_computes_after_the_drop(bool fromAnotherNode)
    {
        using var observation = Cache.Observe(e => e.CountryCode == "CF" ? ["queues:CF"] : []);
        var view = View("central", "queues:CF");
        var before = await Cache.GetAsync(view, ComputeAsync);

        // What the page finds when it re-queries, checked inside its own handler.
        var seenByPage = new TaskCompletionSource<Answer>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var page = _events.Subscribe(_ => true, async _ => seenByPage.TrySetResult(await Cache.GetAsync(view, ComputeAsync)));
        var change = new LiveEvent(LiveEventKind.CaseClaimed, "CF", Guid.NewGuid());
        if (fromAnotherNode)
        {
            _events.Deliver(change); // how RedisLiveEvents hands this node an event of another node
        }
        else
        {
            await _events.PublishAsync(change);
        }

        var seen = await seenByPage.Task.WaitAsync(Wait);
        Assert.NotSame(before, seen);
        Assert.Equal(2, seen.Number);
    }

    [Fact]
    public async Task An_answer_computed_across_a_drop_is_neither_handed_to_a_request_after_it_nor_kept()
    {
        var release = new TaskCompletionSource();
        _gate = release.Task;
        var view = View("central", "queues:CF");

        var askedBefore = Cache.GetAsync(view, ComputeAsync); // computation 1 reads before the change
        Cache.Drop(["queues:CF"]); // the change is committed and its event observed
        var askedAfter = Cache.GetAsync(view, ComputeAsync);
        release.SetResult();

        Assert.NotEqual(1, (await askedAfter.WaitAsync(Wait)).Number);
        Assert.NotEqual(1, (await Cache.GetAsync(view, ComputeAsync)).Number); // computation 1 was not kept either
        await askedBefore.WaitAsync(Wait);
    }

    [Fact]
    public async Task An_answer_lives_no_longer_than_its_maximum_age()
    {
        var first = await Cache.GetAsync(View("v", "t"), ComputeAsync);

        _clock.Advance(MaxAge / 2);
        Assert.Same(first, await Cache.GetAsync(View("v", "t"), ComputeAsync));

        _clock.Advance(MaxAge);
        Assert.Equal(2, (await Cache.GetAsync(View("v", "t"), ComputeAsync)).Number);
    }

    private async Task<Answer> ComputeAsync(CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _computations);
        await _gate.WaitAsync(cancellationToken);
        return new Answer(number);
    }

    /// <summary>Which computation made it.</summary>
    private sealed record Answer(int Number);
}
