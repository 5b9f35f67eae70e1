using System.Diagnostics;
using Portal.Features.Dashboard;
using Portal.Features.Queues;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;
using Xunit.Abstractions;

namespace Portal.Tests.Integration.Persistence;

/// <summary>The dashboard on the full demo data: every figure agrees with its queue, and the UN's published yearly figures come out.</summary>
[Collection(SeededDatabaseCollection.Name)]
public sealed class DashboardOnDemoDataTests(SeededDatabase seeded, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_figure_on_the_demo_data_agrees_with_its_queue()
    {
        var coordinator = await StaffAccounts.SignedInScopeAsync(seeded.Database.Services, Roles.Coordinator);
        var dashboard = ServicesAs.Create<DashboardService>(seeded.Database.Services, new TestCurrentUser(coordinator));
        var queues = ServicesAs.Create<QueueService>(seeded.Database.Services, new TestCurrentUser(coordinator));

        await dashboard.GetAsync(coordinator, new DashboardFilter()); // warm up the model and connection pool
        var watch = Stopwatch.StartNew();
        var figures = await dashboard.GetAsync(coordinator, new DashboardFilter());
        var elapsed = watch.Elapsed;
        output.WriteLine($"Dashboard computed on the demo data ({figures.OpenTotal.Value} open cases) in {elapsed.TotalMilliseconds:0} ms.");

        foreach (var figure in figures.AllLinkedFigures())
        {
            var listed = (await queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, figure.Filter, PageSize: 1))).TotalCount;
            Assert.True(figure.Cases == listed, $"{figure.Key}: {figure.Cases} counted, {listed} listed");
        }

        foreach (var year in Portal.Infrastructure.Data.Seeding.UnAllegationFigures.ByYear)
        {
            var shown = figures.AllegationYears.Single(y => y.Year == year.Year);
            Assert.Equal((year.PeacekeepingAndSpecialPoliticalMissions, year.OtherUnEntities), (shown.UnMissions.Value, shown.OtherEntities.Value));
        }
    }
}
