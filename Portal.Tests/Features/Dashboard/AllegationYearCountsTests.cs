using Microsoft.EntityFrameworkCore;
using Portal.Features.Dashboard;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Dashboard;

/// <summary>
/// The allegations by year come from counts the database keeps by triggers on the cases (AllegationYearCounts): they
/// follow every write, raw SQL included, and are narrowed to the viewer's country like every other figure.
/// </summary>
public sealed class AllegationYearCountsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly ReferralWorld _world = new(database);

    [Fact]
    public async Task Allegation_figures_follow_every_change_to_a_cases_allegation()
    {
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        var dashboard = new DashboardService(database.Contexts, TimeProvider.System, _world.Cases.AuditFor(coordinator), _world.Policy, _world.Cases.ScopeFor(coordinator));
        var (survivorCase, _) = await _world.ClaimedCaseAsync("HT");
        await _world.RecordIncidentAsync(survivorCase.Id, new DateOnly(2023, 3, 1), TimeProvider.System);

        async Task<List<(int Year, int Missions, int Others)>> YearsAsync(string? country = null) =>
            (await dashboard.GetAsync(coordinator, new DashboardFilter(country))).AllegationYears.Select(y => (y.Year, y.UnMissions.Value, y.OtherEntities.Value)).ToList();

        Assert.Equal([(2023, 1, 0)], await YearsAsync());
        Assert.Equal([(2023, 1, 0)], await YearsAsync("HT"));
        Assert.Empty(await YearsAsync("CD"));

        await using (var db = database.NewContext())
        {
            await db.Database.ExecuteSqlAsync($"""UPDATE "Cases" SET "Allegation_DateReported" = {new DateOnly(2022, 5, 1)} WHERE "Id" = {survivorCase.Id}""");
        }

        Assert.Equal([(2022, 1, 0)], await YearsAsync());
        var annual = await dashboard.GetAnnualAsync(coordinator, 2022, "HT");
        Assert.Equal((1, 0), (annual.AllegationsUnMissions.Value, annual.AllegationsOtherEntities.Value));

        await using (var db = database.NewContext())
        {
            await db.Database.ExecuteSqlAsync($"""UPDATE "Cases" SET "CountryCode" = 'CD' WHERE "Id" = {survivorCase.Id}""");
        }

        Assert.Empty(await YearsAsync("HT"));
        Assert.Equal([(2022, 1, 0)], await YearsAsync("CD"));
    }
}
