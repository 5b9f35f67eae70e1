namespace Portal.Features.ProviderDesk;

public static class ProviderDeskExtensions
{
    /// <summary>The provider desk: the referrals a provider's staff read and answer.</summary>
    public static IServiceCollection AddProviderDesk(this IServiceCollection services)
    {
        services.AddScoped<ProviderDeskService>();
        return services;
    }
}
