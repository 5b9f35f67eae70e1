using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.ScaledOut;

/// <summary>
/// Live events between nodes through the test Redis: each test's two nodes talk on a channel of their own. Waits are
/// bounds for failure, not measurements: "exactly once" is shown by a marker event that travels after the one counted.
/// </summary>
public sealed class RedisLiveEventsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static UserScope Advocate(string id, params string[] countries) => new(id, id, id, [Roles.Advocate], countries);

    [Fact]
    public async Task An_event_published_on_one_node_reaches_the_pages_of_both_nodes_exactly_once()
    {
        var channel = $"test-live-{Guid.NewGuid():N}";
        await using var a = await Node.StartAsync(channel);
        await using var b = await Node.StartAsync(channel);
        var onA = new Received();
        var onB = new Received();
        using var pageOnA = a.Events.SubscribeFor(Advocate("a1", "CF"), _ => true, onA.Add);
        using var pageOnB = b.Events.SubscribeFor(Advocate("b1", "CF"), _ => true, onB.Add);

        var claimed = new LiveEvent(LiveEventKind.CaseClaimed, "CF", Guid.NewGuid());
        await a.Events.PublishAsync(claimed);
        await onB.WaitForAsync(claimed);

        // B answers with a marker; when A has it, A's own echo of the first event (had it not been skipped) came before.
        var marker = new LiveEvent(LiveEventKind.CaseChanged, "CF", Guid.NewGuid());
        await b.Events.PublishAsync(marker);
        await onA.WaitForAsync(marker);
        var markerBack = new LiveEvent(LiveEventKind.NoteAdded, "CF", Guid.NewGuid());
        await a.Events.PublishAsync(markerBack);
        await onB.WaitForAsync(markerBack);

        // Pages get events on the thread pool, so the order of arrival is not asserted, only the count of each.
        Assert.Equivalent(new[] { claimed, marker, markerBack }, onA.All, strict: true);
        Assert.Equal(3, onA.All.Count);
        Assert.Equivalent(new[] { claimed, marker, markerBack }, onB.All, strict: true);
        Assert.Equal(3, onB.All.Count);
    }

    [Fact]
    public async Task Events_from_another_node_are_still_filtered_by_the_viewers_scope()
    {
        var channel = $"test-live-{Guid.NewGuid():N}";
        await using var a = await Node.StartAsync(channel);
        await using var b = await Node.StartAsync(channel);
        var central = new Received();
        var personal = new Received();
        using var cfPage = b.Events.SubscribeFor(Advocate("cf-advocate", "CF"), _ => true, central.Add);
        using var otherPage = b.Events.SubscribeFor(Advocate("cd-advocate", "CD"), _ => true, personal.Add);

        var inCd = new LiveEvent(LiveEventKind.CaseCreated, "CD", Guid.NewGuid());
        await a.Events.PublishAsync(inCd);
        await a.Events.PublishAsync(new LiveEvent(LiveEventKind.NotificationCreated, "CD", RecipientUserId: "someone-else"));
        var last = new LiveEvent(LiveEventKind.CaseCreated, "CF", Guid.NewGuid());
        await a.Events.PublishAsync(last);
        await central.WaitForAsync(last);
        var mine = new LiveEvent(LiveEventKind.NotificationCreated, "CF", RecipientUserId: "cd-advocate");
        await a.Events.PublishAsync(mine);
        await personal.WaitForAsync(mine);

        // Each page gets its events on the thread pool, so the CD case may reach the CD page after the later notification.
        await personal.WaitForAsync(inCd);

        Assert.Equal([last], central.All);
        Assert.Equal([LiveEventKind.CaseCreated, LiveEventKind.NotificationCreated], personal.All.Select(e => e.Kind).Order());
        Assert.Contains(mine, personal.All);
    }

    [Fact]
    public async Task Publishing_never_waits_for_or_fails_on_an_unreachable_redis_and_this_node_still_gets_the_event()
    {
        // A port nothing listens on: the node starts, and its own pages keep receiving its own events.
        await using var lonely = await Node.StartAsync($"test-live-{Guid.NewGuid():N}", $"127.0.0.1:{FreePort.Next()},connectTimeout=200");
        var onPage = new Received();
        using var page = lonely.Events.SubscribeFor(Advocate("a1", "CF"), _ => true, onPage.Add);

        var created = new LiveEvent(LiveEventKind.CaseCreated, "CF", Guid.NewGuid());
        await lonely.Events.PublishAsync(created);

        await onPage.WaitForAsync(created);
        Assert.Equal([created], onPage.All);
    }

    private sealed class Node : IAsyncDisposable
    {
        private readonly RedisConnection _redis;

        private Node(RedisConnection redis, RedisLiveEvents events)
        {
            _redis = redis;
            Events = events;
        }

        public RedisLiveEvents Events { get; }

        public static async Task<Node> StartAsync(string channel, string? redisServer = null)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Redis"] = redisServer ?? TestRedis.Server,
                ["Portal:Live:RedisChannel"] = channel,
            }).Build();
            var redis = new RedisConnection(configuration, NullLogger<RedisConnection>.Instance);
            var events = new RedisLiveEvents(redis, new InProcessLiveEvents(NullLogger<InProcessLiveEvents>.Instance), configuration, NullLogger<RedisLiveEvents>.Instance);
            await events.StartAsync(CancellationToken.None);
            return new Node(redis, events);
        }

        public async ValueTask DisposeAsync()
        {
            await Events.StopAsync(CancellationToken.None);
            await _redis.DisposeAsync();
        }
    }

    private sealed class Received
    {
        private readonly List<LiveEvent> _events = [];
        private readonly List<(LiveEvent Event, TaskCompletionSource Arrived)> _waiting = [];

        public List<LiveEvent> All
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public Task Add(LiveEvent liveEvent)
        {
            lock (_events)
            {
                _events.Add(liveEvent);
                foreach (var waiter in _waiting.Where(w => w.Event == liveEvent))
                {
                    waiter.Arrived.TrySetResult();
                }
            }

            return Task.CompletedTask;
        }

        public async Task WaitForAsync(LiveEvent liveEvent)
        {
            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_events)
            {
                if (_events.Contains(liveEvent))
                {
                    return;
                }

                _waiting.Add((liveEvent, arrived));
            }

            await arrived.Task.WaitAsync(Bound);
        }
    }
}
