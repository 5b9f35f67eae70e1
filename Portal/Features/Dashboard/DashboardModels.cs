using System.Globalization;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Referrals;
using Portal.Features.Queues;

namespace Portal.Features.Dashboard;

public enum DashboardPeriod
{
    Last30Days,
    Last90Days,
    Last12Months,
    YearToDate,

    /// <summary>One calendar year, named by <see cref="DashboardFilter.Year"/>.</summary>
    Year,
}

/// <summary>What the coordinator chose: one country or all (null), and a period for the figures that happen over time.</summary>
public sealed record DashboardFilter(string? CountryCode = null, DashboardPeriod Period = DashboardPeriod.Last12Months, int? Year = null)
{
    public const int EarliestYear = 2000;

    /// <summary>The period as whole UTC days, both ends included. A year not yet over ends today; a future year is refused.</summary>
    public DateRange Resolve(DateTime utcNow)
    {
        var today = DateOnly.FromDateTime(utcNow);
        return Period switch
        {
            DashboardPeriod.Last30Days => new DateRange(today.AddDays(-29), today),
            DashboardPeriod.Last90Days => new DateRange(today.AddDays(-89), today),
            DashboardPeriod.YearToDate => new DateRange(new DateOnly(today.Year, 1, 1), today),
            DashboardPeriod.Year => YearRange(Year ?? today.Year, today),
            _ => new DateRange(today.AddMonths(-12).AddDays(1), today),
        };
    }

    private static DateRange YearRange(int year, DateOnly today)
    {
        if (year < EarliestYear || year > today.Year)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, $"A report year is between {EarliestYear} and {today.Year}.");
        }

        var end = new DateOnly(year, 12, 31);
        return new DateRange(new DateOnly(year, 1, 1), end < today ? end : today);
    }
}

/// <summary>Whole days, both ends included.</summary>
public sealed record DateRange(DateOnly From, DateOnly To)
{
    public DateTime FromUtc => From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The first moment after the range.</summary>
    public DateTime UntilUtc => To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public override string ToString() => $"{From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}..{To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}

/// <summary>
/// A number on the dashboard and the queue that lists what it counts. <see cref="Value"/> is what is shown (cases,
/// follow-ups, referrals or claims, see <see cref="Counts"/>); <see cref="Cases"/> is how many distinct cases that
/// is, which is exactly what the queue behind <see cref="Filter"/> lists.
/// </summary>
public sealed record LinkedFigure(string Key, int Value, int Cases, QueueFilter Filter, FigureUnit Counts = FigureUnit.Cases)
{
    public string Link => QueueRoutes.For(QueueKind.AllCases, Filter);
}

public enum FigureUnit
{
    Cases,
    FollowUps,
    Referrals,
    Claims,
}

public sealed record ReferralCell(ReferralType Type, ReferralStatus Status, LinkedFigure Figure);

public sealed record ReferralTypeSummary(ReferralType Type, int Total, int Sent, int Completed, LinkedFigure AllOfType)
{
    /// <summary>Completed ÷ sent (a draft, or one withdrawn before sending, was never asked of a provider); null when none was sent.</summary>
    public double? CompletionRate => Sent == 0 ? null : (double)Completed / Sent;
}

/// <summary>A median duration and the cases it was measured on (null when there was nothing to measure).</summary>
public sealed record MedianFigure(TimeSpan? Median, LinkedFigure Basis);

public sealed record MonthCount(int Year, int Month, LinkedFigure Opened, LinkedFigure Closed)
{
    public string Label => new DateOnly(Year, Month, 1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
}

public sealed record AllegationYear(int Year, LinkedFigure UnMissions, LinkedFigure OtherEntities);

/// <summary>Everything the dashboard shows, computed in one pass for one filter.</summary>
/// <param name="StaleClaimDays">The time without movement after which <see cref="StaleClaims"/> counts a claim (Portal:Paternity:StaleAfterDays).</param>
public sealed record DashboardFigures(
    DashboardFilter Filter,
    DateRange Period,
    DateTime ComputedAtUtc,
    IReadOnlyList<(CaseStatus Status, LinkedFigure Figure)> OpenByStatus,
    LinkedFigure OpenTotal,
    LinkedFigure Unclaimed,
    DateTime? OldestUnclaimedOpenedAtUtc,
    LinkedFigure DueToday,
    LinkedFigure Overdue,
    IReadOnlyList<ReferralTypeSummary> ReferralTypes,
    IReadOnlyList<ReferralCell> ReferralCells,
    MedianFigure IntakeToFirstContact,
    MedianFigure ReferralToAcceptance,
    IReadOnlyList<(PaternityClaimStatus Status, LinkedFigure Figure)> PendingClaims,
    LinkedFigure PendingClaimsTotal,
    LinkedFigure StaleClaims,
    LinkedFigure AwaitingClosure,
    IReadOnlyList<MonthCount> Months,
    IReadOnlyList<AllegationYear> AllegationYears,
    int StaleClaimDays)
{
    /// <summary>How long the oldest unclaimed case has waited.</summary>
    public TimeSpan? OldestUnclaimedAge => OldestUnclaimedOpenedAtUtc is { } opened ? ComputedAtUtc - opened : null;

    /// <summary>Every clickable number, for the page and for the test that each one agrees with its queue.</summary>
    public IEnumerable<LinkedFigure> AllLinkedFigures()
    {
        foreach (var (_, figure) in OpenByStatus)
        {
            yield return figure;
        }

        yield return OpenTotal;
        yield return Unclaimed;
        yield return DueToday;
        yield return Overdue;
        foreach (var type in ReferralTypes)
        {
            yield return type.AllOfType;
        }

        foreach (var cell in ReferralCells)
        {
            yield return cell.Figure;
        }

        yield return IntakeToFirstContact.Basis;
        yield return ReferralToAcceptance.Basis;
        foreach (var (_, figure) in PendingClaims)
        {
            yield return figure;
        }

        yield return PendingClaimsTotal;
        yield return StaleClaims;
        yield return AwaitingClosure;
        foreach (var month in Months)
        {
            yield return month.Opened;
            yield return month.Closed;
        }

        foreach (var year in AllegationYears)
        {
            yield return year.UnMissions;
            yield return year.OtherEntities;
        }
    }
}

/// <summary>The annual summary: the dashboard's figures for one calendar year plus what only a yearly report asks.</summary>
public sealed record AnnualSummary(
    int Year,
    DashboardFigures Figures,
    LinkedFigure CasesOpened,
    LinkedFigure CasesClosed,
    LinkedFigure CasesAssisted,
    int ChildrenRegistered,
    int ChildrenBorn,
    int ClaimsOpened,
    IReadOnlyList<(PaternityClaimStatus Status, int Claims)> ClaimsOpenedByStatusNow,
    IReadOnlyList<(AllegationEntityType EntityType, int Allegations)> AllegationsByEntityType,
    LinkedFigure AllegationsUnMissions,
    LinkedFigure AllegationsOtherEntities);
