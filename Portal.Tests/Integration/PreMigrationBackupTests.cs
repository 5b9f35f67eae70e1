using Microsoft.Data.Sqlite;
using Portal.Features.Operations.Backup;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>A start that is about to migrate a database holding data copies it first; a new or current database is left alone.</summary>
public sealed class PreMigrationBackupTests
{
    private static readonly Dictionary<string, string> Settings = new() { ["Portal:SeedDemoData"] = "false" };

    [Fact]
    public async Task A_start_copies_an_existing_database_before_migrating_it_and_only_then()
    {
        using var data = new TempDirectory("portal-premigration");
        await using (var earlier = new SqliteConnection($"Data Source={Path.Combine(data.Path, "portal.db")};Pooling=False"))
        {
            // A database of an earlier version: one migration this version does not have, and data of its own.
            await earlier.OpenAsync();
            await using var command = earlier.CreateCommand();
            command.CommandText =
                """
                CREATE TABLE "__EFMigrationsHistory" ("MigrationId" TEXT NOT NULL PRIMARY KEY, "ProductVersion" TEXT NOT NULL);
                INSERT INTO "__EFMigrationsHistory" VALUES ('00000000000000_Earlier', '10.0.0');
                CREATE TABLE "KeptByEarlierVersion" ("Value" TEXT);
                INSERT INTO "KeptByEarlierVersion" VALUES ('written before the upgrade');
                """;
            await command.ExecuteNonQueryAsync();
        }

        string copy;
        await using (var portal = await PortalProcess.StartAsync(data.Path, Settings))
        {
            copy = Assert.Single(Directory.GetDirectories(Path.Combine(data.Path, PreMigrationBackup.Folder)));
            Assert.Contains("Copied the database to", portal.Output, StringComparison.Ordinal);
        }

        var manifest = await BackupManifest.ReadAsync(copy);
        Assert.NotNull(manifest);
        Assert.Null(manifest.Encryption);
        Assert.Equal("00000000000000_Earlier", manifest.LastMigration);
        Assert.Equal(1, manifest.TableRows["KeptByEarlierVersion"]);
        Assert.DoesNotContain("AuditEntries", manifest.TableRows.Keys); // copied before the migration ran
        Assert.StartsWith($"before-", Path.GetFileName(copy), StringComparison.Ordinal);

        // Started again with nothing to migrate: no second copy.
        await using (await PortalProcess.StartAsync(data.Path, Settings))
        {
            Assert.Single(Directory.GetDirectories(Path.Combine(data.Path, PreMigrationBackup.Folder)));
        }

        // A new installation has nothing to keep.
        using var fresh = new TempDirectory("portal-premigration-fresh");
        await using (await PortalProcess.StartAsync(fresh.Path, Settings))
        {
            Assert.False(Directory.Exists(Path.Combine(fresh.Path, PreMigrationBackup.Folder)));
        }

        SqliteConnection.ClearAllPools();
    }
}
