using Microsoft.EntityFrameworkCore;
using Portal.Domain.FollowUps;
using Portal.Features.Dashboard;
using Portal.Infrastructure.Data.Configurations;

namespace Portal.Tests.Features.Dashboard;

/// <summary>
/// A case closed before closure had to settle its work (older data) can still hold checks. The figures leave them out,
/// in a country and across all, as the queues their links open do; its own story, so the other dashboard tests keep theirs.
/// </summary>
public sealed class DashboardClosedWorkTests(DashboardData data) : IClassFixture<DashboardData>
{
    [Fact]
    public async Task A_closed_cases_leftover_checks_are_neither_counted_nor_listed_behind_the_figures()
    {
        var filter = new DashboardFilter(DashboardData.Country);
        var everywhere = new DashboardFilter(null);
        var beforeEverywhere = await data.DashboardFor(data.Coordinator).GetAsync(data.Coordinator, everywhere);
        var before = await data.DashboardFor(data.Coordinator).GetAsync(data.Coordinator, filter);
        var closedNumber = data.Numbers["G"];
        var today = DashboardData.Now.UtcDateTime;
        Guid closedId;
        await using (var db = data.Database.NewContext())
        {
            closedId = await db.Cases.Where(c => c.Number == closedNumber).Select(c => c.Id).SingleAsync();
            // Written past the closure rule, as older data was: one check overdue for days, one due this morning.
            db.FollowUps.AddRange(
                FollowUp.CreateManual(closedId, null, FollowUpKind.General, "Left open", today.AddDays(-5), isUrgent: false),
                FollowUp.CreateManual(closedId, null, FollowUpKind.General, "Left open too", today.Date.AddHours(8), isUrgent: false));
            await db.SaveChangesAsync();
        }

        await using (var db = data.Database.NewContext())
        {
            // The database keeps the closed case's overdue moment, so only the figures' own rule keeps it out.
            var overdueFrom = await db.Cases.Where(c => c.Id == closedId).Select(c => EF.Property<DateTime?>(c, CaseOverdueKey.Column)).SingleAsync();
            Assert.Equal(today.AddDays(-5).Add(FollowUp.OverdueAfter), overdueFrom);
        }

        var after = await data.DashboardFor(data.Coordinator).GetAsync(data.Coordinator, filter);

        Assert.Equal((before.Overdue.Value, before.Overdue.Cases), (after.Overdue.Value, after.Overdue.Cases));
        Assert.Equal((before.DueToday.Value, before.DueToday.Cases), (after.DueToday.Value, after.DueToday.Cases));
        var overdueQueue = await data.QueueNumbersAsync(data.Coordinator, after.Overdue.Filter);
        Assert.DoesNotContain(closedNumber, overdueQueue);
        Assert.Equal(after.Overdue.Cases, overdueQueue.Count);
        Assert.DoesNotContain(closedNumber, await data.QueueNumbersAsync(data.Coordinator, after.DueToday.Filter));

        // Across all countries too: the tiles still agree with the queues behind them.
        var afterEverywhere = await data.DashboardFor(data.Coordinator).GetAsync(data.Coordinator, everywhere);
        Assert.Equal((beforeEverywhere.Overdue.Value, beforeEverywhere.Overdue.Cases), (afterEverywhere.Overdue.Value, afterEverywhere.Overdue.Cases));
        Assert.Equal((beforeEverywhere.DueToday.Value, beforeEverywhere.DueToday.Cases), (afterEverywhere.DueToday.Value, afterEverywhere.DueToday.Cases));
        Assert.Equal(afterEverywhere.Overdue.Cases, (await data.QueueNumbersAsync(data.Coordinator, afterEverywhere.Overdue.Filter)).Count);
        Assert.Equal(afterEverywhere.DueToday.Cases, (await data.QueueNumbersAsync(data.Coordinator, afterEverywhere.DueToday.Filter)).Count);
    }
}
