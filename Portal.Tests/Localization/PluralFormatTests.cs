using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Portal.Features.Localization;
using Portal.Resources;

namespace Portal.Tests.Localization;

public sealed class PluralFormatTests
{
    private const string Days = "{0, plural, one {{0} jour de retard} other {{0} jours de retard}}";

    [Theory]
    [InlineData("fr", 0, "0 jour de retard")]
    [InlineData("fr", 1, "1 jour de retard")]
    [InlineData("fr", 2, "2 jours de retard")]
    [InlineData("en", 0, "0 jours de retard")]
    [InlineData("en", 1, "1 jour de retard")]
    public void The_form_follows_the_languages_rule(string language, int count, string expected) =>
        Assert.Equal(expected, PluralFormat.Format(Days, CultureInfo.GetCultureInfo(language), CultureInfo.GetCultureInfo(language), count));

    [Theory]
    [InlineData(0, "zero")]
    [InlineData(1, "one")]
    [InlineData(2, "two")]
    [InlineData(5, "few")]
    [InlineData(11, "many")]
    [InlineData(100, "other")]
    [InlineData(103, "few")]
    public void Arabic_has_six_forms(int count, string category) => Assert.Equal(category, PluralFormat.Category(CultureInfo.GetCultureInfo("ar"), count));

    [Fact]
    public void Numbers_are_written_the_languages_way_and_other_placeholders_still_format()
    {
        var fr = CultureInfo.GetCultureInfo("fr");
        Assert.Equal("12\u202f000 jours pour CF-2026-0001", PluralFormat.Format("{0, plural, one {# jour} other {# jours}} pour {1}", fr, fr, 12000, "CF-2026-0001"));
        Assert.Equal("Jour 3 : {brut}", PluralFormat.Format("Jour {0} : {{brut}}", fr, fr, 3));
    }

    [Fact]
    public void A_count_already_written_as_text_is_read_back_and_an_unreadable_one_takes_the_other_form()
    {
        var en = CultureInfo.GetCultureInfo("en");
        Assert.Equal("1 case", PluralFormat.Format("{0, plural, one {{0} case} other {{0} cases}}", en, en, "1"));
        Assert.Equal("many cases", PluralFormat.Format("{0, plural, one {{0} case} other {{0} cases}}", en, en, "many"));
    }

    [Fact]
    public void The_portals_localizers_format_through_the_plural_rules()
    {
        using var services = new ServiceCollection().AddLogging().AddPortalLocalization().BuildServiceProvider();
        var text = services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var (ui, culture) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr");
            Assert.Equal("1 jour de retard", text["Due_Overdue", 1]);
            Assert.Equal("3 jours de retard", text["Due_Overdue", 3]);
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en");
            Assert.Equal("1 day overdue", text["Due_Overdue", 1]);
            Assert.Equal("in 2 days", text["Due_InDays", 2]);
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, culture);
        }
    }
}
