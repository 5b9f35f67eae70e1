using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Portal.Infrastructure.Security;

/// <summary>
/// A circuit keeps the principal it started with, so it re-checks the server-side session on an interval:
/// a disabled user, changed roles or countries, a sign-out in another tab, idleness or the absolute limit
/// turn the circuit anonymous, and the router then sends the page to the sign-in form.
/// </summary>
public sealed class PortalAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    SessionStore sessions,
    IOptionsMonitor<SecurityOptions> security,
    IOptions<IdentityOptions> identity)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => security.CurrentValue.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var principal = authenticationState.User;
        var sessionId = principal.FindFirst(PortalClaimTypes.SessionId)?.Value;
        var userId = principal.FindFirst(identity.Value.ClaimsIdentity.UserIdClaimType)?.Value;
        var stamp = principal.FindFirst(identity.Value.ClaimsIdentity.SecurityStampClaimType)?.Value;
        if (sessionId is null || userId is null)
        {
            return false;
        }

        var check = await sessions.CheckAsync(sessionId, userId, stamp, recordActivity: false, cancellationToken);
        return check.IsValid;
    }
}
