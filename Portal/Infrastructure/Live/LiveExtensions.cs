namespace Portal.Infrastructure.Live;

public static class LiveExtensions
{
    /// <summary>
    /// In-process live events; across nodes through Redis when <c>ConnectionStrings:Redis</c> is set. Either way pages
    /// subscribe to <see cref="ILiveEvents"/> and receive only this node's deliveries. Also the cache of the answers that
    /// open pages share, which the events keep current.
    /// </summary>
    public static IServiceCollection AddPortalLiveEvents(this IServiceCollection services)
    {
        services.AddSingleton<InProcessLiveEvents>();
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<RedisLiveEvents>();
        services.AddSingleton<ILiveEvents>(sp => sp.GetRequiredService<RedisConnection>().IsConfigured
            ? sp.GetRequiredService<RedisLiveEvents>()
            : sp.GetRequiredService<InProcessLiveEvents>());
        services.AddHostedService<RedisListener>();

        // Answers shared by open pages, in each node's memory (see LiveViewCache).
        services.AddHybridCache();
        services.AddSingleton<LiveViewCache>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        return services;
    }

    /// <summary>Starts the Redis listener with the host, when there is Redis.</summary>
    private sealed class RedisListener(RedisConnection redis, IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            redis.IsConfigured ? services.GetRequiredService<RedisLiveEvents>().StartAsync(cancellationToken) : Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) =>
            redis.IsConfigured ? services.GetRequiredService<RedisLiveEvents>().StopAsync(cancellationToken) : Task.CompletedTask;
    }
}
