using Portal.Features.Dashboard;
using Portal.Features.Documents;
using Portal.Features.ProviderDesk;
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

WebApplication? app = null;
try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddPortalConfiguration();
    builder.AddPortalServices();

    app = builder.Build();
    app.HoldPortalDataFolder();

    await app.MigratePortalDatabaseAsync(db => PreMigrationBackup.TakeIfNeededAsync(app.Services, db, app.Logger));
    await app.VerifyPortalKeyRingAsync();
    await app.SeedPortalAccountsAsync();
    await app.SeedPortalDemoDataAsync();
    app.UsePortalPipeline();
    app.MapPortalDashboard();
    app.MapPortalDocuments();
    app.MapPortalProviderDesk();

    await app.RunAsync();
    return 0;
}
catch (StartupRefusedException refusal)
{
    // An operator's problem with a plain answer: the message alone, no stack trace, and last: disposing the app first
    // flushes the console log's queue, whose entries would otherwise print after it.
    if (app is not null)
    {
        await app.DisposeAsync();
    }

    await Console.Error.WriteLineAsync(refusal.Message);
    return StartupRefusedException.ExitCode;
}

// Exposed for WebApplicationFactory<Program> in the integration tests.
public partial class Program;
