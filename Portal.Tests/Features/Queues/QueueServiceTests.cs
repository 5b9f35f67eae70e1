using Portal.Domain.Cases;
using Portal.Features.Queues;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Queues;

/// <summary>Each test works in a country of its own so that tests sharing the database do not count each other's cases.</summary>
public sealed class QueueServiceTests : IClassFixture<TestDatabase>
{
    private readonly CaseWorld _world;

    public QueueServiceTests(TestDatabase database) => _world = new CaseWorld(database);

    [Fact]
    public async Task New_intakes_lists_unclaimed_open_cases_of_the_viewers_countries_only()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "ML");
        var mine = await _world.NewIntakeAsync("ML");
        var claimed = await _world.NewIntakeAsync("ML");
        var elsewhere = await _world.NewIntakeAsync("SO");
        await _world.CasesFor(advocate).ClaimAsync(advocate, claimed.Id);

        var newIntakes = await _world.Queues.GetPageAsync(advocate, new QueueRequest(QueueKind.NewIntakes, QueueFilter.None));
        var myCases = await _world.Queues.GetPageAsync(advocate, new QueueRequest(QueueKind.MyCases, QueueFilter.None));
        var counts = await _world.Queues.GetCountsAsync(advocate);

        Assert.Equal([mine.Number], newIntakes.Rows.Select(r => r.Number));
        Assert.Equal([claimed.Number], myCases.Rows.Select(r => r.Number));
        Assert.Equal(advocate.DisplayName, myCases.Rows[0].AssigneeName);
        Assert.Equal((1, 1, 2), (counts.NewIntakes, counts.MyCases, counts.AllCases));
        Assert.Null(counts.AwaitingClosure);
        Assert.DoesNotContain(elsewhere.Number, newIntakes.Rows.Select(r => r.Number));
    }

    [Fact]
    public async Task Awaiting_closure_is_a_coordinators_queue()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "LB");
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var intake = await _world.NewIntakeAsync("LB");
        var cases = _world.CasesFor(advocate);
        await cases.ClaimAsync(advocate, intake.Id);
        var version = (await cases.GetVersionAsync(advocate, intake.Id))!.Value;
        await cases.TransitionAsync(advocate, new Portal.Features.Shared.Seen<Case>(intake.Id, version), Portal.Features.Cases.CaseTransition.RequestClosure, "done", CaseClosureReason.AssistanceCompleted);

        var forAdvocate = await _world.Queues.GetPageAsync(advocate, new QueueRequest(QueueKind.AwaitingClosure, QueueFilter.None));
        var forCoordinator = await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AwaitingClosure, new QueueFilter { CountryCode = "LB" }));

        Assert.Empty(forAdvocate.Rows);
        Assert.Equal([intake.Number], forCoordinator.Rows.Select(r => r.Number));
    }

    [Fact]
    public async Task Filters_narrow_by_risk_status_and_number()
    {
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var high = await _world.NewIntakeAsync("SS", RiskLevel.High);
        var low = await _world.NewIntakeAsync("SS", RiskLevel.Low);

        var byRisk = await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, new QueueFilter { CountryCode = "SS", RiskLevels = [RiskLevel.High] }));
        var byNumber = await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, new QueueFilter { NumberSearch = low.Number[^4..] + " ", CountryCode = "ss" }));
        var byStatus = await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, new QueueFilter { CountryCode = "SS", Statuses = [CaseStatus.Closed] }));

        Assert.Contains(high.Number, byRisk.Rows.Select(r => r.Number));
        Assert.DoesNotContain(low.Number, byRisk.Rows.Select(r => r.Number));
        Assert.Contains(low.Number, byNumber.Rows.Select(r => r.Number));
        Assert.Empty(byStatus.Rows);
    }

    [Fact]
    public async Task Risk_and_stage_sort_in_their_own_order_not_alphabetically()
    {
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var advocate = await _world.StaffAsync(Roles.Advocate, "SS");
        var low = await _world.NewIntakeAsync("SS", RiskLevel.Low);
        var high = await _world.NewIntakeAsync("SS", RiskLevel.High);
        var medium = await _world.NewIntakeAsync("SS", RiskLevel.Medium);
        await _world.CasesFor(advocate).ClaimAsync(advocate, medium.Id); // Intake → Assessment

        var filter = new QueueFilter { CountryCode = "SS" };
        var byRisk = (await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, filter, QueueSort.Risk, Descending: true, PageSize: 100))).Rows;
        var byStage = (await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, filter, QueueSort.Status, Descending: false, PageSize: 100))).Rows.ToList();

        // Highest risk first: High, then Medium, then Low ("Medium" > "Low" > "High" as text).
        Assert.Equal([high.Number, medium.Number, low.Number], byRisk.Select(r => r.Number).Where(n => n == low.Number || n == high.Number || n == medium.Number));
        Assert.Equal(byRisk.Select(r => r.RiskLevel).OrderDescending(), byRisk.Select(r => r.RiskLevel));

        // Stages as a case moves: Intake before Assessment ("Assessment" < "Intake" as text).
        Assert.Equal(byStage.Select(r => r.Status).Order(), byStage.Select(r => r.Status));
        Assert.True(byStage.FindIndex(r => r.Number == low.Number) < byStage.FindIndex(r => r.Number == medium.Number));
    }

    [Theory]
    [InlineData(QueueSort.Risk, true)]
    [InlineData(QueueSort.Status, false)]
    [InlineData(QueueSort.Opened, true)]
    public async Task Pages_in_the_second_half_read_from_the_end_give_the_rows_of_one_long_page(QueueSort sort, bool descending)
    {
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var advocate = await _world.StaffAsync(Roles.Advocate, "ML");
        var risks = new[] { RiskLevel.Low, RiskLevel.High, RiskLevel.Medium };
        for (var i = 0; i < 23; i++)
        {
            var intake = await _world.NewIntakeAsync("ML", risks[i % 3]);
            if (i % 4 == 0)
            {
                await _world.CasesFor(advocate).ClaimAsync(advocate, intake.Id); // another stage, for the stage order
            }
        }

        var filter = new QueueFilter { CountryCode = "ML" };
        var whole = await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, filter, sort, descending, 0, 100));
        var paged = new List<string>();
        for (var page = 0; page * 5 < whole.TotalCount; page++)
        {
            // Pages 0 to 2 skip from the start; those after half the total count back from the end, the last one short.
            paged.AddRange((await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, filter, sort, descending, page, 5))).Rows.Select(r => r.Number));
        }

        Assert.InRange(whole.TotalCount, 23, 100);
        Assert.Equal(whole.Rows.Select(r => r.Number), paged);
    }

    [Theory]
    [InlineData(QueueSort.Opened, false)]
    [InlineData(QueueSort.Opened, true)]
    [InlineData(QueueSort.Number, false)]
    [InlineData(QueueSort.Number, true)]
    public async Task Seeking_past_the_previous_page_gives_the_same_rows_as_skipping(QueueSort sort, bool descending)
    {
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var country = sort == QueueSort.Opened ? (descending ? "CD" : "HT") : (descending ? "CF" : "SO");
        for (var i = 0; i < 23; i++)
        {
            await _world.NewIntakeAsync(country);
        }

        var filter = new QueueFilter { CountryCode = country };
        var offsetPages = new List<string>();
        var keysetPages = new List<string>();
        QueueRow? last = null;
        for (var page = 0; page < 5; page++)
        {
            var byOffset = await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, filter, sort, descending, page, 5));
            var byKeyset = await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, filter, sort, descending, page, 5, last));
            offsetPages.AddRange(byOffset.Rows.Select(r => r.Number));
            keysetPages.AddRange(byKeyset.Rows.Select(r => r.Number));
            last = byKeyset.Rows.LastOrDefault();
        }

        Assert.Equal(offsetPages, keysetPages);
        Assert.Equal(offsetPages.Distinct().Count(), offsetPages.Count);
        Assert.True(offsetPages.Count >= 23);
    }
}
