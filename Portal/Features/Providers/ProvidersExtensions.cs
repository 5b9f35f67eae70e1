namespace Portal.Features.Providers;

public static class ProvidersExtensions
{
    /// <summary>The administration of service providers.</summary>
    public static IServiceCollection AddPortalProviders(this IServiceCollection services) =>
        services.AddScoped<ProviderService>();
}
