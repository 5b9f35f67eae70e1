using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Configuration;
using Portal.Infrastructure.Data.Seeding;

namespace Portal.Infrastructure.Data;

public static class DataExtensions
{
    public static WebApplicationBuilder AddPortalData(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        var dataDirectory = options.ResolveDataDirectory(builder.Environment.ContentRootPath);
        Directory.CreateDirectory(dataDirectory);

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "portal.db"),
            Pooling = true,
        }.ToString();

        builder.Services.AddSingleton(new PortalDataLocation(dataDirectory));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuditStampInterceptor>();
        builder.Services.AddSingleton<CaseNumbers>();
        builder.Services.AddSingleton<DemoDataSeeder>();
        builder.Services.AddDbContextFactory<PortalDbContext>((services, db) => db
            .UseSqlite(connectionString)
            .ReplaceService<IModelCacheKeyFactory, PortalModelCacheKeyFactory>()
            .AddInterceptors(new SqlitePragmaInterceptor(), services.GetRequiredService<AuditStampInterceptor>()));
        return builder;
    }

    /// <summary>
    /// Applies pending migrations (never EnsureCreated), switches the file to WAL, guards the audit log and inserts the
    /// default countries into an empty database.
    /// </summary>
    public static async Task MigratePortalDatabaseAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
            await db.Database.ExecuteSqlRawAsync(AuditLogTriggers);
        }

        await ReferenceData.SeedCountriesAsync(db);
    }

    /// <summary>
    /// Seeds demo cases, providers and their histories in Development when <c>Portal:SeedDemoData</c> is on. Run it
    /// after the demo accounts exist, so that cases are assigned to the demo advocates. Costs one query once seeded.
    /// </summary>
    public static async Task SeedPortalDemoDataAsync(this WebApplication app)
    {
        if (app.Environment.IsDevelopment() && app.Services.GetRequiredService<IOptions<PortalOptions>>().Value is { SeedDemoData: true, SeedDemoCases: true })
        {
            await app.Services.GetRequiredService<DemoDataSeeder>().SeedAsync();
        }
    }

    // The context refuses to update or delete audit entries (AuditStampInterceptor); these refuse what bypasses
    // SaveChanges: ExecuteUpdate/ExecuteDelete and raw SQL. Start-up rather than migration, because the one "Initial"
    // migration is regenerated from the model until release and would lose hand-written SQL.
    private const string AuditLogTriggers =
        """
        CREATE TRIGGER IF NOT EXISTS "AuditEntries_AppendOnly_NoUpdate" BEFORE UPDATE ON "AuditEntries"
        BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: entries cannot be changed.'); END;
        CREATE TRIGGER IF NOT EXISTS "AuditEntries_AppendOnly_NoDelete" BEFORE DELETE ON "AuditEntries"
        BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: entries cannot be deleted.'); END;
        """;
}

/// <summary>The resolved absolute data folder.</summary>
public sealed record PortalDataLocation(string Directory);
