using Microsoft.AspNetCore.Authorization;

namespace Portal.Infrastructure.Security;

/// <summary>
/// Everything needs a signed-in staff member except the public help pages, the language switch and the
/// account pages (which mark their own needs); /health and static files are opened where they are mapped.
/// This is the fallback policy, so a new page is protected unless it is deliberately public.
/// </summary>
public static class PublicPaths
{
    public static bool IsPublic(PathString path) =>
        path.StartsWithSegments("/help", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/culture", StringComparison.OrdinalIgnoreCase);
}

public sealed class StaffOrPublicPathRequirement : IAuthorizationRequirement;

internal sealed class StaffOrPublicPathHandler : AuthorizationHandler<StaffOrPublicPathRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, StaffOrPublicPathRequirement requirement)
    {
        if (UserScope.FromPrincipal(context.User) is not null
            || (context.Resource is HttpContext http && PublicPaths.IsPublic(http.Request.Path)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
