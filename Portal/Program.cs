using Portal.Features.Dashboard;
using Portal.Infrastructure.Configuration;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Startup;

var builder = WebApplication.CreateBuilder(args);

builder.AddPortalConfiguration();
builder.AddPortalServices();

var app = builder.Build();

await app.MigratePortalDatabaseAsync();
await app.SeedPortalAccountsAsync();
await app.SeedPortalDemoDataAsync();
app.UsePortalPipeline();
app.MapPortalDashboard();

await app.RunAsync();

// Exposed for WebApplicationFactory<Program> in the integration tests.
public partial class Program;
