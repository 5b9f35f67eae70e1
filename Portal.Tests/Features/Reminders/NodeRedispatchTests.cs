using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Portal.Domain.Cases;
using Portal.Domain.Notifications;
using Portal.Features.Reminders;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Portal.Tests.Features.Reminders;

/// <summary>
/// A delivery left in hand by a node that died goes again at once, not after the ten-minute redispatch delay, and an
/// e-mail it had claimed is taken over without waiting for the claim's lease; what a live node has in hand is left to it,
/// so nothing is sent twice. Embedded, the data folder is one portal's alone: any other node is gone. Scaled out
/// (PostgreSQL), a node is gone once its heartbeat is older than <c>Portal:Nodes:Timeout</c>.
/// </summary>
public sealed class NodeRedispatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Deliveries_a_dead_node_had_in_hand_are_queued_again_at_once_and_those_of_live_nodes_are_left()
    {
        await using var app = new ReminderApp(Start);
        var ids = await UrgentReminderAsync(app);
        var third = await UrgentReminderAsync(app);
        Assert.Equal(2, ids.Count); // in-app and e-mail, both queued by this node
        await HandToAsync(app, ids[0], "node-dead");
        await HandToAsync(app, third[0], "node-alive");
        await HeartbeatAsync(app, "node-dead", Start.UtcDateTime);

        // Half a minute later: the dead node is silent past the node timeout, this node and a live one are not.
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await HeartbeatAsync(app, "node-alive", app.Clock.GetUtcNow().UtcDateTime);

        var dispatched = await app.Service<NotificationOutbox>().DispatchAsync();

        var after = (await app.NotificationsAsync()).ToDictionary(n => n.Id);
        Assert.Equal((2, app.Service<PortalNode>().Id), (after[ids[0]].DispatchCount, after[ids[0]].WorkerNode));
        Assert.Equal(1, after[ids[1]].DispatchCount); // queued by this node, which lives: within the redispatch delay, left alone
        if (TestPostgres.IsSelected)
        {
            Assert.Equal(1, dispatched);
            Assert.Equal(("node-alive", 1), (after[third[0]].WorkerNode, after[third[0]].DispatchCount));
        }
        else
        {
            // Embedded: "node-alive" cannot be alive, the data folder being this portal's alone.
            Assert.Equal(2, dispatched);
            Assert.Equal(2, after[third[0]].DispatchCount);
        }
    }

    [Fact]
    public async Task An_email_claimed_by_a_dead_node_is_sent_at_once_and_one_this_node_is_sending_is_left_to_it()
    {
        var port = FreePort.Next();
        var store = new Store();
        using var stop = new CancellationTokenSource();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        var server = new SmtpServer.SmtpServer(new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build(), services);
        var listening = server.StartAsync(stop.Token);
        try
        {
            await using var app = new ReminderApp(Start, new Dictionary<string, string>
            {
                ["Portal:Email:Smtp:Host"] = "127.0.0.1",
                ["Portal:Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Portal:Email:Smtp:Security"] = "None",
            });
            var deadsEmail = await EmailOfAsync(app, await UrgentReminderAsync(app));
            var oursEmail = await EmailOfAsync(app, await UrgentReminderAsync(app));
            await HeartbeatAsync(app, "node-dead", Start.UtcDateTime.AddMinutes(-5));
            await ClaimAsync(app, deadsEmail, "node-dead");
            await ClaimAsync(app, oursEmail, app.Service<PortalNode>().Id);

            foreach (var id in new[] { deadsEmail, oursEmail })
            {
                using var scope = app.Services.CreateScope();
                await scope.ServiceProvider.GetRequiredService<DeliveryJob>().RunAsync(id, CancellationToken.None);
            }

            var after = (await app.NotificationsAsync()).ToDictionary(n => n.Id);
            Assert.Equal(NotificationStatus.Delivered, after[deadsEmail].Status);
            Assert.Equal(NotificationStatus.Pending, after[oursEmail].Status);
            var sent = Assert.Single(store.Messages);
            Assert.Equal(after[deadsEmail].MessageId, sent.MessageId);
        }
        finally
        {
            await stop.CancelAsync();
            await listening.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [Fact]
    public async Task Every_node_looks_for_a_dead_nodes_deliveries_every_fifteen_seconds()
    {
        await using var app = new ReminderApp(Start, new Dictionary<string, string> { ["Portal:Reminders:ScanEnabled"] = "true" });

        using var connection = app.Service<Hangfire.JobStorage>().GetConnection();
        var redispatch = Assert.Single(Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection), j => j.Id == ReminderOptions.RedispatchJobId);
        Assert.Equal("*/15 * * * * *", redispatch.Cron);
        Assert.Equal(typeof(ReminderRedispatchJob), redispatch.Job.Type);
    }

    /// <summary>An advocate's high-risk case with an urgent follow-up just due, scanned: returns the new notifications' ids.</summary>
    private static async Task<List<Guid>> UrgentReminderAsync(ReminderApp app)
    {
        var advocate = await app.StaffAsync(Roles.Advocate, ["CF"]);
        var survivorCase = await app.CaseAsync("CF", advocate.UserId, RiskLevel.High);
        var followUp = await app.FollowUpAsync(survivorCase.Id, app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1), urgent: true);
        await app.ScanAsync();
        return (await app.NotificationsAsync(q => q.Where(n => n.SubjectId == followUp.Id))).OrderBy(n => n.Channel).Select(n => n.Id).ToList();
    }

    private static async Task<Guid> EmailOfAsync(ReminderApp app, List<Guid> all)
    {
        await using var db = app.NewContext();
        return await db.Notifications.Where(n => all.Contains(n.Id) && n.Channel == NotificationChannel.Email).Select(n => n.Id).SingleAsync();
    }

    private static async Task HeartbeatAsync(ReminderApp app, string node, DateTime atUtc)
    {
        await using var db = app.NewContext();
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "NodeHeartbeats" ("Node", "AtUtc") VALUES ({node}, {atUtc}) ON CONFLICT ("Node") DO UPDATE SET "AtUtc" = excluded."AtUtc";""");
    }

    private static async Task HandToAsync(ReminderApp app, Guid notificationId, string node)
    {
        await using var db = app.NewContext();
        var notification = await db.Notifications.SingleAsync(n => n.Id == notificationId);
        notification.HandTo(node);
        await db.SaveChangesAsync();
    }

    /// <summary>A worker on <paramref name="node"/> claims the e-mail for an hour, as it does before it sends.</summary>
    private static async Task ClaimAsync(ReminderApp app, Guid notificationId, string node)
    {
        await using var db = app.NewContext();
        var notification = await db.Notifications.SingleAsync(n => n.Id == notificationId);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        Assert.True(notification.TryClaim(now, now.AddHours(1), node));
        await db.SaveChangesAsync();
    }

    private sealed class Store : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
