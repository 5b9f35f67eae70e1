namespace Portal.Domain.Common;

public static class TimeZones
{
    /// <summary>Resolves an IANA time zone id (the form used on Linux and in the country list).</summary>
    public static TimeZoneInfo Find(string timeZoneId)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone))
        {
            throw new DomainException(ErrorCodes.UnknownTimeZone, $"Time zone '{timeZoneId}' is not known to this system.");
        }

        return zone;
    }

    /// <summary>
    /// Local wall time to UTC. A local time inside a spring-forward gap does not exist (some zones, Beirut for one,
    /// jump at midnight); it is read with the offset in force just before, which lands on the same elapsed moment
    /// after the jump.
    /// </summary>
    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            return DateTime.SpecifyKind(unspecified - zone.GetUtcOffset(unspecified.AddDays(-1)), DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }

    /// <summary>
    /// A moment as one person reads it: the wall time in their zone, labelled with the zone ("2026-03-02 20:02
    /// (Africa/Bangui)"), the same on every page and in every e-mail. A zone this system does not know shows UTC.
    /// Audit lists ask for the seconds, which tell apart what happened within one minute.
    /// </summary>
    public static string Describe(DateTime utc, string? timeZoneId, bool withSeconds = false)
    {
        var zone = timeZoneId is null || timeZoneId == "UTC" || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var found) ? null : found;
        var instant = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        var format = withSeconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm";
        return zone is null
            ? instant.ToString(format, System.Globalization.CultureInfo.InvariantCulture) + " (UTC)"
            : TimeZoneInfo.ConvertTimeFromUtc(instant, zone).ToString(format, System.Globalization.CultureInfo.InvariantCulture) + $" ({timeZoneId})";
    }

    /// <summary>The calendar day a moment falls on in a zone (UTC for an unknown one), for "today" and "in 3 days".</summary>
    public static DateTime LocalDate(DateTime utc, string? timeZoneId) =>
        timeZoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone)
            ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).Date
            : utc.Date;
}
