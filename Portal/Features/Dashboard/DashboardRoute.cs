namespace Portal.Features.Dashboard;

public static class DashboardRoute
{
    /// <summary>The filter a dashboard URL names; an unreadable period falls back to the default (the board shows which period it used).</summary>
    public static DashboardFilter Filter(string? country, string? period, int? year)
    {
        var parsed = Enum.TryParse<DashboardPeriod>(period, ignoreCase: true, out var p) && Enum.IsDefined(p) && period is { Length: > 0 } && !char.IsAsciiDigit(period[0])
            ? p
            : DashboardPeriod.Last12Months;
        return new DashboardFilter(
            string.IsNullOrWhiteSpace(country) ? null : country.Trim().ToUpperInvariant(),
            parsed,
            parsed == DashboardPeriod.Year ? year ?? DateTime.UtcNow.Year : null);
    }
}
