namespace Portal.Features.Referrals;

public static class ReferralsExtensions
{
    /// <summary>Referrals and the follow-ups of a case.</summary>
    public static IServiceCollection AddPortalReferrals(this IServiceCollection services)
    {
        services.AddScoped<ReferralService>();
        services.AddScoped<FollowUpService>();
        return services;
    }
}
