namespace Portal.Infrastructure.Live;

public static class LiveExtensions
{
    public static IServiceCollection AddPortalLiveEvents(this IServiceCollection services)
    {
        services.AddSingleton<InProcessLiveEvents>();
        services.AddSingleton<ILiveEvents>(sp => sp.GetRequiredService<InProcessLiveEvents>());
        return services;
    }
}
