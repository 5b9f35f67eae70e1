using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Children;
using Portal.Domain.Notifications;
using Portal.Domain.Reminders;
using Portal.Features.Children;
using Portal.Features.Dashboard;
using Portal.Features.Queues;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>
/// "A paternity claim that has not moved for N days is stale" is one rule with one configured N
/// (Portal:Paternity:StaleAfterDays). The dashboard once counted with a fixed 180 days while the case page and the digest
/// used the setting; here, with the setting at 30 days, every place that flags stale claims must see the same ones.
/// </summary>
public sealed class StaleClaimThresholdTests
{
    private static readonly DateTime Monday = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task With_the_threshold_at_30_days_the_dashboard_its_link_the_case_page_and_the_digest_flag_the_same_claims()
    {
        await using var app = new ReminderApp(new DateTimeOffset(Monday.AddDays(-40)), new Dictionary<string, string> { ["Portal:Paternity:StaleAfterDays"] = "30" });
        Assert.Equal(TimeSpan.FromDays(30), app.Service<ReminderPolicy>().PaternityClaimStaleAfter);

        // Opened 31 days before Monday: stale at 30 days (not at 180). Opened 29 days before: not yet. Closed: never.
        app.SetTime(Monday.AddDays(-31));
        var stale = await app.CaseAsync("HT");
        await app.PaternityClaimAsync(stale.Id);
        var closed = await app.CaseAsync("HT");
        var closedClaim = await app.PaternityClaimAsync(closed.Id);
        await using (var db = app.NewContext())
        {
            var claim = db.PaternityClaims.Single(p => p.Id == closedClaim.Id);
            claim.MoveTo(PaternityClaimStatus.ClosedUnresolved, "test", app.Clock, "The Member State did not answer");
            await db.SaveChangesAsync();
        }

        app.SetTime(Monday.AddDays(-29));
        var recent = await app.CaseAsync("HT");
        await app.PaternityClaimAsync(recent.Id);
        app.SetTime(Monday);
        var coordinator = await app.StaffAsync(Roles.Coordinator, [], "UTC");

        // The dashboard's tile, and the queue its number links to.
        var figures = await ServicesAs.Create<DashboardService>(app.Services, new TestCurrentUser(coordinator)).GetAsync(coordinator, new DashboardFilter());
        var linked = await ServicesAs.Create<QueueService>(app.Services, new TestCurrentUser(coordinator)).GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, figures.StaleClaims.Filter, QueueSort.Number, PageSize: 100));

        // The case page's children tab and its badge.
        var children = ServicesAs.Create<ChildService>(app.Services, new TestCurrentUser(coordinator));
        var onStaleCase = (await children.GetForCaseAsync(coordinator, stale.Id))!;
        var onRecentCase = (await children.GetForCaseAsync(coordinator, recent.Id))!;
        var badge = await children.CountStaleForCaseAsync(coordinator, stale.Id);

        // The coordinators' weekly digest.
        await app.ScanAsync();
        var digests = await app.NotificationsAsync(q => q.Where(n => n.Kind == NotificationKind.PaternityClaimsDigest));
        await app.DeliverQueuedAsync();
        var email = await File.ReadAllTextAsync(Directory.GetFiles(app.PickupDirectory, "*.eml").Single());

        Assert.Equal((1, 1, 30), (figures.StaleClaims.Value, figures.StaleClaims.Cases, figures.StaleClaimDays));
        Assert.Equal([stale.Number], linked.Rows.Select(r => r.Number));
        Assert.True(onStaleCase.Children.Single().Claims.Single().IsStale);
        Assert.Equal((30, 1, 1), (onStaleCase.StaleAfterDays, onStaleCase.StaleClaimCount, badge));
        Assert.False(onRecentCase.Children.Single().Claims.Single().IsStale);
        Assert.NotEmpty(digests);
        Assert.All(digests, d => Assert.Equal(1, d.ItemCount));
        Assert.Contains(stale.Number, email, StringComparison.Ordinal);
        Assert.DoesNotContain(recent.Number, email, StringComparison.Ordinal);
        Assert.DoesNotContain(closed.Number, email, StringComparison.Ordinal);
    }
}
