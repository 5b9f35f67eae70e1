using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Infrastructure.Data;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Persistence;

/// <summary>
/// The dashboard's medians ask the database for the time between two stored moments (<see cref="PortalDbFunctions.Days"/>)
/// instead of reading both dates. Each engine computes it its own way (SQLite's Julian day, a PostgreSQL function made on
/// start-up); both must give the time the two dates are apart, to the millisecond.
/// </summary>
public sealed class PortalDbFunctionsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static int _lastNumber = 7_000;

    [Theory]
    [InlineData(0)] // contacted the moment the case opened
    [InlineData(1)] // one millisecond later
    [InlineData(273_906_789)] // 3 days 4:05:06.789
    [InlineData(31_622_400_000)] // a whole leap year
    public async Task The_time_between_two_stored_moments_comes_back_to_the_millisecond(long milliseconds)
    {
        var opened = new DateTimeOffset(2024, 2, 28, 23, 59, 58, TimeSpan.Zero).AddTicks(1_234_567);
        var clock = new FakeTimeProvider(opened);
        var survivorCase = Case.OpenFromIntake(new CaseNumber("HT", 2024, Interlocked.Increment(ref _lastNumber)), "HT", RiskLevel.Medium, "fr", null, clock);
        clock.Advance(TimeSpan.FromMilliseconds(milliseconds));
        survivorCase.Claim("advocate-1", clock); // the first contact
        await using (var db = database.NewContext())
        {
            db.Add(survivorCase);
            await db.SaveChangesAsync();
        }

        await using var read = database.NewContext();
        var days = await read.Cases.Where(c => c.Id == survivorCase.Id)
            .Select(c => PortalDbFunctions.Days(c.FirstContactAtUtc!.Value) - PortalDbFunctions.Days(c.OpenedAtUtc))
            .SingleAsync();

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), PortalDbFunctions.ToTimeSpan(days));
    }

    [Fact]
    public void Outside_a_query_the_function_refuses_to_run()
    {
        Assert.Throws<InvalidOperationException>(() => PortalDbFunctions.Days(DateTime.UtcNow));
    }
}
