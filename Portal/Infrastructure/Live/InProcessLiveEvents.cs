using System.Collections.Immutable;

namespace Portal.Infrastructure.Live;

/// <summary>Delivers events to the subscribers of this process. Handlers run off the publisher's thread.</summary>
public sealed class InProcessLiveEvents(ILogger<InProcessLiveEvents> logger) : ILiveEvents
{
    private ImmutableArray<Subscription> _subscriptions = [];

    public int SubscriberCount => _subscriptions.Length;

    public Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default)
    {
        Deliver(liveEvent);
        return Task.CompletedTask;
    }

    /// <summary>Hands an event to local subscribers; also the entry point for events arriving from other nodes.</summary>
    public void Deliver(LiveEvent liveEvent)
    {
        foreach (var subscription in _subscriptions)
        {
            if (subscription.Filter(liveEvent))
            {
                // A slow or failing page must never hold up the publisher or the other pages.
                _ = Task.Run(() => InvokeAsync(subscription, liveEvent));
            }
        }
    }

    public IDisposable Subscribe(Func<LiveEvent, bool> filter, Func<LiveEvent, Task> handler)
    {
        var subscription = new Subscription(filter, handler, this);
        ImmutableInterlocked.Update(ref _subscriptions, list => list.Add(subscription));
        return subscription;
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

    private sealed class Subscription(Func<LiveEvent, bool> filter, Func<LiveEvent, Task> handler, InProcessLiveEvents owner) : IDisposable
    {
        public Func<LiveEvent, bool> Filter { get; } = filter;

        public Func<LiveEvent, Task> Handler { get; } = handler;

        public void Dispose() => owner.Remove(this);
    }
}
