namespace Portal.Infrastructure.Data.Seeding;

/// <summary>
/// A clock the seeder moves by hand, so that every domain method stamps the moment the story says it happened.
/// Each aggregate is driven forwards in time; the clock jumps back when the seeder moves on to the next one.
/// </summary>
internal sealed class SettableClock : TimeProvider
{
    private DateTimeOffset _now;

    public SettableClock(DateTime utc) => Set(utc);

    public DateTime UtcNow => _now.UtcDateTime;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTime utc) => _now = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc).Ticks, TimeSpan.Zero);
}
