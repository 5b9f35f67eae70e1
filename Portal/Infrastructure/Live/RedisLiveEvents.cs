using System.Text.Json;
using System.Text.Json.Serialization;
using StackExchange.Redis;

namespace Portal.Infrastructure.Live;

/// <summary>
/// Live events across nodes. Publishing hands the event to this node's pages at once (as in-process) and to Redis
/// without waiting for it; every node's listener hands the events of the other nodes to its own pages. A node skips
/// its own messages, so its pages get each event exactly once. The message is the event itself (kind, country, ids),
/// never personal data. Redis pub/sub keeps no message for a node that is disconnected at the time: such a node's
/// pages miss that refresh, never data, and pick up the change with the next event or reload.
/// </summary>
public sealed class RedisLiveEvents(RedisConnection redis, InProcessLiveEvents local, IConfiguration configuration, ILogger<RedisLiveEvents> logger)
    : ILiveEvents
{
    public const string DefaultChannel = "portal:live-events";

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly RedisChannel _channel = RedisChannel.Literal(configuration["Portal:Live:RedisChannel"] is { Length: > 0 } name ? name : DefaultChannel);
    private ISubscriber? _subscriber;

    public Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default)
    {
        local.Deliver(liveEvent);
        try
        {
            // Fire and forget: a click never waits for Redis, and a Redis outage never fails a committed change.
            _subscriber?.Publish(_channel, JsonSerializer.Serialize(new Envelope(redis.NodeId, liveEvent), Json), CommandFlags.FireAndForget);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not send a {Kind} live event to the other nodes.", liveEvent.Kind);
        }

        return Task.CompletedTask;
    }

    public IDisposable Subscribe(Func<LiveEvent, bool> filter, Func<LiveEvent, Task> handler) => local.Subscribe(filter, handler);

    /// <summary>
    /// Starts listening before the node serves its first page. A node also starts while Redis is away: the subscription
    /// is registered with the connection, which makes it on every (re)connect.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var multiplexer = await redis.GetAsync();
        var subscriber = multiplexer.GetSubscriber();
        // Connected, the node waits for Redis to confirm, so no event published after start-up is missed; away, it
        // does not wait, and the connection makes the subscription when it comes.
        var flags = multiplexer.IsConnected ? CommandFlags.None : CommandFlags.FireAndForget;
        await subscriber.SubscribeAsync(_channel, (_, message) => Receive(message), flags);
        _subscriber = subscriber;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscriber is { } subscriber)
        {
            await subscriber.UnsubscribeAsync(_channel, flags: CommandFlags.FireAndForget);
        }
    }

    private void Receive(RedisValue message)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope>(message.ToString(), Json);
            if (envelope?.Event is { } liveEvent && envelope.Node != redis.NodeId)
            {
                local.Deliver(liveEvent);
            }
        }
        catch (JsonException ex)
        {
            // A node of another version may know kinds this one does not; its pages have nothing to refresh for them.
            logger.LogWarning(ex, "Ignored a live event this node cannot read.");
        }
    }

    private sealed record Envelope(string Node, LiveEvent Event);
}
