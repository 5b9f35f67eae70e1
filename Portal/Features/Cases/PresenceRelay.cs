using System.Text.Json;
using Portal.Infrastructure.Live;
using StackExchange.Redis;

namespace Portal.Features.Cases;

/// <summary>
/// Case presence across nodes, when the portal runs scaled out with Redis: with sticky sessions two advocates on the
/// same case may sit on different nodes and must still see each other. Each node publishes its own viewers of a case
/// whenever they change, republishes all of them every <see cref="RefreshInterval"/> (the others forget a node's word
/// after <see cref="CasePresence.RemoteLifetime"/>, so a node killed outright stops showing its viewers), says
/// "hello" on start so the others send theirs at once, and withdraws its viewers when it stops. The messages carry
/// case ids and staff display names only, never a survivor's data.
/// </summary>
public sealed class PresenceRelay(RedisConnection redis, CasePresence presence, IConfiguration configuration, ILogger<PresenceRelay> logger)
    : BackgroundService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(15);

    private readonly RedisChannel _channel = RedisChannel.Literal(
        (configuration["Portal:Live:RedisChannel"] is { Length: > 0 } name ? name : RedisLiveEvents.DefaultChannel) + ":presence");

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ISubscriber? _subscriber;

    /// <summary>Completes once this node listens to the others (tests wait for it).</summary>
    public Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!redis.IsConfigured)
        {
            return;
        }

        var multiplexer = await redis.GetAsync();
        var subscriber = multiplexer.GetSubscriber();
        // The subscription is registered with the connection, which makes it on every (re)connect: a node also starts
        // while Redis is away. When Redis is there, the "hello" below goes out only once this node can hear the answers.
        if (multiplexer.IsConnected)
        {
            await subscriber.SubscribeAsync(_channel, (_, message) => Receive(message));
        }
        else
        {
            await subscriber.SubscribeAsync(_channel, (_, message) => Receive(message), CommandFlags.FireAndForget);
        }

        _subscriber = subscriber;
        _listening.TrySetResult();
        presence.LocalChanged += PublishCase;
        Publish(new PresenceMessage(redis.NodeId, PresenceMessage.KindHello, Guid.Empty, []));

        using var timer = new PeriodicTimer(RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var caseId in presence.LocalCases)
                {
                    PublishCase(caseId);
                }

                presence.ForgetLapsed();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync withdraws this node's viewers.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        presence.LocalChanged -= PublishCase;
        if (_subscriber is { } subscriber)
        {
            foreach (var caseId in presence.LocalCases)
            {
                Publish(new PresenceMessage(redis.NodeId, PresenceMessage.KindViewers, caseId, []));
            }

            await subscriber.UnsubscribeAsync(_channel, flags: CommandFlags.FireAndForget);
        }

        await base.StopAsync(cancellationToken);
    }

    private void PublishCase(Guid caseId) =>
        Publish(new PresenceMessage(redis.NodeId, PresenceMessage.KindViewers, caseId, [.. presence.LocalViewersOf(caseId)]));

    private void Publish(PresenceMessage message)
    {
        try
        {
            // Fire and forget: opening a case never waits for Redis.
            _subscriber?.Publish(_channel, JsonSerializer.Serialize(message), CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            logger.LogWarning(ex, "Could not tell the other nodes who views case {CaseId}.", message.CaseId);
        }
    }

    private void Receive(RedisValue value)
    {
        try
        {
            var message = JsonSerializer.Deserialize<PresenceMessage>(value.ToString());
            if (message is null || message.Node == redis.NodeId)
            {
                return;
            }

            if (message.Kind == PresenceMessage.KindHello)
            {
                foreach (var caseId in presence.LocalCases)
                {
                    PublishCase(caseId);
                }
            }
            else
            {
                presence.ApplyRemote(message.Node, message.CaseId, message.Viewers ?? []);
            }
        }
        catch (JsonException ex)
        {
            logger.LogWarning(ex, "Ignored a presence message this node cannot read.");
        }
    }

    private sealed record PresenceMessage(string Node, string Kind, Guid CaseId, List<CasePresence.Viewer>? Viewers)
    {
        public const string KindHello = "hello";
        public const string KindViewers = "viewers";
    }
}
