using StackExchange.Redis;

namespace Portal.Infrastructure.Live;

/// <summary>
/// The one Redis connection of this node, when <c>ConnectionStrings:Redis</c> is set (scaled-out mode). It never makes
/// the portal wait for Redis: it connects in the background and reconnects by itself (AbortOnConnectFail off), and
/// everything that uses it degrades to this node alone while Redis is away.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    public const string ConnectionStringName = "Redis";

    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;

    public RedisConnection(IConfiguration configuration, ILogger<RedisConnection> logger)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        IsConfigured = !string.IsNullOrWhiteSpace(connectionString);
        _connection = new Lazy<Task<IConnectionMultiplexer>>(async () =>
        {
            var options = ConfigurationOptions.Parse(connectionString!);
            options.AbortOnConnectFail = false;
            options.ClientName ??= $"portal-{Environment.MachineName}-{Environment.ProcessId}";
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
            multiplexer.ConnectionFailed += (_, e) => logger.LogWarning(e.Exception, "Redis connection lost ({FailureType}); live updates reach this node only until it returns.", e.FailureType);
            multiplexer.ConnectionRestored += (_, _) => logger.LogInformation("Redis connection restored.");
            return multiplexer;
        });
    }

    /// <summary>Whether this node runs scaled out with Redis.</summary>
    public bool IsConfigured { get; }

    /// <summary>This process among the nodes; a node recognises its own messages by it.</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    public Task<IConnectionMultiplexer> GetAsync() =>
        IsConfigured ? _connection.Value : throw new InvalidOperationException("ConnectionStrings:Redis is not set.");

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }
}
