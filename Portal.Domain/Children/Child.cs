using Portal.Domain.Cases;
using Portal.Domain.Common;

namespace Portal.Domain.Children;

/// <summary>
/// A child born of sexual exploitation and abuse, known only by a pseudonym within the mother's case. A pregnancy is
/// recorded as an expected child with the month the birth is expected, and becomes a child once, when the birth is
/// recorded: support for the mother and a paternity claim often start before the birth.
/// </summary>
public sealed class Child : VersionedEntity
{
    public const int PseudonymMaxLength = 100;
    public const int NeedsMaxLength = 4000;

    /// <summary>A pregnancy lasts about nine months; a month further ahead is a typing error, not a pregnancy.</summary>
    public const int ExpectedMonthsAheadMax = 10;

    /// <summary>A birth a little overdue is still expected; past that, the birth should be recorded instead.</summary>
    public const int ExpectedMonthsOverdueMax = 3;

    private Child()
    {
    }

    public Guid Id { get; private set; }

    public Guid CaseId { get; private set; }

    /// <summary>A label such as "Child A"; never the child's name.</summary>
    public string Pseudonym { get; private set; } = string.Empty;

    public DateOnly? DateOfBirth { get; private set; }

    public int? BirthYear { get; private set; }

    public Sex Sex { get; private set; }

    public string? Needs { get; private set; }

    /// <summary>The first day of the month the birth is expected; kept after the birth is recorded.</summary>
    public DateOnly? ExpectedMonth { get; private set; }

    /// <summary>True until the birth is recorded.</summary>
    public bool IsExpected { get; private set; }

    public DateTime? BirthRecordedAtUtc { get; private set; }

    public static Child Register(
        Guid caseId,
        string pseudonym,
        DateOnly? dateOfBirth,
        int? birthYear,
        Sex sex,
        string? needs,
        TimeProvider clock)
    {
        var child = new Child { Id = Guid.CreateVersion7(), CaseId = caseId };
        child.Update(pseudonym, dateOfBirth, birthYear, sex, needs, clock);
        return child;
    }

    /// <summary>Records a pregnancy: the child is expected in <paramref name="year"/>-<paramref name="month"/>.</summary>
    public static Child Expect(Guid caseId, string pseudonym, int year, int month, Sex sex, string? needs, TimeProvider clock)
    {
        var child = new Child { Id = Guid.CreateVersion7(), CaseId = caseId, IsExpected = true };
        child.UpdateExpected(pseudonym, year, month, sex, needs, clock);
        return child;
    }

    /// <summary>Why an expected month is refused, or null when it is plausible: not long past, not beyond a pregnancy.</summary>
    public static string? CheckExpectedMonth(int year, int month, TimeProvider clock)
    {
        if (month is < 1 or > 12 || year is < 1900 or > 9998)
        {
            return ErrorCodes.InvalidValue;
        }

        var today = DateOnly.FromDateTime(clock.GetUtcDateTime());
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var expected = new DateOnly(year, month, 1);
        if (expected > thisMonth.AddMonths(ExpectedMonthsAheadMax))
        {
            return ErrorCodes.ChildExpectedTooFar;
        }

        return expected < thisMonth.AddMonths(-ExpectedMonthsOverdueMax) ? ErrorCodes.ChildExpectedPast : null;
    }

    /// <summary>Changes an expected child's record; a born child's birth data is changed with <see cref="Update"/>.</summary>
    public void UpdateExpected(string pseudonym, int year, int month, Sex sex, string? needs, TimeProvider clock)
    {
        if (!IsExpected)
        {
            throw new DomainException(ErrorCodes.ChildAlreadyBorn, "The child's birth is already recorded; change its birth data instead.");
        }

        if (CheckExpectedMonth(year, month, clock) is { } code)
        {
            throw new DomainException(code, $"The expected month {year:D4}-{month:D2} is not plausible for a pregnancy.");
        }

        var checkedPseudonym = Guard.Required(pseudonym, "Pseudonym", PseudonymMaxLength);
        var checkedSex = Guard.Defined(sex, "Sex");
        var checkedNeeds = Guard.Optional(needs, "Needs", NeedsMaxLength);
        Pseudonym = checkedPseudonym;
        ExpectedMonth = new DateOnly(year, month, 1);
        Sex = checkedSex;
        Needs = checkedNeeds;
        Touch();
    }

    /// <summary>
    /// Turns the expected child into a child, once: the birth needs at least its year. The expected month stays as it
    /// was recorded.
    /// </summary>
    public void RecordBirth(string pseudonym, DateOnly? dateOfBirth, int? birthYear, Sex sex, string? needs, TimeProvider clock)
    {
        if (!IsExpected)
        {
            throw new DomainException(ErrorCodes.ChildAlreadyBorn, "The child's birth is already recorded.");
        }

        if (dateOfBirth is null && birthYear is null)
        {
            throw new DomainException(ErrorCodes.Required, "The birth year or date of birth is required to record a birth.");
        }

        Apply(pseudonym, dateOfBirth, birthYear, sex, needs, clock);
        IsExpected = false;
        BirthRecordedAtUtc = clock.GetUtcDateTime();
    }

    public void Update(string pseudonym, DateOnly? dateOfBirth, int? birthYear, Sex sex, string? needs, TimeProvider clock)
    {
        if (IsExpected)
        {
            throw new DomainException(ErrorCodes.ChildExpected, "The child is expected: record the birth first.");
        }

        Apply(pseudonym, dateOfBirth, birthYear, sex, needs, clock);
    }

    /// <summary>Checks everything before changing anything, so a refused change leaves the child as it was.</summary>
    private void Apply(string pseudonym, DateOnly? dateOfBirth, int? birthYear, Sex sex, string? needs, TimeProvider clock)
    {
        BirthDates.Validate(dateOfBirth, birthYear, clock.GetUtcDateTime(), "The child's");
        var checkedPseudonym = Guard.Required(pseudonym, "Pseudonym", PseudonymMaxLength);
        var checkedSex = Guard.Defined(sex, "Sex");
        var checkedNeeds = Guard.Optional(needs, "Needs", NeedsMaxLength);
        Pseudonym = checkedPseudonym;
        DateOfBirth = dateOfBirth;
        BirthYear = birthYear ?? dateOfBirth?.Year;
        Sex = checkedSex;
        Needs = checkedNeeds;
        Touch();
    }

    /// <summary>Completed months of age; null without a full date of birth (a year is too coarse for an infant).</summary>
    public int? AgeInMonths(DateOnly today)
    {
        if (DateOfBirth is not { } born || today < born)
        {
            return null;
        }

        var months = ((today.Year - born.Year) * 12) + today.Month - born.Month;
        return today.Day < born.Day ? months - 1 : months;
    }
}
