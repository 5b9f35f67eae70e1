using Hangfire;
using Hangfire.Dashboard;
using Portal.Domain.Audit;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Security;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// The Hangfire dashboard at /hangfire: Administrators may act (retry, delete, trigger), Coordinators may look, anyone
/// else is refused. The decision is made from the signed-in cookie principal the app's authentication has already
/// validated (server-side session included), never from anything the dashboard itself knows. A Coordinator's command
/// (any POST but the statistics poll) is refused here too, not only hidden, and every refusal of a signed-in user is
/// written to the audit trail like any other.
/// </summary>
public sealed class StaffDashboardAuthorization : IDashboardAsyncAuthorizationFilter
{
    public const string RecordType = "JobDashboard";

    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var scope = UserScope.FromPrincipal(http.User);
        var command = IsCommand(http.Request);
        if (CanView(scope) && (!command || scope is { IsAdministrator: true }))
        {
            return true;
        }

        if (scope is not null)
        {
            await http.RequestServices.GetRequiredService<IAuditLog>().RecordAsync(
                AuditAction.AccessDenied, RecordType, null, command ? "act on jobs" : "view the job dashboard", http.RequestAborted);
        }

        return false;
    }

    public static bool CanView(UserScope? scope) => scope is { IsAdministrator: true } or { IsCoordinator: true };

    public static bool IsReadOnly(DashboardContext context) =>
        UserScope.FromPrincipal(context.GetHttpContext().User) is not { IsAdministrator: true };

    /// <summary>Every POST of the dashboard is a command except its statistics poll.</summary>
    private static bool IsCommand(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
        && !request.Path.Value!.EndsWith("/stats", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Maps the dashboard as an endpoint of the app's routing, so a request reaches it through the app's security headers,
/// authentication and fallback authorization policy (an anonymous visitor is sent to sign in first). As an endpoint it
/// also wins over the development static-file fallback (GET and HEAD only), which answered the dashboard's POSTs (the
/// statistics refresh, every command) with 405 when the dashboard ran as middleware after the endpoints.
/// </summary>
public static class JobDashboard
{
    public const string Path = "/hangfire";

    public static IEndpointRouteBuilder MapPortalJobDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new StaffDashboardAuthorization()],
            IsReadOnlyFunc = StaffDashboardAuthorization.IsReadOnly,
            AppPath = "/",
            DashboardTitle = "Portal jobs",
            DisplayStorageConnectionString = false,
        }, endpoints.ServiceProvider.GetRequiredService<JobStorage>());
        return endpoints;
    }
}
