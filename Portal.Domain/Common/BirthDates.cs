namespace Portal.Domain.Common;

/// <summary>
/// Birth data for survivors and children. Many people know only their birth year, so either a full date or a
/// year may be recorded.
/// </summary>
public static class BirthDates
{
    public const int AgeOfMajority = 18;
    private const int EarliestBirthYear = 1900;

    public static void Validate(DateOnly? dateOfBirth, int? birthYear, DateTime utcNow, string whose)
    {
        var latestToday = Clock.LatestDateOnEarth(utcNow);
        if (dateOfBirth is { } date && date > latestToday)
        {
            throw new DomainException(ErrorCodes.DateInFuture, $"{whose} date of birth {date:yyyy-MM-dd} is in the future.");
        }

        if (birthYear is { } year && (year < EarliestBirthYear || year > latestToday.Year))
        {
            throw new DomainException(
                ErrorCodes.InvalidValue,
                $"{whose} birth year {year} is not plausible: it must be between {EarliestBirthYear} and {latestToday.Year}.");
        }

        if (dateOfBirth is { } d && birthYear is { } y && d.Year != y)
        {
            throw new DomainException(
                ErrorCodes.InvalidValue,
                $"{whose} birth year {y} does not match the date of birth {d:yyyy-MM-dd}.");
        }
    }

    /// <summary>
    /// The day the person turns 18. With only a birth year we take 1 January of that year + 18: the earliest
    /// possible day, because from then on the person may be an adult whose own consent is what counts.
    /// </summary>
    public static DateOnly? AdulthoodDate(DateOnly? dateOfBirth, int? birthYear) =>
        dateOfBirth?.AddYears(AgeOfMajority)
        ?? (birthYear is { } year ? new DateOnly(year + AgeOfMajority, 1, 1) : null);
}
