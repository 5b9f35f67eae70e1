using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.Data.Sqlite;
using MimeKit;
using Portal.Domain.Cases;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Portal.Tests.Integration.Reminders;

/// <summary>
/// The real portal process killed while its worker is handing an urgent reminder (the 72-hour prophylaxis check) to the
/// SMTP server, then started again on the same data folder: the reminder is sent again straight away, although the
/// redispatch delay and the claim's lease are set to an hour, and it is sent once.
/// </summary>
public sealed class UrgentRedispatchTests
{
    [Fact]
    public async Task An_urgent_reminder_whose_worker_died_mid_send_is_sent_again_at_once_and_only_once()
    {
        using var data = new TempDirectory("portal-urgent");
        var port = FreePort.Next();
        var store = new StallingStore();
        using var stop = new CancellationTokenSource();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        var server = new SmtpServer.SmtpServer(new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build(), services);
        var listening = server.StartAsync(stop.Token);
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["Portal:SeedDemoData"] = "false",
                ["Portal:Jobs:Storage"] = "Sqlite",
                ["Portal:Jobs:SchedulePollingInterval"] = "00:00:01",
                ["Portal:Jobs:QueuePollInterval"] = "00:00:00.200",
                ["Portal:Reminders:ScanCron"] = "*/2 * * * * *",
                ["Portal:Reminders:RedispatchAfter"] = "01:00:00",
                ["Portal:Reminders:ClaimLease"] = "01:00:00",
                ["Portal:Email:Smtp:Host"] = "127.0.0.1",
                ["Portal:Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Portal:Email:Smtp:Security"] = "None",
            };
            await SeedAsync(data.Path);

            var first = await PortalProcess.StartAsync(data.Path, settings);
            try
            {
                // The worker has handed the message over and waits for the server's answer: that is when it dies.
                await store.FirstArrived.Task.WaitAsync(TimeSpan.FromMinutes(4));
                first.Kill();
            }
            finally
            {
                await first.DisposeAsync();
            }

            store.RefuseTheFirst();
            var claimedBy = await EmailWorkerAsync(data.Path);
            Assert.NotNull(claimedBy);

            await using (var second = await PortalProcess.StartAsync(data.Path, settings))
            {
                try
                {
                    await store.Accepted.Task.WaitAsync(TimeSpan.FromMinutes(4));

                    // Recorded as delivered: no worker can claim it from then on, so what the server holds now is final.
                    await DeliveredAsync(data.Path).WaitAsync(TimeSpan.FromMinutes(2));
                }
                catch (TimeoutException)
                {
                    Assert.Fail($"The restarted portal did not send the reminder; the e-mail is {await EmailStateAsync(data.Path)}:\n{second.Output}");
                }
            }

            // Once: the dead worker's copy was never accepted, and the new worker sent one.
            Assert.Single(store.Messages);
            Assert.StartsWith("Delivered ", await EmailStateAsync(data.Path), StringComparison.Ordinal);
            var takenBy = await EmailWorkerAsync(data.Path);
            Assert.NotEqual(claimedBy, takenBy);
        }
        finally
        {
            await stop.CancelAsync();
            await listening.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>An advocate, a high-risk case and the prophylaxis check due a minute ago (urgent: sent whatever the hour).</summary>
    private static async Task SeedAsync(string dataDirectory)
    {
        await using var app = new ReminderApp(DateTimeOffset.UtcNow, dataDirectory: dataDirectory);
        var advocate = await app.StaffAsync(Roles.Advocate, ["CF"]);
        var survivorCase = await app.CaseAsync("CF", advocate.UserId, RiskLevel.High);
        await app.FollowUpAsync(survivorCase.Id, DateTime.UtcNow.AddMinutes(-1), urgent: true, title: "72-hour post-exposure prophylaxis check");
    }

    /// <summary>The node that has the e-mail in hand, as the database says.</summary>
    private static async Task<string?> EmailWorkerAsync(string dataDirectory)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "portal.db"), Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 10000;";
        await command.ExecuteNonQueryAsync();
        command.CommandText = "SELECT WorkerNode FROM Notifications WHERE Channel = 'Email';";
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>Completes once the database records the e-mail as delivered (the worker commits just after the server accepts).</summary>
    private static async Task DeliveredAsync(string dataDirectory)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!(await EmailStateAsync(dataDirectory)).StartsWith("Delivered ", StringComparison.Ordinal))
        {
            await poll.WaitForNextTickAsync();
        }
    }

    private static async Task<string> EmailStateAsync(string dataDirectory)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "portal.db"), Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Status || ' worker ' || ifnull(WorkerNode, '-') || ' claimed by ' || ifnull(ClaimedBy, '-') || ' until ' || ifnull(ClaimedUntilUtc, '-') || ' dispatched ' || DispatchCount FROM Notifications WHERE Channel = 'Email';";
        return await command.ExecuteScalarAsync() as string ?? "missing";
    }

    /// <summary>
    /// Holds the first message until told, then refuses it (its sender is dead by then: the server never accepted it);
    /// accepts every later one.
    /// </summary>
    private sealed class StallingStore : MessageStore
    {
        private readonly TaskCompletionSource _refuseFirst = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrivals;

        public TaskCompletionSource FirstArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<MimeMessage> Accepted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public void RefuseTheFirst() => _refuseFirst.TrySetResult();

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _arrivals) == 1)
            {
                FirstArrived.TrySetResult();
                await _refuseFirst.Task;
                return SmtpResponse.TransactionFailed;
            }

            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            Messages.Enqueue(message);
            Accepted.TrySetResult(message);
            return SmtpResponse.Ok;
        }
    }
}
