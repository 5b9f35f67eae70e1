using Portal.Features.Account;
using Portal.Features.Admin;
using Portal.Features.Cases;
using Portal.Features.Children;
using Portal.Features.Dashboard;
using Portal.Features.Documents;
using Portal.Features.Drafts;
using Portal.Features.Health;
using Portal.Features.Intake;
using Portal.Features.Localization;
using Portal.Features.Plans;
using Portal.Features.ProviderDesk;
using Portal.Features.Providers;
using Portal.Features.Queues;
using Portal.Features.Referrals;
using Portal.Features.Reminders;
using Portal.Features.Requests;
using Portal.Features.Retention;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Startup;

public static class PortalServices
{
    /// <summary>
    /// Every service of the portal, in one place: the web app registers them, and so do the in-process benchmarks
    /// that run the portal's own services on a loaded database without the HTTP pipeline.
    /// </summary>
    public static WebApplicationBuilder AddPortalServices(this WebApplicationBuilder builder)
    {
        builder.AddPortalProxy();
        builder.Services.AddPortalUi(builder.Configuration);
        builder.Services.AddPortalLocalization();
        builder.AddPortalDataProtection();
        builder.AddPortalData();
        builder.Services.AddPortalHealth();
        builder.AddPortalSecurity();
        builder.Services.AddPortalAccount();
        builder.Services.AddPortalUserAdministration();
        builder.Services.AddPortalLiveEvents();
        builder.Services.AddPortalCommandPath();
        builder.Services.AddPortalCases();
        builder.Services.AddPortalQueues();
        builder.AddPortalReminders();
        builder.Services.AddPortalDashboard();
        builder.Services.AddPortalReferrals();
        builder.Services.AddPortalRequests();
        builder.Services.AddPortalChildren();
        builder.Services.AddPortalPlans();
        builder.Services.AddPortalDocuments();
        builder.Services.AddPortalProviders();
        builder.Services.AddPortalProviderDesk();
        builder.AddPortalIntake();
        builder.AddPortalRetention();
        builder.AddPortalDrafts();
        return builder;
    }
}
