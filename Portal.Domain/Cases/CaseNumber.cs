using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Portal.Domain.Common;

namespace Portal.Domain.Cases;

/// <summary>
/// Pseudonymous case number <c>{CC}-{yyyy}-{nnnn}</c>, e.g. CD-2026-0042: country, year of opening and a
/// sequence per country and year, zero-padded to four digits and longer past 9999. It carries no personal data.
/// </summary>
public sealed partial record CaseNumber : IParsable<CaseNumber>
{
    public const int MinYear = 2000;
    public const int MaxYear = 9999;
    public const int MaxSequence = 999_999_999;

    public CaseNumber(string countryCode, int year, int sequence)
    {
        if (year is < MinYear or > MaxYear)
        {
            throw new DomainException(ErrorCodes.InvalidValue, $"Case number year {year} is outside {MinYear}–{MaxYear}.");
        }

        if (sequence is < 1 or > MaxSequence)
        {
            throw new DomainException(ErrorCodes.InvalidValue, $"Case number sequence {sequence} is outside 1–{MaxSequence}.");
        }

        CountryCode = Guard.CountryCode(countryCode);
        Year = year;
        Sequence = sequence;
    }

    public string CountryCode { get; }

    public int Year { get; }

    public int Sequence { get; }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{CountryCode}-{Year:D4}-{Sequence:D4}");

    public static CaseNumber Parse(string s) =>
        TryParse(s, out var result)
            ? result
            : throw new DomainException(
                ErrorCodes.InvalidFormat,
                $"'{s}' is not a case number: expected country-year-number such as CD-2026-0042.");

    public static CaseNumber Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <summary>
    /// Accepts surrounding spaces and lower case (people type numbers into search boxes) but only the canonical
    /// digits: CD-2026-00042 is refused so that one case has exactly one spelling.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? s, [MaybeNullWhen(false)] out CaseNumber result)
    {
        result = null;
        if (s is null)
        {
            return false;
        }

        var text = s.Trim().ToUpperInvariant();
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var year = int.Parse(match.Groups["year"].ValueSpan, CultureInfo.InvariantCulture);
        var sequence = int.Parse(match.Groups["seq"].ValueSpan, CultureInfo.InvariantCulture);
        if (year < MinYear || sequence < 1)
        {
            return false;
        }

        var candidate = new CaseNumber(match.Groups["cc"].Value, year, sequence);
        if (candidate.ToString() != text)
        {
            return false;
        }

        result = candidate;
        return true;
    }

    public static bool TryParse(
        [NotNullWhen(true)] string? s,
        IFormatProvider? provider,
        [MaybeNullWhen(false)] out CaseNumber result) => TryParse(s, out result);

    [GeneratedRegex(@"^(?<cc>[A-Z]{2})-(?<year>[0-9]{4})-(?<seq>[0-9]{4,9})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
