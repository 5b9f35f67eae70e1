using Npgsql;
using Portal.Domain.Cases;
using Portal.Domain.FollowUps;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.ScaledOut;

/// <summary>
/// Two real portal processes sharing PostgreSQL (data and Hangfire queue) and Redis, both running job workers, with
/// one pickup folder for e-mail as a shared mount would give them. Reminders due while both run are delivered exactly
/// once, and killing node A in the middle of the run loses none: node B finishes, taking over A's leases and jobs.
/// </summary>
public sealed class ReminderNodesTests
{
    // With small delivery jobs (see below), enough that node A is killed mid-run on a fast machine; the test says so if not.
    private const int Reminders = 300;

    [Fact]
    public async Task Reminders_due_while_two_nodes_run_are_delivered_exactly_once_and_killing_one_mid_run_loses_none()
    {
        var database = TestPostgres.NewDatabase("reminders");
        using var dataA = new TempDirectory("portal-reminders-a");
        using var dataB = new TempDirectory("portal-reminders-b");
        using var mail = new TempDirectory("portal-reminders-mail");
        try
        {
            await MigrateAsync(database);
            var settings = ScaledOutFixture.NodeSettings(database, $"test-reminders-{Guid.NewGuid():N}");
            foreach (var (key, value) in new Dictionary<string, string>
            {
                ["Portal:SeedDemoData"] = "false",
                ["Portal:Email:PickupDirectory"] = mail.Path,
                ["Portal:Jobs:WorkerCount"] = "4",
                ["Portal:Jobs:SchedulePollingInterval"] = "00:00:01",
                ["Portal:Jobs:QueuePollInterval"] = "00:00:00.200",
                ["Portal:Reminders:ScanCron"] = "*/2 * * * * *",
                ["Portal:Reminders:RedispatchAfter"] = "00:00:05",
                ["Portal:Reminders:ClaimLease"] = "00:00:05",

                // Many small jobs rather than ten of 100, so that the run lasts long enough to kill a node in the middle.
                ["Portal:Reminders:DeliveriesPerJob"] = "5",
            })
            {
                settings[key] = value;
            }

            await using var nodeB = await PortalProcess.StartAsync(dataB.Path, settings);
            var nodeA = await PortalProcess.StartAsync(dataA.Path, settings);

            // Due only once both nodes run: a node alone (B starts first) must not deliver them all before A is up.
            var followUpIds = await SeedAsync(database);
            int atKill;
            try
            {
                await Eventually.TrueAsync(() => EmlCount(mail.Path) >= 30, TimeSpan.FromMinutes(5), () => "Nothing was delivered:\n" + nodeA.Output + "\n" + nodeB.Output, TimeSpan.FromMilliseconds(20));
                nodeA.Kill();
                atKill = EmlCount(mail.Path);
            }
            finally
            {
                await nodeA.DisposeAsync();
            }

            Assert.True(atKill < Reminders, $"The run ended before node A was killed ({atKill} e-mails); the test proves nothing.");

            var (delivered, pending) = (0, 0);
            await Eventually.TrueAsync(
                async () =>
                {
                    (delivered, pending) = await CountAsync(database);
                    return pending == 0 && delivered >= 2 * Reminders;
                },
                TimeSpan.FromMinutes(10),
                () => $"Node B stalled at {delivered} delivered, {pending} pending:\n" + nodeB.Output,
                TimeSpan.FromMilliseconds(200));

            var rows = await QueryAsync(database, """SELECT "SubjectId", "Channel", "Status", "DeliveryKey" FROM "Notifications" """);
            Assert.Equal(2 * Reminders, rows.Count);
            Assert.All(rows, r => Assert.Equal("Delivered", r[2]));
            foreach (var channel in new[] { "InApp", "Email" })
            {
                var subjects = rows.Where(r => r[1] == channel).Select(r => Guid.Parse(r[0])).ToList();
                Assert.Equal(followUpIds.Order(), subjects.Order());
            }

            var files = Directory.GetFiles(mail.Path, "*.eml").Select(Path.GetFileNameWithoutExtension).Order().ToList();
            Assert.Equal(rows.Where(r => r[1] == "Email").Select(r => r[3]).Order(), files);

            // Both nodes' workers took part: the Hangfire servers of both registered in the shared storage.
            var servers = await QueryAsync(database, """SELECT "id" FROM "hangfire"."server" """);
            Assert.Contains(servers, s => s[0].Contains(':', StringComparison.Ordinal));
        }
        finally
        {
            TestPostgres.Drop(database);
        }
    }

    /// <summary>The schema and reference data, as the app's own start-up writes them.</summary>
    private static async Task MigrateAsync(string database)
    {
        await using var app = SeedingApp(database);
        _ = app.Server;
    }

    /// <summary>Staff, cases and urgent follow-ups (due at once, whatever the hour), written through the app's model.</summary>
    private static async Task<List<Guid>> SeedAsync(string database)
    {
        await using var app = SeedingApp(database);
        return await app.UrgentFollowUpsDueAsync(Reminders);
    }

    private static ReminderApp SeedingApp(string database) => new(DateTimeOffset.UtcNow.AddMinutes(-1), new Dictionary<string, string>
    {
        ["Portal:Database:Provider"] = "Postgres",
        ["ConnectionStrings:Portal"] = database,
    });

    private static int EmlCount(string folder) => Directory.EnumerateFiles(folder, "*.eml").Count();

    private static async Task<(int Delivered, int Pending)> CountAsync(string database)
    {
        var rows = await QueryAsync(database, """SELECT "Status", COUNT(*) FROM "Notifications" GROUP BY "Status" """);
        int Of(string status) => rows.Where(r => r[0] == status).Select(r => int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();
        return (Of("Delivered"), Of("Pending"));
    }

    private static async Task<List<string[]>> QueryAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToArray());
        }

        return rows;
    }
}
