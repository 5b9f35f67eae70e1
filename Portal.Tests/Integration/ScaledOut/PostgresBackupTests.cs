using Portal.Features.Operations;
using Portal.Features.Operations.Backup;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.ScaledOut;

/// <summary>
/// With PostgreSQL the database (and the key ring in it) is pg_dump's; <c>backup</c> on a node keeps what is outside
/// it, says in the manifest what it left to pg_dump, and <c>restore</c> puts it back into an empty data folder.
/// </summary>
public sealed class PostgresBackupTests
{
    private const string DocumentText = "a statement kept as a document beside PostgreSQL";

    [Fact]
    public async Task A_backup_keeps_the_files_outside_the_database_and_names_pg_dump_for_the_database()
    {
        var database = TestPostgres.NewDatabase("backup");
        try
        {
            using var live = new TempDirectory("portal-pg-backup-live");
            using var backups = new TempDirectory("portal-pg-backup");
            using var restored = new TempDirectory("portal-pg-backup-restored");
            var backup = Path.Combine(backups.Path, "nightly");
            var settings = new Dictionary<string, string>
            {
                ["Portal:SeedDemoData"] = "false",
                ["Portal:Database:Provider"] = "Postgres",
                ["ConnectionStrings:Portal"] = database,
            };
            var withPassphrase = new Dictionary<string, string>(settings) { [OperationsCommands.PassphraseVariable] = "a passphrase for the backups, long" };

            await using (await PortalProcess.StartAsync(live.Path, settings))
            {
                var documents = Directory.CreateDirectory(Path.Combine(live.Path, "documents", "2026")).FullName;
                await File.WriteAllTextAsync(Path.Combine(documents, "statement.txt"), DocumentText);
                var taken = await PortalCli.RunAsync(live.Path, ["backup", "--to", backup, "--passphrase-from-env"], settings: withPassphrase);
                Assert.True(taken.ExitCode == 0, taken.ToString());
            }

            var manifest = await BackupManifest.ReadAsync(backup);
            Assert.NotNull(manifest);
            Assert.Equal("Postgres", manifest.DatabaseProvider);
            Assert.Equal("documents/2026/statement.txt", Assert.Single(manifest.Files).Path);
            Assert.Contains(manifest.NotIncluded, n => n.Contains("pg_dump", StringComparison.Ordinal));
            Assert.DoesNotContain(Directory.EnumerateFiles(backup, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains(DocumentText, StringComparison.Ordinal));

            var refused = await PortalCli.RunAsync(live.Path, ["restore", "--from", backup, "--passphrase-from-env"], settings: withPassphrase);
            Assert.Equal(2, refused.ExitCode);
            var restore = await PortalCli.RunAsync(restored.Path, ["restore", "--from", backup, "--passphrase-from-env"], settings: withPassphrase);
            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.Equal(DocumentText, await File.ReadAllTextAsync(Path.Combine(restored.Path, "documents", "2026", "statement.txt")));
        }
        finally
        {
            TestPostgres.Drop(database);
        }
    }
}
