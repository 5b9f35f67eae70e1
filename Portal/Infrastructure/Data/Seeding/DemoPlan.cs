using Portal.Domain.Cases;
using Portal.Domain.Countries;

namespace Portal.Infrastructure.Data.Seeding;

/// <summary>Where a demo case's story ends. Reopened: closed once, then reopened and being worked again.</summary>
internal enum DemoStage
{
    Intake,
    Assessment,
    ActionPlan,
    Assistance,
    FollowUp,
    ClosureRequested,
    Closed,
    Reopened,
}

internal sealed record DemoAllegationPlan(AllegationEntityType EntityType, string EntityName, DateOnly DateReported);

internal sealed record DemoCasePlan(
    int Index,
    string CountryCode,
    DateTime OpenedAtUtc,
    DemoStage Stage,
    bool Historic,
    DemoAllegationPlan? Allegation,
    bool ChildBornOfSea);

/// <summary>
/// Decides which cases exist, when they opened and how far their story goes; <see cref="DemoCaseBuilder"/> then
/// plays each story through the domain.
/// <para>
/// A case carries at most one allegation, so matching the published yearly figures takes one historic case per
/// allegation: 1,530 cases opened 2017–2024, nearly all closed or in long-term follow-up (child support), plus
/// <see cref="CurrentCaseCount"/> cases opened in the last eighteen months spread over every stage. Allegations on
/// current cases are reported from 2025 on, outside the published years, so the published years match exactly.
/// </para>
/// </summary>
internal static class DemoPlanner
{
    public const int CurrentCaseCount = 300;

    private static readonly DateOnly FirstUnpublishedDay = new(2025, 1, 1);

    private static readonly (string Country, int Weight)[] MissionCountries =
    [
        (Countries.CentralAfricanRepublic, 30), (Countries.DemocraticRepublicOfTheCongo, 30), (Countries.SouthSudan, 14),
        (Countries.Haiti, 8), (Countries.Lebanon, 5), (Countries.Mali, 8), (Countries.Somalia, 5),
    ];

    private static readonly (string Country, int Weight)[] EntityCountries =
    [
        (Countries.CentralAfricanRepublic, 18), (Countries.DemocraticRepublicOfTheCongo, 30), (Countries.SouthSudan, 18),
        (Countries.Haiti, 14), (Countries.Lebanon, 8), (Countries.Mali, 6), (Countries.Somalia, 6),
    ];

    private static readonly (string Country, int Weight)[] CurrentCountries =
    [
        (Countries.CentralAfricanRepublic, 25), (Countries.DemocraticRepublicOfTheCongo, 30), (Countries.SouthSudan, 15),
        (Countries.Haiti, 15), (Countries.Lebanon, 5), (Countries.Mali, 5), (Countries.Somalia, 5),
    ];

    /// <summary>How many current cases end in each stage, and how long ago (days) such a case opened.</summary>
    private static readonly (DemoStage Stage, int Count, double MinAgeDays, double MaxAgeDays)[] CurrentStages =
    [
        (DemoStage.Intake, 30, 0.05, 4),
        (DemoStage.Assessment, 45, 1, 45),
        (DemoStage.ActionPlan, 35, 7, 90),
        (DemoStage.Assistance, 55, 20, 250),
        (DemoStage.FollowUp, 55, 45, 450),
        (DemoStage.ClosureRequested, 20, 40, 450),
        (DemoStage.Closed, 45, 30, 540),
        (DemoStage.Reopened, 15, 120, 540),
    ];

    /// <summary>All plans, oldest first, so case numbers run in order of opening within each country and year.</summary>
    public static List<DemoCasePlan> Plan(Random random, DateTime utcNow)
    {
        var plans = new List<DemoCasePlan>();
        var latestOpening = utcNow.AddDays(-2);
        foreach (var year in UnAllegationFigures.ByYear)
        {
            for (var i = 0; i < year.PeacekeepingAndSpecialPoliticalMissions + year.OtherUnEntities; i++)
            {
                var mission = i < year.PeacekeepingAndSpecialPoliticalMissions;
                var country = Pick(random, mission ? MissionCountries : EntityCountries);
                var entity = mission ? MissionEntity(country, year.Year) : OtherEntity(random);
                var reported = new DateOnly(year.Year, 1, 1).AddDays(random.Next(DateTime.IsLeapYear(year.Year) ? 366 : 365));
                var opened = reported.ToDateTime(new TimeOnly(7, 0), DateTimeKind.Utc).AddDays(random.Next(0, 45)).AddMinutes(random.Next(0, 9 * 60));
                var child = random.NextDouble() < (mission ? 0.12 : 0.05);
                var stage = child
                    ? (random.NextDouble() < 0.85 ? DemoStage.FollowUp : DemoStage.Assistance)
                    : Pick(random, [(DemoStage.Closed, 90), (DemoStage.FollowUp, 4), (DemoStage.Assistance, 3), (DemoStage.Reopened, 3)]);
                plans.Add(new DemoCasePlan(
                    plans.Count,
                    country,
                    opened < latestOpening ? opened : latestOpening,
                    stage,
                    Historic: true,
                    new DemoAllegationPlan(entity.Type, entity.Name, reported),
                    child));
            }
        }

        var stages = CurrentStages.SelectMany(s => Enumerable.Repeat(s, s.Count)).OrderBy(_ => random.Next()).ToList();
        foreach (var (stage, _, minAge, maxAge) in stages)
        {
            var country = Pick(random, CurrentCountries);
            var opened = utcNow.AddDays(-(minAge + (random.NextDouble() * (maxAge - minAge))));
            var child = random.NextDouble() < 0.08;
            DemoAllegationPlan? allegation = null;
            var earliestReport = DateOnly.FromDateTime(opened.AddDays(-90));
            if (earliestReport < FirstUnpublishedDay)
            {
                earliestReport = FirstUnpublishedDay;
            }

            var openedDay = DateOnly.FromDateTime(opened);
            if (stage != DemoStage.Intake && random.NextDouble() < 0.65 && earliestReport <= openedDay)
            {
                var entity = Pick(random, [(0, 60), (1, 25), (2, 10), (3, 5)]) switch
                {
                    0 => MissionEntity(country, openedDay.Year),
                    1 => (AllegationEntityType.AgencyFundOrProgramme, $"Demo agency, fund or programme {random.Next(1, 9):D2}"),
                    2 => (AllegationEntityType.ImplementingPartner, $"Demo implementing partner {random.Next(1, 25):D2}"),
                    _ => (AllegationEntityType.NonUnForceUnderSecurityCouncilMandate, "Demo non-UN force under Security Council mandate"),
                };
                var reported = earliestReport.AddDays(random.Next(openedDay.DayNumber - earliestReport.DayNumber + 1));
                allegation = new DemoAllegationPlan(entity.Item1, entity.Item2, reported);
            }

            plans.Add(new DemoCasePlan(plans.Count, country, opened, stage, Historic: false, allegation, child));
        }

        return plans.OrderBy(p => p.OpenedAtUtc).ThenBy(p => p.Index).ToList();
    }

    public static T Pick<T>(Random random, IReadOnlyList<(T Item, int Weight)> options)
    {
        var roll = random.Next(options.Sum(o => o.Weight));
        foreach (var (item, weight) in options)
        {
            if (roll < weight)
            {
                return item;
            }

            roll -= weight;
        }

        return options[^1].Item;
    }

    /// <summary>Invented labels: the per-mission split is the demo's, only the yearly totals are real.</summary>
    private static (AllegationEntityType Type, string Name) MissionEntity(string country, int year) =>
        country == Countries.Somalia || (country == Countries.Haiti && year >= 2019)
            ? (AllegationEntityType.SpecialPoliticalMission, $"Demo special political mission ({country})")
            : (AllegationEntityType.PeacekeepingMission, $"Demo peacekeeping mission ({country})");

    private static (AllegationEntityType Type, string Name) OtherEntity(Random random) =>
        random.NextDouble() < 0.7
            ? (AllegationEntityType.AgencyFundOrProgramme, $"Demo agency, fund or programme {random.Next(1, 9):D2}")
            : (AllegationEntityType.ImplementingPartner, $"Demo implementing partner {random.Next(1, 25):D2}");
}
