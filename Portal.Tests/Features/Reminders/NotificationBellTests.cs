using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Notifications;
using Portal.Features.Reminders;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Reminders;

/// <summary>The app bar's bell, rendered with the real services on a real database: the unread count follows deliveries and reads live.</summary>
public sealed class NotificationBellTests : MudBunitContext
{
    [Fact]
    public async Task The_unread_count_goes_up_when_a_reminder_is_delivered_and_down_when_it_is_read()
    {
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var advocate = await app.StaffAsync(Roles.Advocate, ["CD"], "Africa/Kinshasa");
        var other = await app.StaffAsync(Roles.Advocate, ["CD"], "Africa/Kinshasa");
        var user = new TestCurrentUser(advocate);
        Services.AddSingleton<ICurrentUser>(user);
        Services.AddSingleton(app.Service<ILiveEvents>());
        Services.AddSingleton(ServicesAs.Create<NotificationService>(app.Services, user));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var cut = Render<NotificationBell>();
        Assert.Equal("0", cut.Find("[data-testid=notification-unread]").TextContent);

        var mine = await app.CaseAsync("CD", advocate.UserId);
        var theirs = await app.CaseAsync("CD", other.UserId);
        await app.FollowUpAsync(mine.Id, new DateTime(2026, 3, 3, 8, 0, 0, DateTimeKind.Utc));
        await app.FollowUpAsync(theirs.Id, new DateTime(2026, 3, 3, 8, 0, 0, DateTimeKind.Utc));
        await app.ScanAsync();
        await app.DeliverQueuedAsync();

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=notification-unread]").TextContent), TimeSpan.FromSeconds(30));

        var id = (await app.NotificationsAsync(q => q.Where(n => n.RecipientUserId == advocate.UserId && n.Channel == NotificationChannel.InApp))).Single().Id;
        Assert.True((await Services.GetRequiredService<NotificationService>().MarkReadAsync(id)).Succeeded);
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=notification-unread]").TextContent), TimeSpan.FromSeconds(30));
    }
}
