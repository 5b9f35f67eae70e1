using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Portal.Domain.Cases;
using Portal.Domain.FollowUps;
using Portal.Domain.Notifications;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Portal.Tests.Features.Reminders;

/// <summary>
/// E-mails in the recipient's language, with the case number and a link, and never anything that identifies the person:
/// through a real SMTP server started by the test, and through the pickup folder (the embedded default).
/// </summary>
public sealed class ReminderEmailTests
{
    private const string GivenName = "Zéphyrine";
    private const string FamilyName = "Kossi-Secretname";
    private const string Phone = "+236 70 12 34 56";
    private const string CaseText = "Rendez-vous chez Zéphyrine";

    [Fact]
    public async Task A_french_speaking_advocate_receives_a_french_reminder_over_smtp_with_the_link_and_no_identity()
    {
        var port = FreePort.Next();
        var store = new CollectingStore();
        using var stop = new CancellationTokenSource();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        var server = new SmtpServer.SmtpServer(
            new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build(),
            services);
        var listening = server.StartAsync(stop.Token);

        try
        {
            await using var app = new ReminderApp(
                new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero),
                new Dictionary<string, string>
                {
                    ["Portal:Email:Smtp:Host"] = "127.0.0.1",
                    ["Portal:Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Portal:Email:Smtp:Security"] = "None",
                    ["Portal:Email:FromAddress"] = "reminders@portal.example.org",
                });
            var (advocate, survivorCase, followUp) = await SeedFrenchReminderAsync(app);

            await app.ScanAsync();
            await app.DeliverQueuedAsync();

            var received = Assert.Single(store.Messages);
            Assert.Equal(advocate.UserName, ((MailboxAddress)received.To.Single()).Address);
            Assert.Equal($"[{survivorCase.Number}] Suivi à faire : suivi", received.Subject);
            var body = received.TextBody;
            Assert.Contains($"https://portal.example.org/cases/{survivorCase.Number}", body, StringComparison.Ordinal);
            Assert.Contains("Bonjour", body, StringComparison.Ordinal);
            Assert.Contains("Échéance : 2026-03-03 09:30 (Africa/Bangui)", body, StringComparison.Ordinal);
            AssertNoIdentity(received.ToString());

            var email = (await app.NotificationsAsync(q => q.Where(n => n.Channel == NotificationChannel.Email))).Single();
            Assert.Equal(NotificationStatus.Delivered, email.Status);
            Assert.Equal(MessageIds.For(email.DeliveryKey, "portal.example.org"), received.MessageId);
            Assert.Equal(email.MessageId, received.MessageId);
            Assert.Equal(followUp.Id, email.SubjectId);

            // Delivered is final: running the job again sends nothing.
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Portal.Features.Reminders.DeliveryJob>().RunAsync(email.Id, CancellationToken.None);
            Assert.Single(store.Messages);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await listening;
            }
            catch (OperationCanceledException)
            {
                // Stopped on purpose.
            }
        }
    }

    [Fact]
    public async Task A_batch_delivers_its_other_notifications_when_one_fails_then_fails_so_that_it_is_retried()
    {
        // An SMTP port nobody listens on: every e-mail fails; the in-app notification after it in the batch must not.
        await using var app = new ReminderApp(
            new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero),
            new Dictionary<string, string>
            {
                ["Portal:Email:Smtp:Host"] = "127.0.0.1",
                ["Portal:Email:Smtp:Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Portal:Email:Smtp:Security"] = "None",
                ["Portal:Email:FromAddress"] = "reminders@portal.example.org",
            });
        await SeedFrenchReminderAsync(app);
        await app.ScanAsync();
        var email = (await app.NotificationsAsync(q => q.Where(n => n.Channel == NotificationChannel.Email))).Single();
        var inApp = (await app.NotificationsAsync(q => q.Where(n => n.Channel == NotificationChannel.InApp))).Single();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var job = scope.ServiceProvider.GetRequiredService<Portal.Features.Reminders.DeliveryJob>();
            var failed = await Assert.ThrowsAsync<AggregateException>(() => job.RunBatchAsync([email.Id, inApp.Id], CancellationToken.None));
            Assert.Single(failed.InnerExceptions);
        }

        var after = (await app.NotificationsAsync()).ToDictionary(n => n.Id);
        Assert.Equal(NotificationStatus.Delivered, after[inApp.Id].Status);
        Assert.Equal(NotificationStatus.Pending, after[email.Id].Status);
    }

    [Fact]
    public async Task Without_an_smtp_server_each_email_is_one_file_named_by_its_delivery_key_in_the_pickup_folder()
    {
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var (_, survivorCase, _) = await SeedFrenchReminderAsync(app);

        await app.ScanAsync();
        var email = (await app.NotificationsAsync(q => q.Where(n => n.Channel == NotificationChannel.Email))).Single();

        // A worker that put the file in place and died before recording it: the retry finds the file and writes nothing.
        var transport = app.Service<IEmailTransport>();
        var pickup = Assert.IsType<PickupFolderTransport>(transport);
        using var early = new MimeMessage { Subject = "written before a crash" };
        early.From.Add(new MailboxAddress("", "portal@localhost"));
        await pickup.SendAsync(early, email.DeliveryKey);
        await app.DeliverQueuedAsync();
        await app.DeliverQueuedAsync();

        var files = Directory.GetFiles(app.PickupDirectory, "*.eml");
        Assert.Equal([pickup.PathFor(email.DeliveryKey)], files);
        Assert.Equal(NotificationStatus.Delivered, (await app.NotificationsAsync(q => q.Where(n => n.Id == email.Id))).Single().Status);
        Assert.Empty(Directory.GetFiles(Path.Combine(app.PickupDirectory, ".tmp")));

        // A fresh delivery (in-app read, e-mail re-rendered) of the same case: French, with the link, no identity.
        File.Delete(files[0]);
        var message = await RenderAgainAsync(app, email.Id);
        Assert.Equal($"[{survivorCase.Number}] Suivi à faire : suivi", message.Subject);
        Assert.Contains($"https://portal.example.org/cases/{survivorCase.Number}", message.TextBody, StringComparison.Ordinal);
        AssertNoIdentity(message.ToString());
    }

    private static async Task<MimeMessage> RenderAgainAsync(ReminderApp app, Guid notificationId)
    {
        await using var db = app.NewContext();
        var notification = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Notifications, n => n.Id == notificationId);
        var user = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users, u => u.Id == notification.RecipientUserId);
        var messages = app.Service<Portal.Features.Reminders.ReminderMessages>();
        return await messages.ComposeEmailAsync(db, notification, new Portal.Features.Reminders.Recipient(user.Id, user.DisplayName, user.Email, user.PreferredLanguage, user.TimeZoneId), CancellationToken.None);
    }

    private static async Task<(UserScope Advocate, Case Case, FollowUp FollowUp)> SeedFrenchReminderAsync(ReminderApp app)
    {
        var advocate = await app.StaffAsync(Roles.Advocate, ["CF"], "Africa/Bangui", language: "fr");
        var survivorCase = await app.CaseAsync("CF", advocate.UserId);
        await using (var db = app.NewContext(advocate.UserId))
        {
            db.Add(IdentityRecord.Create(survivorCase.Id, new IdentityDetails(GivenName, FamilyName, null, Phone, "zephyrine@example.net", ContactChannel.Phone, "evenings", "12 rue des Manguiers")));
            db.Add(Portal.Domain.Notes.Note.Create(survivorCase.Id, CaseText, advocate.UserId, app.Clock));
            await db.SaveChangesAsync();
        }

        var followUp = await app.FollowUpAsync(survivorCase.Id, new DateTime(2026, 3, 3, 8, 30, 0, DateTimeKind.Utc), urgent: true, kind: FollowUpKind.General, title: CaseText);
        return (advocate, survivorCase, followUp);
    }

    private static void AssertNoIdentity(string message)
    {
        foreach (var secret in new[] { GivenName, FamilyName, Phone, "zephyrine@example.net", "Manguiers", CaseText })
        {
            Assert.DoesNotContain(secret, message, StringComparison.OrdinalIgnoreCase);
        }
    }

    private sealed class CollectingStore : MessageStore
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
