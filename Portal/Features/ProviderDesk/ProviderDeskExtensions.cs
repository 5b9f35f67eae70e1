namespace Portal.Features.ProviderDesk;

public static class ProviderDeskExtensions
{
    /// <summary>The provider desk: the referrals a provider's staff read and answer, and the referral letter.</summary>
    public static IServiceCollection AddProviderDesk(this IServiceCollection services)
    {
        services.AddScoped<ProviderDeskService>();
        services.AddSingleton<ReferralLetter>();
        return services;
    }
}
