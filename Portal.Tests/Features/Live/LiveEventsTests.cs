using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Tests.Features.Live;

/// <summary>
/// Scope filtering of in-process live events. Whether an event goes to a subscriber is decided while it is published:
/// the page's own filter is asked only about events its viewer may see, so a recording filter shows, as soon as
/// <c>PublishAsync</c> returns, every event that could ever reach the page. Arrivals are awaited, never a fixed time.
/// </summary>
public sealed class LiveEventsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static UserScope Advocate(string id, params string[] countries) => new(id, id, id, [Roles.Advocate], countries);

    private static UserScope Coordinator(string id) => new(id, id, id, [Roles.Coordinator], []);

    [Fact]
    public async Task Subscribers_receive_only_events_of_countries_in_their_scope()
    {
        var events = new InProcessLiveEvents(NullLogger<InProcessLiveEvents>.Instance);
        var central = new Page();
        var everything = new Page();
        using var advocateCf = events.SubscribeFor(Advocate("a1", "CF"), central.Filter, central.Handler);
        using var coordinator = events.SubscribeFor(Coordinator("c1"), everything.Filter, everything.Handler);

        await events.PublishAsync(new LiveEvent(LiveEventKind.CaseCreated, "CD", Guid.NewGuid()));
        await events.PublishAsync(new LiveEvent(LiveEventKind.CaseCreated, "CF", Guid.NewGuid()));

        Assert.Equal(["CF"], central.Considered.Select(e => e.CountryCode));
        Assert.Equal("CF", (await central.NextAsync()).CountryCode);
        Assert.Equal(["CD", "CF"], new[] { await everything.NextAsync(), await everything.NextAsync() }.Select(e => e.CountryCode).Order());
    }

    [Fact]
    public async Task Personal_events_reach_only_their_recipient_whatever_the_country()
    {
        var events = new InProcessLiveEvents(NullLogger<InProcessLiveEvents>.Instance);
        var mine = new Page();
        var theirs = new Page();
        using var a = events.SubscribeFor(Advocate("a1", "CF"), mine.Filter, mine.Handler);
        using var c = events.SubscribeFor(Coordinator("c1"), theirs.Filter, theirs.Handler);

        await events.PublishAsync(new LiveEvent(LiveEventKind.NotificationCreated, "CF", RecipientUserId: "a1"));
        await events.PublishAsync(new LiveEvent(LiveEventKind.CaseClaimed, "CF", Guid.NewGuid()));

        Assert.Equal([LiveEventKind.CaseClaimed], theirs.Considered.Select(e => e.Kind));
        Assert.Equal(LiveEventKind.CaseClaimed, (await theirs.NextAsync()).Kind);
        Assert.Equal(new[] { LiveEventKind.CaseClaimed, LiveEventKind.NotificationCreated }.Order(), new[] { await mine.NextAsync(), await mine.NextAsync() }.Select(e => e.Kind).Order());
    }

    [Fact]
    public async Task A_disposed_subscription_receives_nothing_more()
    {
        var events = new InProcessLiveEvents(NullLogger<InProcessLiveEvents>.Instance);
        var page = new Page();
        var subscription = events.SubscribeFor(Coordinator("c1"), page.Filter, page.Handler);
        await events.PublishAsync(new LiveEvent(LiveEventKind.CaseCreated, "CF", Guid.NewGuid()));
        await page.NextAsync();

        subscription.Dispose();
        await events.PublishAsync(new LiveEvent(LiveEventKind.CaseCreated, "CF", Guid.NewGuid()));

        Assert.Single(page.Considered); // the second event was not even offered to the page
        Assert.Equal(0, events.SubscriberCount);
    }

    [Fact]
    public async Task A_failing_subscriber_does_not_stop_the_others()
    {
        var events = new InProcessLiveEvents(NullLogger<InProcessLiveEvents>.Instance);
        var healthy = new Page();
        using var failing = events.Subscribe(_ => true, _ => throw new InvalidOperationException("page gone"));
        using var subscription = events.Subscribe(healthy.Filter, healthy.Handler);

        await events.PublishAsync(new LiveEvent(LiveEventKind.CaseCreated, "CF", Guid.NewGuid()));

        Assert.Equal("CF", (await healthy.NextAsync()).CountryCode);
    }

    /// <summary>A subscriber as a page is one: a filter (recording what it is asked about) and a handler (an inbox).</summary>
    private sealed class Page
    {
        private readonly List<LiveEvent> _considered = [];
        private readonly Channel<LiveEvent> _received = Channel.CreateUnbounded<LiveEvent>();

        public List<LiveEvent> Considered
        {
            get
            {
                lock (_considered)
                {
                    return [.. _considered];
                }
            }
        }

        public bool Filter(LiveEvent liveEvent)
        {
            lock (_considered)
            {
                _considered.Add(liveEvent);
            }

            return true;
        }

        public Task Handler(LiveEvent liveEvent) => _received.Writer.WriteAsync(liveEvent).AsTask();

        public async Task<LiveEvent> NextAsync()
        {
            using var bound = new CancellationTokenSource(Bound);
            return await _received.Reader.ReadAsync(bound.Token);
        }
    }
}
