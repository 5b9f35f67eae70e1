using Portal.Domain.Common;

namespace Portal.Domain.Cases;

/// <summary>
/// Issues case numbers for one country and year. <see cref="LastNumber"/> only ever grows, so a number is never
/// reused, not even after a case is deleted as a duplicate. The persistence layer should treat LastNumber as a
/// concurrency token so two nodes cannot issue the same number.
/// </summary>
public sealed class CaseNumberSequence
{
    private CaseNumberSequence()
    {
    }

    public string CountryCode { get; private set; } = string.Empty;

    public int Year { get; private set; }

    public int LastNumber { get; private set; }

    public static CaseNumberSequence Start(string countryCode, int year)
    {
        var first = new CaseNumber(countryCode, year, 1);
        return new CaseNumberSequence { CountryCode = first.CountryCode, Year = year };
    }

    public CaseNumber Next()
    {
        if (LastNumber >= CaseNumber.MaxSequence)
        {
            throw new DomainException(
                ErrorCodes.CaseNumberExhausted,
                $"Cannot issue another case number for {CountryCode} in {Year}: all {CaseNumber.MaxSequence} are used.");
        }

        LastNumber++;
        return new CaseNumber(CountryCode, Year, LastNumber);
    }
}
