using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Portal.Infrastructure.Security;

/// <summary>
/// Puts the display name, time zone and assigned countries into the principal. They are safe to trust for the life of
/// the session because changing roles or countries changes the security stamp, which ends the session.
/// </summary>
public sealed class StaffClaimsPrincipalFactory(UserManager<StaffUser> userManager, RoleManager<IdentityRole> roleManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(PortalClaimTypes.DisplayName, string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserName ?? "" : user.DisplayName));
        identity.AddClaim(new Claim(PortalClaimTypes.TimeZone, string.IsNullOrWhiteSpace(user.TimeZoneId) ? "UTC" : user.TimeZoneId));
        if (user.ProviderId is { } providerId)
        {
            identity.AddClaim(new Claim(PortalClaimTypes.Provider, providerId.ToString()));
        }

        foreach (var country in user.Countries.Distinct(StringComparer.Ordinal))
        {
            identity.AddClaim(new Claim(PortalClaimTypes.Country, country));
        }

        return identity;
    }
}
