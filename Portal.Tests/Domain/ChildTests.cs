using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;

namespace Portal.Tests.Domain;

public class ChildTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_birth_year_in_the_future_is_refused_for_a_child()
    {
        var refused = Assert.Throws<DomainException>(() => Child.Register(Guid.NewGuid(), "Child A", null, 2027, Sex.Female, null, Clock));

        Assert.Equal(ErrorCodes.InvalidValue, refused.Code);
    }

    [Theory]
    [InlineData(2026, 6)] // this month
    [InlineData(2027, 4)] // ten months ahead, the furthest a pregnancy reaches
    [InlineData(2026, 3)] // three months overdue, still expected
    public void A_pregnancy_is_recorded_as_an_expected_child_with_its_expected_month(int year, int month)
    {
        var child = Child.Expect(Guid.NewGuid(), "Child A", year, month, Sex.Unknown, "Antenatal care", Clock);

        Assert.True(child.IsExpected);
        Assert.Equal(new DateOnly(year, month, 1), child.ExpectedMonth);
        Assert.Null(child.BirthYear);
        Assert.Null(child.DateOfBirth);
    }

    [Theory]
    [InlineData(2027, 5, ErrorCodes.ChildExpectedTooFar)]
    [InlineData(2030, 1, ErrorCodes.ChildExpectedTooFar)]
    [InlineData(2026, 2, ErrorCodes.ChildExpectedPast)]
    [InlineData(2026, 13, ErrorCodes.InvalidValue)]
    [InlineData(2026, 0, ErrorCodes.InvalidValue)]
    public void An_expected_month_too_far_ahead_long_past_or_impossible_is_refused(int year, int month, string code)
    {
        var refused = Assert.Throws<DomainException>(() => Child.Expect(Guid.NewGuid(), "Child A", year, month, Sex.Unknown, null, Clock));

        Assert.Equal(code, refused.Code);
        Assert.Equal(code, Child.CheckExpectedMonth(year, month, Clock));
    }

    [Fact]
    public void Recording_the_birth_turns_the_expected_child_into_a_child_once()
    {
        var child = Child.Expect(Guid.NewGuid(), "Child A", 2026, 8, Sex.Unknown, null, Clock);
        var later = new FakeTimeProvider(new DateTimeOffset(2026, 8, 20, 8, 0, 0, TimeSpan.Zero));

        child.RecordBirth("Child A", new DateOnly(2026, 8, 18), null, Sex.Female, "Birth registration", later);
        var twice = Assert.Throws<DomainException>(() => child.RecordBirth("Child A", null, 2026, Sex.Female, null, later));

        Assert.False(child.IsExpected);
        Assert.Equal((new DateOnly(2026, 8, 18), 2026, Sex.Female), (child.DateOfBirth, child.BirthYear, child.Sex));
        Assert.Equal(new DateOnly(2026, 8, 1), child.ExpectedMonth);
        Assert.Equal(later.GetUtcNow().UtcDateTime, child.BirthRecordedAtUtc);
        Assert.Equal(ErrorCodes.ChildAlreadyBorn, twice.Code);
    }

    [Fact]
    public void A_birth_needs_its_year_and_a_birth_in_the_future_is_still_refused()
    {
        var child = Child.Expect(Guid.NewGuid(), "Child A", 2026, 7, Sex.Unknown, null, Clock);

        var noYear = Assert.Throws<DomainException>(() => child.RecordBirth("Child A", null, null, Sex.Male, null, Clock));
        var future = Assert.Throws<DomainException>(() => child.RecordBirth("Child A", new DateOnly(2026, 7, 2), null, Sex.Male, null, Clock));

        Assert.Equal(ErrorCodes.Required, noYear.Code);
        Assert.Equal(ErrorCodes.DateInFuture, future.Code);
        Assert.True(child.IsExpected);
    }

    [Fact]
    public void An_expected_child_has_no_birth_data_to_change_and_a_born_child_no_expected_month()
    {
        var expected = Child.Expect(Guid.NewGuid(), "Child A", 2026, 9, Sex.Unknown, null, Clock);
        var born = Child.Register(Guid.NewGuid(), "Child B", null, 2024, Sex.Male, null, Clock);

        var update = Assert.Throws<DomainException>(() => expected.Update("Child A", null, 2026, Sex.Female, null, Clock));
        var updateExpected = Assert.Throws<DomainException>(() => born.UpdateExpected("Child B", 2026, 9, Sex.Male, null, Clock));
        expected.UpdateExpected("Child A", 2026, 10, Sex.Female, "Antenatal care", Clock);

        Assert.Equal(ErrorCodes.ChildExpected, update.Code);
        Assert.Equal(ErrorCodes.ChildAlreadyBorn, updateExpected.Code);
        Assert.Equal((new DateOnly(2026, 10, 1), Sex.Female), (expected.ExpectedMonth, expected.Sex));
    }
}
