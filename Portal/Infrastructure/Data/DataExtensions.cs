using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Infrastructure.Configuration;
using Portal.Infrastructure.Data.Configurations;
using Portal.Infrastructure.Data.Seeding;

namespace Portal.Infrastructure.Data;

public static class DataExtensions
{
    /// <summary>
    /// The portal's database: an SQLite file in the data folder (default), or PostgreSQL when
    /// <c>Portal:Database:Provider</c> is <c>Postgres</c>. Services see the same <see cref="IDbContextFactory{PortalDbContext}"/>
    /// either way.
    /// </summary>
    public static WebApplicationBuilder AddPortalData(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        var dataDirectory = options.ResolveDataDirectory(builder.Environment.ContentRootPath);
        var database = DatabaseSettings.From(builder.Configuration, builder.Environment.ContentRootPath);
        DataFolder.EnsureWritable(dataDirectory);

        // Embedded: the folder is the serving portal's alone while it runs. Taken when the portal starts
        // (HoldPortalDataFolder), not by the console commands, which are made to run beside it; disposed, and so
        // released, with the host.
        if (!database.IsPostgres && !EF.IsDesignTime)
        {
            builder.Services.AddSingleton(_ => DataFolder.Lock(dataDirectory, TimeProvider.System));
        }

        builder.Services.AddSingleton(new PortalDataLocation(dataDirectory));
        builder.Services.AddSingleton(database);
        builder.Services.Configure<NodeOptions>(builder.Configuration.GetSection(NodeOptions.Section));
        builder.Services.AddSingleton<PortalNode>();
        builder.Services.AddSingleton<NodeHeartbeat>();
        builder.Services.AddHostedService(services => services.GetRequiredService<NodeHeartbeat>());
        builder.Services.AddSingleton<NodeLiveness>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuditStampInterceptor>();
        builder.Services.AddSingleton<ProtectedFieldsInterceptor>();
        builder.Services.AddSingleton<CaseNumbers>();
        builder.Services.AddSingleton<DatabaseLocks>();
        builder.Services.AddSingleton<DemoDataSeeder>();
        if (database.IsPostgres)
        {
            builder.Services.AddDbContextFactory<PostgresPortalDbContext>((services, db) => db
                .UseNpgsql(database.ConnectionString)
                .AddInterceptors(
                    ProtectedFieldsMaterializer.Instance,
                    services.GetRequiredService<ProtectedFieldsInterceptor>(),
                    services.GetRequiredService<AuditStampInterceptor>()));
            builder.Services.AddSingleton<IDbContextFactory<PortalDbContext>, PostgresContextFactory>();
            builder.Services.AddScoped<PortalDbContext>(services => services.GetRequiredService<PostgresPortalDbContext>());
        }
        else
        {
            builder.Services.AddDbContextFactory<PortalDbContext>((services, db) => db
                .UseSqlite(database.ConnectionString)
                .AddInterceptors(
                    new SqlitePragmaInterceptor(database.BusyTimeout),
                    ProtectedFieldsMaterializer.Instance,
                    services.GetRequiredService<ProtectedFieldsInterceptor>(),
                    services.GetRequiredService<AuditStampInterceptor>()));
        }

        return builder;
    }

    /// <summary>Takes the embedded data folder for this portal: a second portal on it is refused, naming the holder.</summary>
    /// <exception cref="StartupRefusedException">Another process holds the folder.</exception>
    public static void HoldPortalDataFolder(this WebApplication app) => _ = app.Services.GetService<DataFolderLock>();

    /// <summary>
    /// Applies pending migrations (never EnsureCreated), after <paramref name="beforeMigrating"/> (the composition root
    /// passes the copy of a database that holds data; infrastructure knows no feature), guards the audit log and inserts the default countries into an empty database. SQLite: switches the file to WAL. PostgreSQL: creates the database when it is missing and runs the
    /// whole start-up under an advisory lock, so nodes starting together migrate once and share one first key.
    /// </summary>
    public static async Task MigratePortalDatabaseAsync(this WebApplication app, Func<PortalDbContext, Task> beforeMigrating)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        if (db.Database.IsNpgsql())
        {
            await CreatePostgresDatabaseIfMissingAsync(db);
            await db.Database.OpenConnectionAsync();
            try
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(" + StartupLockKey + ")");
                await beforeMigrating(db);
                await db.Database.MigrateAsync();
                await db.Database.ExecuteSqlRawAsync(PostgresAuditLogTriggers);
                await db.Database.ExecuteSqlRawAsync(PortalDbFunctions.PostgresDaysFunction);
                await db.Database.ExecuteSqlRawAsync(CaseConfiguration.CountryAllegationsIndexSql);
                await KeepCaseSortKeysAsync(db, """SELECT count(*) AS "Value" FROM pg_trigger WHERE tgname = {0}""", CaseSortKeys.PostgresTriggers);
                await KeepTriggersAsync(db, """SELECT count(*) AS "Value" FROM pg_trigger WHERE tgname = {0}""", CaseReferralTypes.MarkerTrigger, CaseReferralTypes.PostgresTriggers, CaseReferralTypes.RecomputeSql);
                await db.Database.ExecuteSqlRawAsync(AllegationYearCounts.PostgresCreate);
                await KeepTriggersAsync(db, """SELECT count(*) AS "Value" FROM pg_trigger WHERE tgname = {0}""", AllegationYearCounts.MarkerTrigger, AllegationYearCounts.PostgresTriggers, AllegationYearCounts.PostgresRecomputeSql);
                await KeepTriggersAsync(db, """SELECT count(*) AS "Value" FROM pg_trigger WHERE tgname = {0}""", CaseCountryCopies.MarkerTrigger, CaseCountryCopies.PostgresTriggers, CaseCountryCopies.RecomputeSql);
                await KeepTriggersAsync(db, """SELECT count(*) AS "Value" FROM pg_trigger WHERE tgname = {0}""", CaseOverdueKey.MarkerTrigger, CaseOverdueKey.PostgresTriggers, CaseOverdueKey.PostgresRecomputeSql);
                await KeepTriggersAsync(db, """SELECT count(*) AS "Value" FROM pg_trigger WHERE tgname = {0}""", CaseFirstContactDelay.MarkerTrigger, CaseFirstContactDelay.PostgresTriggers, CaseFirstContactDelay.PostgresRecomputeSql);
                await db.Database.ExecuteSqlRawAsync(CaseNumberSearch.PostgresIndex);
                await ReferenceData.SeedCountriesAsync(db);

                // The first node to start creates the key ring's first key while it holds the lock; the others then find
                // it instead of each creating a key of their own that the rest would not know until they reload.
                app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Portal.Startup").Protect("ready");
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(" + StartupLockKey + ")");
                await db.Database.CloseConnectionAsync();
            }

            return;
        }

        await beforeMigrating(db);
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
        await db.Database.ExecuteSqlRawAsync(SqliteAuditLogTriggers);
        await db.Database.ExecuteSqlRawAsync(CaseConfiguration.CountryAllegationsIndexSql);
        await KeepCaseSortKeysAsync(db, """SELECT count(*) AS "Value" FROM sqlite_master WHERE type = 'trigger' AND name = {0}""", CaseSortKeys.SqliteTriggers);
        await KeepTriggersAsync(db, """SELECT count(*) AS "Value" FROM sqlite_master WHERE type = 'trigger' AND name = {0}""", CaseReferralTypes.MarkerTrigger, CaseReferralTypes.SqliteTriggers, CaseReferralTypes.RecomputeSql);
        await db.Database.ExecuteSqlRawAsync(AllegationYearCounts.SqliteCreate);
        await KeepTriggersAsync(db, """SELECT count(*) AS "Value" FROM sqlite_master WHERE type = 'trigger' AND name = {0}""", AllegationYearCounts.MarkerTrigger, AllegationYearCounts.SqliteTriggers, AllegationYearCounts.SqliteRecomputeSql);
        await KeepTriggersAsync(db, """SELECT count(*) AS "Value" FROM sqlite_master WHERE type = 'trigger' AND name = {0}""", CaseCountryCopies.MarkerTrigger, CaseCountryCopies.SqliteTriggers, CaseCountryCopies.RecomputeSql);
        await KeepTriggersAsync(db, """SELECT count(*) AS "Value" FROM sqlite_master WHERE type = 'trigger' AND name = {0}""", CaseOverdueKey.MarkerTrigger, CaseOverdueKey.SqliteTriggers, CaseOverdueKey.SqliteRecomputeSql);
        await KeepTriggersAsync(db, """SELECT count(*) AS "Value" FROM sqlite_master WHERE type = 'trigger' AND name = {0}""", CaseFirstContactDelay.MarkerTrigger, CaseFirstContactDelay.SqliteTriggers, CaseFirstContactDelay.SqliteRecomputeSql);
        await CaseNumberSearch.KeepSqliteAsync(db);
        await ReferenceData.SeedCountriesAsync(db);
    }

    // Replaced on every start, so a changed rule reaches existing databases; where they were missing, the keys of the
    // cases already there are worked out once.
    private static Task KeepCaseSortKeysAsync(PortalDbContext db, string markerExistsSql, string triggers) =>
        KeepTriggersAsync(db, markerExistsSql, CaseSortKeys.MarkerTrigger, triggers, CaseSortKeys.RecomputeSql);

    private static async Task KeepTriggersAsync(PortalDbContext db, string markerExistsSql, string marker, string triggers, string recomputeSql)
    {
        var existed = await db.Database.SqlQueryRaw<int>(markerExistsSql, marker).SingleAsync() > 0;
        await db.Database.ExecuteSqlRawAsync(triggers);
        if (!existed)
        {
            await db.Database.ExecuteSqlRawAsync(recomputeSql);
        }
    }

    /// <summary>
    /// Seeds demo data in Development when <c>Portal:SeedDemoData</c> is on. Run it
    /// after the demo accounts exist, so that cases are assigned to the demo advocates. Costs one query once seeded.
    /// </summary>
    public static async Task SeedPortalDemoDataAsync(this WebApplication app)
    {
        if (app.Environment.IsDevelopment() && app.Services.GetRequiredService<IOptions<PortalOptions>>().Value is { SeedDemoData: true, SeedDemoCases: true })
        {
            await app.Services.GetRequiredService<DemoDataSeeder>().SeedAsync();
        }
    }

    // Two nodes may both find the database missing; the second one's CREATE DATABASE fails with duplicate_database.
    private static async Task CreatePostgresDatabaseIfMissingAsync(PortalDbContext db)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync())
        {
            return;
        }

        try
        {
            await creator.CreateAsync();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another node created it a moment ago.
        }
    }

    /// <summary>An arbitrary constant naming the portal's start-up lock.</summary>
    private const string StartupLockKey = "94913424179201";

    // The context refuses to update or delete audit entries (AuditStampInterceptor); these refuse what bypasses
    // SaveChanges: ExecuteUpdate/ExecuteDelete and raw SQL. Start-up rather than migration, because the one "Initial"
    // migration is regenerated from the model until release and would lose hand-written SQL.
    private const string SqliteAuditLogTriggers =
        """
        CREATE TRIGGER IF NOT EXISTS "AuditEntries_AppendOnly_NoUpdate" BEFORE UPDATE ON "AuditEntries"
        BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: entries cannot be changed.'); END;
        CREATE TRIGGER IF NOT EXISTS "AuditEntries_AppendOnly_NoDelete" BEFORE DELETE ON "AuditEntries"
        BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: entries cannot be deleted.'); END;
        """;

    // The same on PostgreSQL, plus TRUNCATE, which fires no row triggers. Replaced on every start (under the start-up
    // lock), so a changed message or rule reaches existing databases.
    private const string PostgresAuditLogTriggers =
        """
        CREATE OR REPLACE FUNCTION "AuditEntries_RefuseRewrite"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                RAISE EXCEPTION 'The audit log is append-only: entries cannot be changed.' USING ERRCODE = 'restrict_violation';
            END IF;
            RAISE EXCEPTION 'The audit log is append-only: entries cannot be deleted.' USING ERRCODE = 'restrict_violation';
        END
        $$;
        DROP TRIGGER IF EXISTS "AuditEntries_AppendOnly_NoUpdate" ON "AuditEntries";
        CREATE TRIGGER "AuditEntries_AppendOnly_NoUpdate" BEFORE UPDATE ON "AuditEntries"
            FOR EACH ROW EXECUTE FUNCTION "AuditEntries_RefuseRewrite"();
        DROP TRIGGER IF EXISTS "AuditEntries_AppendOnly_NoDelete" ON "AuditEntries";
        CREATE TRIGGER "AuditEntries_AppendOnly_NoDelete" BEFORE DELETE ON "AuditEntries"
            FOR EACH ROW EXECUTE FUNCTION "AuditEntries_RefuseRewrite"();
        DROP TRIGGER IF EXISTS "AuditEntries_AppendOnly_NoTruncate" ON "AuditEntries";
        CREATE TRIGGER "AuditEntries_AppendOnly_NoTruncate" BEFORE TRUNCATE ON "AuditEntries"
            FOR EACH STATEMENT EXECUTE FUNCTION "AuditEntries_RefuseRewrite"();
        """;
}

/// <summary>The resolved absolute data folder.</summary>
public sealed record PortalDataLocation(string Directory);
