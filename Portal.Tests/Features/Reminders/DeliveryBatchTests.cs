using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Notifications;
using Portal.Features.Reminders;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Reminders;

/// <summary>
/// A delivery job works its batch as a whole (one read per kind of fact, one commit for the in-app deliveries, skips
/// and claims, one for the e-mails in the pickup folder). These check that each notification of a batch is still judged
/// on its own facts, and that batches run twice at the same moment still deliver everything exactly once.
/// </summary>
public sealed class DeliveryBatchTests
{
    private static DateTime Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public async Task One_batch_judges_each_notification_on_its_own_check_case_and_recipient()
    {
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero)); // a Tuesday, office hours in UTC
        var active = await app.StaffAsync(Roles.Advocate, ["CD"], "UTC");
        var leaving = await app.StaffAsync(Roles.Advocate, ["CD"], "UTC");
        var held = await app.CaseAsync("CD", active.UserId);
        var other = await app.CaseAsync("CD", leaving.UserId);
        var stillDue = await app.FollowUpAsync(held.Id, Utc(2026, 3, 3, 8, 30));
        var done = await app.FollowUpAsync(held.Id, Utc(2026, 3, 3, 8, 40));
        var ofLeaver = await app.FollowUpAsync(other.Id, Utc(2026, 3, 3, 8, 50));
        await app.ScanAsync();

        await using (var db = app.NewContext(active.UserId))
        {
            (await db.FollowUps.FirstAsync(f => f.Id == done.Id)).Complete(active.UserId, app.Clock);
            (await db.Users.FirstAsync(u => u.Id == leaving.UserId)).IsDisabled = true;
            await db.SaveChangesAsync();
        }

        var batch = (await app.NotificationsAsync()).Select(n => n.Id).ToArray();
        Assert.Equal(6, batch.Length); // in-app and e-mail for each of the three checks
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DeliveryJob>().RunBatchAsync(batch, CancellationToken.None);
        }

        var outcome = await app.NotificationsAsync();
        Assert.All(outcome.Where(n => n.SubjectId == stillDue.Id), n => Assert.Equal((NotificationStatus.Delivered, (NotificationSkipReason?)null), (n.Status, n.SkipReason)));
        Assert.All(outcome.Where(n => n.SubjectId == done.Id), n => Assert.Equal((NotificationStatus.Skipped, NotificationSkipReason.NoLongerDue), (n.Status, n.SkipReason!.Value)));
        Assert.All(outcome.Where(n => n.SubjectId == ofLeaver.Id), n => Assert.Equal((NotificationStatus.Skipped, NotificationSkipReason.RecipientUnavailable), (n.Status, n.SkipReason!.Value)));
        var email = outcome.Single(n => n.SubjectId == stillDue.Id && n.Channel == NotificationChannel.Email);
        Assert.Equal([email.DeliveryKey + ".eml"], Directory.GetFiles(app.PickupDirectory, "*.eml").Select(Path.GetFileName));
        Assert.NotNull(email.MessageId);
    }

    [Fact]
    public async Task The_same_batches_run_by_several_workers_at_once_deliver_each_notification_exactly_once()
    {
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        await app.UrgentFollowUpsDueAsync(60);
        await app.ScanAsync();
        var planned = await app.NotificationsAsync();
        Assert.Equal(120, planned.Count);

        var told = new ConcurrentDictionary<Guid, int>();
        using var listening = app.Service<InProcessLiveEvents>().Observe(e =>
        {
            if (e is { Kind: LiveEventKind.NotificationCreated, RecordId: { } id })
            {
                told.AddOrUpdate(id, 1, (_, n) => n + 1);
            }
        });

        // Overlapping batches in a shuffled order, each run three times at once, as workers would after redispatches.
        var ids = planned.Select(n => n.Id).OrderBy(_ => Random.Shared.Next()).ToArray();
        var batches = ids.Chunk(25).Concat(ids.Skip(10).Chunk(30)).ToList();
        await Task.WhenAll(batches.SelectMany(batch => Enumerable.Range(0, 3).Select(_ => RunAsync(app, batch))));

        var outcome = await app.NotificationsAsync();
        Assert.All(outcome, n => Assert.Equal(NotificationStatus.Delivered, n.Status));
        var emailKeys = outcome.Where(n => n.Channel == NotificationChannel.Email).Select(n => n.DeliveryKey + ".eml").Order().ToList();
        Assert.Equal(60, emailKeys.Count);
        Assert.Equal(emailKeys, Directory.GetFiles(app.PickupDirectory, "*.eml").Select(f => Path.GetFileName(f)!).Order().ToList());
        var inApp = outcome.Where(n => n.Channel == NotificationChannel.InApp).Select(n => n.Id).ToHashSet();
        Assert.Equal(inApp.Order(), told.Keys.Order());
        Assert.All(told, t => Assert.Equal(1, t.Value));
    }

    [Fact]
    public async Task Another_feature_adding_the_same_notifications_twice_stores_and_delivers_them_once()
    {
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var advocate = await app.StaffAsync(Roles.Advocate, ["CD"], "UTC");
        var waiting = await app.CaseAsync("CD"); // a new intake nobody holds: the notification still makes sense when delivered
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var subject = new NotificationSubject(waiting.Id, waiting.Number, "CD", waiting.Id);
        Notification Plan(NotificationChannel channel) => Notification.Plan(NotificationKind.IntakeUnclaimed, channel, advocate.UserId, subject, now, false, true, now, app.Clock);
        var planned = new[] { Plan(NotificationChannel.InApp), Plan(NotificationChannel.Email) };
        var outbox = app.Service<NotificationOutbox>();

        Assert.Equal(2, await outbox.AddAsync(planned));
        Assert.Equal(0, await outbox.AddAsync([Plan(NotificationChannel.InApp), Plan(NotificationChannel.Email)]));
        Assert.Equal(2, await app.DeliverQueuedAsync());

        Assert.Equal(0, await app.DeliverQueuedAsync());
        var stored = await app.NotificationsAsync();
        Assert.Equal(2, stored.Count);
        Assert.All(stored, n => Assert.Equal(NotificationStatus.Delivered, n.Status));
    }

    private static async Task RunAsync(ReminderApp app, Guid[] batch)
    {
        await Task.Yield();
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DeliveryJob>().RunBatchAsync(batch, CancellationToken.None);
    }
}
