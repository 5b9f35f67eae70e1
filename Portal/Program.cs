using Portal.Features.Cases;
using Portal.Features.Dashboard;
using Portal.Features.Health;
using Portal.Features.Intake;
using Portal.Features.Localization;
using Portal.Features.Reminders;
using Portal.Features.Referrals;
using Portal.Infrastructure.Configuration;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Infrastructure.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddPortalConfiguration();
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

var app = builder.Build();

await app.MigratePortalDatabaseAsync();
await app.SeedPortalAccountsAsync();
await app.SeedPortalDemoDataAsync();
app.UsePortalPipeline();
app.MapPortalDashboard();

await app.RunAsync();

// Exposed for WebApplicationFactory<Program> in the integration tests.
public partial class Program;
