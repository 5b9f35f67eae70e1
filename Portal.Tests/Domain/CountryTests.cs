using Portal.Domain.Common;
using Portal.Domain.Countries;

namespace Portal.Tests.Domain;

public class CountryTests
{
    [Fact]
    public void The_four_field_countries_come_with_their_time_zones_and_languages()
    {
        var defaults = Countries.Defaults.ToDictionary(c => c.Code);

        Assert.Equal(new[] { "CD", "CF", "HT", "SS" }, defaults.Values.Where(c => c.IsFieldCountry).Select(c => c.Code).Order());
        Assert.Equal(new[] { "Africa/Kinshasa", "Africa/Lubumbashi" }, defaults["CD"].TimeZoneIds);
        Assert.Equal(new[] { "fr", "ln", "sw" }, defaults["CD"].Languages);
        Assert.Equal("Africa/Bangui", defaults["CF"].PrimaryTimeZoneId);
        Assert.Equal(new[] { "fr", "sg" }, defaults["CF"].Languages);
        Assert.Equal("Africa/Juba", defaults["SS"].PrimaryTimeZoneId);
        Assert.Equal("America/Port-au-Prince", defaults["HT"].PrimaryTimeZoneId);
        Assert.Equal(new[] { "fr", "ht" }, defaults["HT"].Languages);
        Assert.Contains("LB", defaults.Keys);
    }

    [Fact]
    public void Defaults_are_fresh_instances_so_no_two_contexts_share_one()
    {
        Assert.NotSame(Countries.Defaults[0], Countries.Defaults[0]);
    }

    [Theory]
    [InlineData("C")]
    [InlineData("COD")]
    [InlineData("C1")]
    [InlineData("")]
    public void A_country_code_is_two_letters(string code)
    {
        Assert.Throws<DomainException>(() => Country.Create(code, "X", ["Africa/Bangui"], ["fr"], false));
    }

    [Fact]
    public void Codes_are_stored_in_upper_case()
    {
        Assert.Equal("ML", Country.Create("ml", "Mali", ["Africa/Bamako"], ["fr"], false).Code);
    }

    [Fact]
    public void An_unknown_time_zone_or_no_language_is_refused()
    {
        Assert.Equal(ErrorCodes.UnknownTimeZone, Assert.Throws<DomainException>(() => Country.Create("ML", "Mali", ["Africa/Nowhere"], ["fr"], false)).Code);
        Assert.Equal(ErrorCodes.Required, Assert.Throws<DomainException>(() => Country.Create("ML", "Mali", [], ["fr"], false)).Code);
        Assert.Equal(ErrorCodes.Required, Assert.Throws<DomainException>(() => Country.Create("ML", "Mali", ["Africa/Bamako"], [], false)).Code);
    }
}
