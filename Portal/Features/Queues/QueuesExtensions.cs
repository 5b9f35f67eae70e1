namespace Portal.Features.Queues;

public static class QueuesExtensions
{
    /// <summary>The case queues and the users' saved queues.</summary>
    public static IServiceCollection AddPortalQueues(this IServiceCollection services)
    {
        services.AddScoped<QueueService>();
        services.AddSingleton<QueueViewCache>();
        // Scoped: it audits refusals as the signed-in user.
        services.AddScoped<SavedQueueService>();
        return services;
    }
}
