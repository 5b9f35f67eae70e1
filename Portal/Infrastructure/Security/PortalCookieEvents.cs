using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.Options;

namespace Portal.Infrastructure.Security;

/// <summary>
/// Every request with a session cookie checks the server-side session (open, not idle, within the absolute
/// limit, user enabled, security stamp unchanged); a failed check signs the browser out at once. This
/// replaces Identity's periodic security-stamp validator, which would let a revoked cookie live for minutes.
/// </summary>
public sealed class PortalCookieEvents(SessionStore sessions, IOptions<IdentityOptions> identity) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        // Static files are the same for everyone and need no session; skipping them saves a query per asset.
        if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is not null)
        {
            return;
        }

        var principal = context.Principal;
        var sessionId = principal?.FindFirst(PortalClaimTypes.SessionId)?.Value;
        var userId = principal?.FindFirst(identity.Value.ClaimsIdentity.UserIdClaimType)?.Value;
        var stamp = principal?.FindFirst(identity.Value.ClaimsIdentity.SecurityStampClaimType)?.Value;
        if (sessionId is null || userId is null)
        {
            await RejectAsync(context);
            return;
        }

        // The circuit's own connection requests (and long polling) are not the user doing anything.
        var recordActivity = !context.Request.Path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase);
        var check = await sessions.CheckAsync(sessionId, userId, stamp, recordActivity, context.HttpContext.RequestAborted);
        if (!check.IsValid)
        {
            await RejectAsync(context);
        }
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context) =>
        IsBackgroundRequest(context.Request) ? Status(context, StatusCodes.Status401Unauthorized) : base.RedirectToLogin(context);

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context) =>
        IsBackgroundRequest(context.Request) ? Status(context, StatusCodes.Status403Forbidden) : base.RedirectToAccessDenied(context);

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    // Script and circuit requests cannot follow a redirect to a sign-in form; they get the status instead.
    private static bool IsBackgroundRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase)
        || request.Headers.ContainsKey(AccountPaths.ActivityHeader);

    private static Task Status(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}

/// <summary>Paths of the account pages, shared by the cookie options, the pipeline and the pages.</summary>
public static class AccountPaths
{
    public const string Login = "/account/login";
    public const string LoginTwoFactor = "/account/login-2fa";
    public const string LoginRecoveryCode = "/account/login-recovery";
    public const string TwoFactorSetup = "/account/two-factor/setup";
    public const string Enrol = "/account/enrol";
    public const string Logout = "/account/logout";
    public const string AccessDenied = "/account/access-denied";
    public const string Activity = "/account/activity";

    /// <summary>Sent by the activity script; a cross-site form cannot set it, and the server answers with a status, not a redirect.</summary>
    public const string ActivityHeader = "X-Portal-Activity";

    /// <summary>
    /// Only same-site relative paths are followed, so no redirect of the portal can send a user to another site; a control
    /// character (which the framework's local redirect refuses by throwing) also means "/".
    /// </summary>
    public static string SafeLocalPath(string? redirectUri) =>
        string.IsNullOrEmpty(redirectUri) || !redirectUri.StartsWith('/') || redirectUri.Any(char.IsControl) || redirectUri.StartsWith("//", StringComparison.Ordinal) || redirectUri.StartsWith("/\\", StringComparison.Ordinal)
            ? "/"
            : redirectUri;

    /// <summary>A local path to return to after sign-in; anything else (other sites, the account pages themselves) becomes "/".</summary>
    public static string SafeReturnUrl(string? returnUrl)
    {
        var path = SafeLocalPath(returnUrl);
        return path.StartsWith("/account/", StringComparison.OrdinalIgnoreCase) ? "/" : path;
    }
}
