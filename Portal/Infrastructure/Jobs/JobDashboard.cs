using Hangfire;
using Hangfire.Dashboard;
using Portal.Infrastructure.Security;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// The Hangfire dashboard at /hangfire: Administrators may act (retry, delete, trigger), Coordinators may look, anyone
/// else is refused. The decision is made from the signed-in cookie principal the app's authentication has already
/// validated (server-side session included), never from anything the dashboard itself knows.
/// </summary>
public sealed class StaffDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => CanView(UserScope.FromPrincipal(context.GetHttpContext().User));

    public static bool CanView(UserScope? scope) => scope is { IsAdministrator: true } or { IsCoordinator: true };

    public static bool IsReadOnly(DashboardContext context) =>
        UserScope.FromPrincipal(context.GetHttpContext().User) is not { IsAdministrator: true };
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
            Authorization = [new StaffDashboardAuthorization()],
            IsReadOnlyFunc = StaffDashboardAuthorization.IsReadOnly,
            AppPath = "/",
            DashboardTitle = "Portal jobs",
            DisplayStorageConnectionString = false,
        }, endpoints.ServiceProvider.GetRequiredService<JobStorage>());
        return endpoints;
    }
}
