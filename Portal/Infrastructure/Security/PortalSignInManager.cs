using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Portal.Infrastructure.Security;

/// <summary>
/// Identity's sign-in with the portal's rules: disabled accounts cannot sign in, every sign-in starts a
/// server-side session, and when two-factor is required an account without an authenticator is sent to
/// enrolment instead of being signed in.
/// </summary>
public sealed class PortalSignInManager(
    UserManager<StaffUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<StaffUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<StaffUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<StaffUser> confirmation,
    SessionStore sessions,
    IOptionsMonitor<SecurityOptions> security)
    : SignInManager<StaffUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>The cookie scheme that holds a user who passed the password step and must now set up an authenticator.</summary>
    public const string EnrolmentScheme = "Portal.TwoFactorEnrolment";

    public override async Task<bool> CanSignInAsync(StaffUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);

    public override async Task SignInWithClaimsAsync(StaffUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var sessionId = await sessions.StartAsync(user.Id);
        var properties = authenticationProperties ?? new AuthenticationProperties();
        properties.IsPersistent = false; // a browser-session cookie; the server decides how long the session lives
        properties.AllowRefresh = false;
        await base.SignInWithClaimsAsync(user, properties, [.. additionalClaims.Where(c => c.Type != PortalClaimTypes.SessionId), new Claim(PortalClaimTypes.SessionId, sessionId)]);
    }

    /// <summary>Signs in a user who has just enrolled an authenticator (and so proved a code) from the enrolment state.</summary>
    public async Task CompleteEnrolmentSignInAsync(StaffUser user)
    {
        await Context.SignOutAsync(EnrolmentScheme);
        await SignInWithClaimsAsync(user, authenticationProperties: null, [new Claim(PortalClaimTypes.AuthenticationMethod, "mfa")]);
    }

    /// <summary>
    /// Puts a user who has just proved who they are (a password, or a one-time enrolment link) in the enrolment state:
    /// signed in nowhere, allowed only to set up an authenticator for ten minutes.
    /// </summary>
    public async Task BeginEnrolmentAsync(StaffUser user)
    {
        var identity = new ClaimsIdentity(EnrolmentScheme);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id));
        await Context.SignInAsync(EnrolmentScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>The user in the enrolment state, if any.</summary>
    public async Task<StaffUser?> GetEnrolmentUserAsync()
    {
        var result = await Context.AuthenticateAsync(EnrolmentScheme);
        var userId = result.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return null;
        }

        var user = await UserManager.FindByIdAsync(userId);
        return user is not null && await CanSignInAsync(user) ? user : null;
    }

    public override async Task SignOutAsync()
    {
        await base.SignOutAsync();
        await Context.SignOutAsync(EnrolmentScheme);
    }

    protected override async Task<SignInResult> SignInOrTwoFactorAsync(StaffUser user, bool isPersistent, string? loginProvider = null, bool bypassTwoFactor = false)
    {
        if (security.CurrentValue.RequireTwoFactor && !await UserManager.GetTwoFactorEnabledAsync(user))
        {
            await BeginEnrolmentAsync(user);
            return TwoFactorEnrolmentRequired.Instance;
        }

        return await base.SignInOrTwoFactorAsync(user, isPersistent: false, loginProvider, bypassTwoFactor);
    }
}

/// <summary>The password was right, but the account must set up an authenticator before it is signed in.</summary>
public sealed class TwoFactorEnrolmentRequired : SignInResult
{
    public static readonly TwoFactorEnrolmentRequired Instance = new();
}
