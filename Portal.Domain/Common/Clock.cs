namespace Portal.Domain.Common;

public static class Clock
{
    /// <summary>Now as a UTC <see cref="DateTime"/>, the form instants are stored in.</summary>
    public static DateTime GetUtcDateTime(this TimeProvider clock) => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// The latest calendar date anywhere on Earth (UTC+14). Dates without time (incident, birth) are entered in
    /// the user's local calendar, so "not in the future" must not reject a date that is already today somewhere.
    /// </summary>
    public static DateOnly LatestDateOnEarth(DateTime utcNow) => DateOnly.FromDateTime(utcNow.AddHours(14));

    /// <summary>Midnight UTC starting the day: whole-day filters and the figures that link to them count days this way.</summary>
    public static DateTime StartOfUtcDay(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>Today in UTC, as [From, Until).</summary>
    public static (DateTime From, DateTime Until) UtcDayOf(DateTime utcNow) => (utcNow.Date, utcNow.Date.AddDays(1));
}
