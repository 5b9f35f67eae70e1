using System.Collections.Immutable;

namespace Portal.Infrastructure.Live;

/// <summary>Delivers events to the subscribers of this process. Handlers run off the publisher's thread, each in its subscriber's own context.</summary>
public sealed class InProcessLiveEvents(ILogger<InProcessLiveEvents> logger) : ILiveEvents
{
    private ImmutableArray<Subscription> _subscriptions = [];
    private ImmutableArray<Action<LiveEvent>> _observers = [];

    public int SubscriberCount => _subscriptions.Length;

    public Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default)
    {
        Deliver(liveEvent);
        return Task.CompletedTask;
    }

    /// <summary>Hands an event to local subscribers; also the entry point for events arriving from other nodes.</summary>
    public void Deliver(LiveEvent liveEvent)
    {
        // Before any page hears of the event, so a page that re-queries because of it never meets a result from before it.
        foreach (var observer in _observers)
        {
            try
            {
                observer(liveEvent);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A live event observer failed on {Kind}", liveEvent.Kind);
            }
        }

        foreach (var subscription in _subscriptions)
        {
            if (subscription.Filter(liveEvent))
            {
                // A slow or failing page must never hold up the publisher or the other pages; and each page's handler runs
                // in that page's own context (its culture, its circuit), never the publisher's.
                _ = subscription.Context.StartAsync(() => InvokeAsync(subscription, liveEvent));
            }
        }
    }

    public IDisposable Subscribe(Func<LiveEvent, bool> filter, Func<LiveEvent, Task> handler)
    {
        var subscription = new Subscription(filter, handler, this);
        ImmutableInterlocked.Update(ref _subscriptions, list => list.Add(subscription));
        return subscription;
    }

    /// <summary>
    /// Calls <paramref name="observer"/> on the publisher's thread for every event (of this node or arriving from
    /// others), before any subscriber is handed it. For caches of query results that an event makes stale: it must be
    /// quick and never block. Unfiltered: the observer sees events of every scope and must not pass them on.
    /// </summary>
    public IDisposable Observe(Action<LiveEvent> observer)
    {
        ImmutableInterlocked.Update(ref _observers, list => list.Add(observer));
        return new Unobserve(() => ImmutableInterlocked.Update(ref _observers, list => list.Remove(observer)));
    }

    private async Task InvokeAsync(Subscription subscription, LiveEvent liveEvent)
    {
        try
        {
            await subscription.Handler(liveEvent);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A live event subscriber failed on {Kind}", liveEvent.Kind);
        }
    }

    private void Remove(Subscription subscription) =>
        ImmutableInterlocked.Update(ref _subscriptions, list => list.Remove(subscription));

    private sealed class Unobserve(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }

    private sealed class Subscription(Func<LiveEvent, bool> filter, Func<LiveEvent, Task> handler, InProcessLiveEvents owner) : IDisposable
    {
        public Func<LiveEvent, bool> Filter { get; } = filter;

        public Func<LiveEvent, Task> Handler { get; } = handler;

        /// <summary>The subscriber's context, captured as it subscribed.</summary>
        public SubscriberContext Context { get; } = SubscriberContext.Capture();

        public void Dispose() => owner.Remove(this);
    }
}
