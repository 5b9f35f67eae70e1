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
}
