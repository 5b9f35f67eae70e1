using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Configuration;

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
        builder.Services.AddDbContextFactory<PortalDbContext>((services, db) => db
            .UseSqlite(connectionString)
            .ReplaceService<IModelCacheKeyFactory, PortalModelCacheKeyFactory>()
            .AddInterceptors(new SqlitePragmaInterceptor(), services.GetRequiredService<AuditStampInterceptor>()));
        return builder;
    }

    /// <summary>Applies pending migrations (never EnsureCreated) and switches the file to WAL.</summary>
    public static async Task MigratePortalDatabaseAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
        }
    }
}

/// <summary>The resolved absolute data folder.</summary>
public sealed record PortalDataLocation(string Directory);
