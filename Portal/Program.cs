using Portal.Features.Dashboard;
using Portal.Features.Operations;
using Portal.Features.Operations.Backup;
using Portal.Infrastructure.Configuration;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Startup;

// Console commands for the operator (admin, backup, restore) run and exit; anything else starts the portal.
if (OperationsCommands.Handles(args))
{
    return await OperationsCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddPortalConfiguration();
builder.AddPortalServices();

var app = builder.Build();

await app.MigratePortalDatabaseAsync(db => PreMigrationBackup.TakeIfNeededAsync(app.Services, db, app.Logger));
await app.SeedPortalAccountsAsync();
await app.SeedPortalDemoDataAsync();
app.UsePortalPipeline();
app.MapPortalDashboard();

await app.RunAsync();
return 0;

// Exposed for WebApplicationFactory<Program> in the integration tests.
public partial class Program;
