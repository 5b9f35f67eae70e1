using Portal.Domain.Common;

namespace Portal.Tests.Domain;

public sealed class TimeZonesTests
{
    private static readonly DateTime Evening = new(2026, 3, 2, 19, 2, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("Africa/Bangui", "2026-03-02 20:02 (Africa/Bangui)")]
    [InlineData("America/Port-au-Prince", "2026-03-02 14:02 (America/Port-au-Prince)")]
    [InlineData("UTC", "2026-03-02 19:02 (UTC)")]
    [InlineData("Nowhere/Unknown", "2026-03-02 19:02 (UTC)")]
    [InlineData(null, "2026-03-02 19:02 (UTC)")]
    public void A_moment_reads_in_the_viewers_zone_and_says_which(string? zone, string expected) =>
        Assert.Equal(expected, TimeZones.Describe(Evening, zone));

    [Fact]
    public void Today_is_the_viewers_calendar_day()
    {
        var lateEvening = new DateTime(2026, 3, 2, 23, 30, 0, DateTimeKind.Utc);

        Assert.Equal(new DateTime(2026, 3, 3), TimeZones.LocalDate(lateEvening, "Africa/Bangui"));
        Assert.Equal(new DateTime(2026, 3, 2), TimeZones.LocalDate(lateEvening, "America/Port-au-Prince"));
    }
}
