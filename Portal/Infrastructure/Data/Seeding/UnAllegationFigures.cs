using Portal.Domain.Cases;

namespace Portal.Infrastructure.Data.Seeding;

/// <summary>
/// Allegations of sexual exploitation and abuse reported to the UN each year, as published by the Secretary-General:
/// those involving personnel of peacekeeping and special political missions, and those involving other UN entities
/// (agencies, funds, programmes and their implementing partners). No figure for other entities was published for
/// 2022; it counts as 0. The demo data holds exactly this many allegations per year (by the year reported).
/// </summary>
public static class UnAllegationFigures
{
    public static IReadOnlyList<YearFigures> ByYear { get; } =
    [
        new(2017, 62, 44),
        new(2018, 54, 93),
        new(2019, 80, 95),
        new(2020, 66, 91),
        new(2021, 75, 115),
        new(2022, 79, 0),
        new(2023, 100, 284),
        new(2024, 102, 190),
    ];

    public static int Total => ByYear.Sum(y => y.PeacekeepingAndSpecialPoliticalMissions + y.OtherUnEntities);

    /// <summary>
    /// Which column of the published figures an allegation counts in. Non-UN forces are reported separately, so the
    /// demo data gives them no allegation reported in the published years.
    /// </summary>
    public static bool IsMissionAllegation(AllegationEntityType entityType) =>
        entityType is AllegationEntityType.PeacekeepingMission or AllegationEntityType.SpecialPoliticalMission;

    public sealed record YearFigures(int Year, int PeacekeepingAndSpecialPoliticalMissions, int OtherUnEntities);
}
