namespace Portal.Features.ProviderDesk;

public static class ProviderDeskExtensions
{
    /// <summary>What service providers receive of the referrals sent to them: for now, the referral letter.</summary>
    public static IServiceCollection AddProviderDesk(this IServiceCollection services) =>
        services.AddSingleton<ReferralLetter>();
}
