using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Security;

/// <summary>
/// Identity's sign-in with the portal's rules: disabled accounts, and those of a provider shut out, cannot sign in;
/// every sign-in starts a server-side session; and when two-factor is required an account without an authenticator
/// is sent to enrolment instead of being signed in.
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
    IOptionsMonitor<SecurityOptions> security,
    IDbContextFactory<PortalDbContext> dbFactory)
    : SignInManager<StaffUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>The cookie scheme that holds a user who passed the password step and must now set up an authenticator.</summary>
    public const string EnrolmentScheme = "Portal.TwoFactorEnrolment";

    /// <summary>On a code step reached without the right password: no code can complete it.</summary>
    private const string PasswordUnprovenClaim = "portal:password-unproven";

    public override async Task<bool> CanSignInAsync(StaffUser user)
    {
        if (user.IsDisabled)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        return !await ProviderStaff.IsShutOutAsync(db, user.ProviderId) && await base.CanSignInAsync(user);
    }

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

    /// <summary>
    /// Puts the browser at the code step of <paramref name="user"/> as a right password would, for a wrong one: under a
    /// guessing attack the two answers must look alike. The mark is inside the protected cookie, so it cannot be removed.
    /// </summary>
    public async Task BeginUnprovenTwoFactorAsync(StaffUser user)
    {
        var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Id));
        identity.AddClaim(new Claim(PasswordUnprovenClaim, "true"));
        await Context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient) =>
        await PasswordUnprovenAsync() ? SignInResult.Failed : await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode) =>
        await PasswordUnprovenAsync() ? SignInResult.Failed : await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);

    private async Task<bool> PasswordUnprovenAsync() =>
        (await Context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme)).Principal?.HasClaim(c => c.Type == PasswordUnprovenClaim) == true;

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
