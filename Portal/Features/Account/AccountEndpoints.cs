using Microsoft.AspNetCore.Antiforgery;
using Portal.Domain.Audit;
using Portal.Features.Drafts;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Security;

namespace Portal.Features.Account;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post from the user menu. The session ends on the server, so every tab of this browser loses
        // access at its next request or circuit revalidation, not just this one.
        endpoints.MapPost(AccountPaths.Logout, async (HttpContext context, PortalSignInManager signInManager, SessionStore sessions, IAuditLog audit, DraftService drafts) =>
            {
                // With a body, so the status-code page is not re-executed (as a POST) on top of it.
                if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
                {
                    return Results.BadRequest("The sign-out form has expired. Reload the page and sign out again.");
                }

                if (context.User.FindFirst(PortalClaimTypes.SessionId)?.Value is { } sessionId)
                {
                    await sessions.EndAsync(sessionId, SessionEndReason.SignedOut);
                    await audit.RecordAsync(AuditAction.SignedOut, nameof(StaffUser), UserScope.FromPrincipal(context.User)?.UserId);
                }

                // Signing out says "I am done here": text left unsaved does not outlive it on the server.
                if (UserScope.FromPrincipal(context.User)?.UserId is { } userId)
                {
                    await drafts.DiscardAllOfAsync(userId);
                }

                await signInManager.SignOutAsync();
                return Results.LocalRedirect($"{AccountPaths.Login}?signedOut=true");
            })
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .AllowAnonymous();

        // Reported by ActivityBeacon.razor.js; the cookie check that precedes it records the activity.
        endpoints.MapPost(AccountPaths.Activity, (HttpContext context) =>
                context.Request.Headers.ContainsKey(AccountPaths.ActivityHeader) ? Results.NoContent() : Results.BadRequest("Missing header."))
            .RequireAuthorization()
            .DisableAntiforgery();
        return endpoints;
    }
}
