using Portal.Features.Cases;
using Portal.Features.Dashboard;
using Portal.Features.Health;
using Portal.Features.Intake;
using Portal.Features.Localization;
using Portal.Features.Referrals;
using Portal.Features.Reminders;
using Portal.Features.Retention;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Infrastructure.Web;

public static class PortalServices
{
    /// <summary>
    /// Every service of the portal, in one place: the web app registers them, and so do the in-process benchmarks
    /// that run the portal's own services on a loaded database without the HTTP pipeline.
    /// </summary>
    public static WebApplicationBuilder AddPortalServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalUi();
        builder.Services.AddPortalLocalization();
        builder.AddPortalDataProtection();
        builder.AddPortalData();
        builder.Services.AddPortalHealth();
        builder.AddPortalSecurity();
        builder.Services.AddPortalLiveEvents();
        builder.Services.AddPortalCases();
        builder.AddPortalReminders();
        builder.Services.AddPortalDashboard();
        builder.Services.AddPortalReferrals();
        builder.AddPortalIntake();
        builder.AddPortalRetention();
        return builder;
    }
}
