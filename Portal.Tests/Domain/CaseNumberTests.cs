using Portal.Domain.Cases;
using Portal.Domain.Common;

namespace Portal.Tests.Domain;

public class CaseNumberTests
{
    [Theory]
    [InlineData("CD", 2026, 42, "CD-2026-0042")]
    [InlineData("HT", 2027, 1, "HT-2027-0001")]
    [InlineData("SS", 2026, 9999, "SS-2026-9999")]
    [InlineData("CF", 2026, 12345, "CF-2026-12345")]
    public void Formats_as_country_year_and_at_least_four_digits(string country, int year, int sequence, string expected)
    {
        Assert.Equal(expected, new CaseNumber(country, year, sequence).ToString());
    }

    [Theory]
    [InlineData("CD-2026-0042")]
    [InlineData("CF-2026-12345")]
    public void Parsing_round_trips(string text)
    {
        Assert.Equal(text, CaseNumber.Parse(text).ToString());
    }

    [Fact]
    public void Parsing_accepts_lower_case_and_surrounding_spaces()
    {
        var number = CaseNumber.Parse("  cd-2026-0042 ");

        Assert.Equal(new CaseNumber("CD", 2026, 42), number);
        Assert.Equal("CD", number.CountryCode);
        Assert.Equal(2026, number.Year);
        Assert.Equal(42, number.Sequence);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("CD-2026-42")]
    [InlineData("CD-2026-00042")]
    [InlineData("CD-2026-0000")]
    [InlineData("CD-26-0042")]
    [InlineData("COD-2026-0042")]
    [InlineData("C1-2026-0042")]
    [InlineData("CD-1999-0042")]
    [InlineData("CD/2026/0042")]
    [InlineData("CD-2026-0042x")]
    public void Malformed_or_non_canonical_numbers_are_refused(string? text)
    {
        Assert.False(CaseNumber.TryParse(text, out _));
    }

    [Fact]
    public void Parse_throws_a_domain_exception_for_bad_input()
    {
        var ex = Assert.Throws<DomainException>(() => CaseNumber.Parse("42"));

        Assert.Equal(ErrorCodes.InvalidFormat, ex.Code);
    }

    [Fact]
    public void A_sequence_issues_consecutive_numbers_for_its_country_and_year()
    {
        var sequence = CaseNumberSequence.Start("cd", 2026);

        Assert.Equal("CD-2026-0001", sequence.Next().ToString());
        Assert.Equal("CD-2026-0002", sequence.Next().ToString());
        Assert.Equal(2, sequence.LastNumber);
    }

    [Fact]
    public void A_sequence_never_reuses_a_number_and_grows_past_four_digits()
    {
        var sequence = CaseNumberSequence.Start("HT", 2026);

        var issued = Enumerable.Range(0, 10_001).Select(_ => sequence.Next().ToString()).ToList();

        Assert.Equal(issued.Count, issued.Distinct().Count());
        Assert.Equal("HT-2026-10001", issued[^1]);
        Assert.Equal(10_001, sequence.LastNumber);
    }
}
