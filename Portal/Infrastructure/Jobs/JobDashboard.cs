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
/// Appends the dashboard after the app's own pipeline, so a request reaches it only through the app's security
/// headers, authentication and fallback authorization policy (an anonymous visitor is sent to sign in first).
/// Done here rather than in Program.cs so that the jobs part stays one line there.
/// </summary>
internal sealed class JobDashboardStartupFilter(JobStorage storage) : IStartupFilter
{
    public const string Path = "/hangfire";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.UseHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [new StaffDashboardAuthorization()],
            IsReadOnlyFunc = StaffDashboardAuthorization.IsReadOnly,
            AppPath = "/",
            DashboardTitle = "Portal jobs",
            DisplayStorageConnectionString = false,
        }, storage);
    };
}
