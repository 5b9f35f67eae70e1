namespace Portal.Features.Cases;

public static class CasesExtensions
{
    public static IServiceCollection AddPortalCases(this IServiceCollection services)
    {
        services.AddScoped<CaseService>();
        services.AddSingleton<CasePresence>();
        services.AddHostedService<PresenceRelay>();
        return services;
    }
}
