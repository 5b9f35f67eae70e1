using Microsoft.Data.Sqlite;
using Portal.Domain.Cases;
using Portal.Domain.FollowUps;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Reminders;

/// <summary>
/// The real portal process, on SQLite job storage in its data folder, killed in the middle of a delivery run and
/// started again on the same folder: every reminder ends up delivered exactly once, as one pickup-folder e-mail and one
/// in-app notification.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int Reminders = 200;

    private static readonly Dictionary<string, string> FastJobs = new()
    {
        ["Portal:SeedDemoData"] = "false",
        ["Portal:Jobs:Storage"] = "Sqlite",
        ["Portal:Jobs:WorkerCount"] = "2",
        ["Portal:Jobs:SchedulePollingInterval"] = "00:00:01",
        ["Portal:Jobs:QueuePollInterval"] = "00:00:00.200",
        ["Portal:Reminders:ScanCron"] = "*/5 * * * * *",
        ["Portal:Reminders:RedispatchAfter"] = "00:00:05",
        ["Portal:Reminders:ClaimLease"] = "00:00:05",

        // Ten e-mails a job, so the run is many jobs long and is still delivering when the test, on a busy machine,
        // next looks: with the default the two workers sent all 200 between two of its looks, and the kill came too late.
        ["Portal:Reminders:DeliveriesPerJob"] = "10",
    };

    [Fact]
    public async Task Killing_the_portal_mid_delivery_and_restarting_it_delivers_each_reminder_exactly_once()
    {
        using var data = new TempDirectory("portal-crash");
        var followUpIds = await SeedAsync(data.Path);
        var pickup = Path.Combine(data.Path, "mail-pickup");

        var first = await PortalProcess.StartAsync(data.Path, FastJobs);
        int atKill;
        try
        {
            // Killed once delivery has started: the first e-mail out is the positive signal that the run is under way.
            await Eventually.TrueAsync(() => EmlCount(pickup) >= 1, TimeSpan.FromMinutes(5), () => "The first run delivered nothing:\n" + first.Output, TimeSpan.FromMilliseconds(20));
            first.Kill();
            atKill = EmlCount(pickup);
        }
        finally
        {
            await first.DisposeAsync();
        }

        Assert.True(atKill < Reminders, $"The run ended before it was killed ({atKill} e-mails); the test proves nothing.");
        var (deliveredAtKill, _) = await CountAsync(data.Path);
        Assert.True(deliveredAtKill < 2 * Reminders);

        await using (var second = await PortalProcess.StartAsync(data.Path, FastJobs))
        {
            var (delivered, pending) = (0, 0);
            await Eventually.TrueAsync(
                async () =>
                {
                    (delivered, pending) = await CountAsync(data.Path);
                    return pending == 0 && delivered >= 2 * Reminders;
                },
                TimeSpan.FromMinutes(10),
                () => $"Recovery stalled at {delivered} delivered, {pending} pending:\n" + second.Output,
                TimeSpan.FromMilliseconds(200));
        }

        SqliteConnection.ClearAllPools();
        await using var connection = await OpenAsync(data.Path);
        var rows = await QueryAsync(connection, "SELECT SubjectId, Channel, Status, DeliveryKey FROM Notifications");
        Assert.Equal(2 * Reminders, rows.Count);
        Assert.All(rows, r => Assert.Equal("Delivered", r[2]));
        foreach (var channel in new[] { "InApp", "Email" })
        {
            var subjects = rows.Where(r => r[1] == channel).Select(r => Guid.Parse(r[0])).ToList();
            Assert.Equal(Reminders, subjects.Count);
            Assert.Equal(followUpIds.Order(), subjects.Order());
        }

        var files = Directory.GetFiles(pickup, "*.eml").Select(Path.GetFileNameWithoutExtension).Order().ToList();
        Assert.Equal(rows.Where(r => r[1] == "Email").Select(r => r[3]).Order(), files);
    }

    /// <summary>Staff, cases and urgent follow-ups (urgent: delivered at once, whatever the hour) through the app's model.</summary>
    private static async Task<List<Guid>> SeedAsync(string dataDirectory)
    {
        await using var app = new ReminderApp(DateTimeOffset.UtcNow.AddMinutes(-1), dataDirectory: dataDirectory);
        return await app.UrgentFollowUpsDueAsync(Reminders);
    }

    private static int EmlCount(string pickup) => Directory.Exists(pickup) ? Directory.EnumerateFiles(pickup, "*.eml").Count() : 0;

    private static async Task<(int Delivered, int Pending)> CountAsync(string dataDirectory)
    {
        await using var connection = await OpenAsync(dataDirectory);
        var rows = await QueryAsync(connection, "SELECT Status, COUNT(*) FROM Notifications GROUP BY Status");
        int Of(string status) => rows.Where(r => r[0] == status).Select(r => int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();
        return (Of("Delivered"), Of("Pending"));
    }

    private static async Task<SqliteConnection> OpenAsync(string dataDirectory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "portal.db"), Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 10000;";
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task<List<string[]>> QueryAsync(SqliteConnection connection, string sql)
    {
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
