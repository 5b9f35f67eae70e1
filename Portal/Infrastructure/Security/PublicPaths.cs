using Microsoft.AspNetCore.Authorization;

namespace Portal.Infrastructure.Security;

/// <summary>
/// Everything needs a signed-in staff member except the public help pages, the language switch and the
/// account pages (which mark their own needs); /health and static files are opened where they are mapped.
/// This is the fallback policy, so a new page is protected unless it is deliberately public.
/// </summary>
public static class PublicPaths
{
    /// <summary>Where a Provider user works, and the only staff pages they may open.</summary>
    public const string ProviderDesk = "/provider";

    /// <summary>The pages a refused or failed request is answered with (re-executed), which every signed-in user may get.</summary>
    public const string NotFound = "/not-found";

    /// <inheritdoc cref="NotFound"/>
    public const string Error = "/Error";

    /// <summary>
    /// Whether this signed-in user may open this path: the office's staff anything, a Provider user only the provider desk,
    /// the home page (which sends them there) and the circuit they run on. Services refuse them everything else too; this
    /// keeps them off the staff pages' frames.
    /// </summary>
    public static bool AllowsStaff(UserScope scope, PathString path) =>
        !scope.IsProvider
        || path == "/"
        || path.StartsWithSegments(ProviderDesk, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(NotFound, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(Error, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase);

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
        var path = context.Resource is HttpContext http ? http.Request.Path : (PathString?)null;
        if ((UserScope.FromPrincipal(context.User) is { } scope && (path is not { } asked || PublicPaths.AllowsStaff(scope, asked)))
            || (path is { } open && PublicPaths.IsPublic(open)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
