using Microsoft.Extensions.Logging.Abstractions;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Tests.Features.Live;

public sealed class LiveEventsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static UserScope Advocate(string id, params string[] countries) => new(id, id, id, [Roles.Advocate], countries);

    private static UserScope Coordinator(string id) => new(id, id, id, [Roles.Coordinator], []);

    [Fact]
    public async Task Subscribers_receive_only_events_of_countries_in_their_scope()
    {
        var events = new InProcessLiveEvents(NullLogger<InProcessLiveEvents>.Instance);
        var central = new List<LiveEvent>();
        var everything = new List<LiveEvent>();
        using var advocateCf = events.SubscribeFor(Advocate("a1", "CF"), _ => true, e => Record(central, e));
        using var coordinator = events.SubscribeFor(Coordinator("c1"), _ => true, e => Record(everything, e));

        await events.PublishAsync(new LiveEvent(LiveEventKind.CaseCreated, "CD", Guid.NewGuid()));
        await events.PublishAsync(new LiveEvent(LiveEventKind.CaseCreated, "CF", Guid.NewGuid()));

        await Until(() => Count(everything) == 2);
        await Task.Delay(100); // give a wrongly delivered event the chance to arrive
        Assert.Equal(["CF"], Snapshot(central).Select(e => e.CountryCode));
    }

    [Fact]
    public async Task Personal_events_reach_only_their_recipient_whatever_the_country()
    {
        var events = new InProcessLiveEvents(NullLogger<InProcessLiveEvents>.Instance);
        var mine = new List<LiveEvent>();
        var theirs = new List<LiveEvent>();
        using var a = events.SubscribeFor(Advocate("a1", "CF"), _ => true, e => Record(mine, e));
        using var c = events.SubscribeFor(Coordinator("c1"), _ => true, e => Record(theirs, e));

        await events.PublishAsync(new LiveEvent(LiveEventKind.NotificationCreated, "CF", RecipientUserId: "a1"));
        await events.PublishAsync(new LiveEvent(LiveEventKind.CaseClaimed, "CF", Guid.NewGuid()));

        await Until(() => Count(mine) == 2 && Count(theirs) == 1);
        Assert.Equal(LiveEventKind.CaseClaimed, Assert.Single(Snapshot(theirs)).Kind);
    }

    [Fact]
    public async Task A_disposed_subscription_receives_nothing_more()
    {
        var events = new InProcessLiveEvents(NullLogger<InProcessLiveEvents>.Instance);
        var received = new List<LiveEvent>();
        var subscription = events.SubscribeFor(Coordinator("c1"), _ => true, e => Record(received, e));
        await events.PublishAsync(new LiveEvent(LiveEventKind.CaseCreated, "CF", Guid.NewGuid()));
        await Until(() => Count(received) == 1);

        subscription.Dispose();
        await events.PublishAsync(new LiveEvent(LiveEventKind.CaseCreated, "CF", Guid.NewGuid()));
        await Task.Delay(100);

        Assert.Equal(1, Count(received));
        Assert.Equal(0, events.SubscriberCount);
    }

    [Fact]
    public async Task A_failing_subscriber_does_not_stop_the_others()
    {
        var events = new InProcessLiveEvents(NullLogger<InProcessLiveEvents>.Instance);
        var received = new List<LiveEvent>();
        using var failing = events.Subscribe(_ => true, _ => throw new InvalidOperationException("page gone"));
        using var healthy = events.Subscribe(_ => true, e => Record(received, e));

        await events.PublishAsync(new LiveEvent(LiveEventKind.CaseCreated, "CF", Guid.NewGuid()));

        await Until(() => Count(received) == 1);
    }

    private static Task Record(List<LiveEvent> list, LiveEvent e)
    {
        lock (list)
        {
            list.Add(e);
        }

        return Task.CompletedTask;
    }

    private static int Count(List<LiveEvent> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    private static List<LiveEvent> Snapshot(List<LiveEvent> list)
    {
        lock (list)
        {
            return [.. list];
        }
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
}
