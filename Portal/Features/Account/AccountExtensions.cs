using Microsoft.AspNetCore.Identity;
using Portal.Infrastructure.Security;

namespace Portal.Features.Account;

public static class AccountExtensions
{
    /// <summary>Signing in and out (with its rate limits), two-factor enrolment, one-time enrolment links, changing one's password, and Identity's messages in the staff's language.</summary>
    public static IServiceCollection AddPortalAccount(this IServiceCollection services)
    {
        services.AddScoped<SignInService>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<TwoFactorService>();
        services.AddScoped<AccountService>();
        services.AddScoped<ThemePreferenceService>();
        services.AddScoped<EnrolmentLinkService>();
        services.AddScoped<EnrolmentService>();
        services.AddScoped<IPasswordValidator<StaffUser>, PortalPasswordValidator>();
        services.AddScoped<IdentityErrorDescriber, LocalizedIdentityErrorDescriber>();
        services.AddPortalLoginRateLimits();
        return services;
    }
}
