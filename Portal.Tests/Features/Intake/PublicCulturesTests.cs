using System.Globalization;
using System.Resources;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Portal.Features.Intake;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Intake;

public sealed class PublicCulturesTests
{
    [Theory]
    [InlineData("fr-CD,fr;q=0.9,en;q=0.8", "fr")]
    [InlineData("sw-KE", "sw")]
    [InlineData("ar-EG,ar;q=0.9", "ar")]
    [InlineData("ht", "ht")]
    [InlineData("de-DE,ln;q=0.7,en;q=0.5", "ln")]
    [InlineData("en;q=0.4,sg;q=0.8", "sg")]
    [InlineData("de-DE,it", null)]
    [InlineData("fr;q=0", null)]
    [InlineData("", null)]
    public void The_browsers_languages_preselect_the_best_supported_one(string header, string? expected) =>
        Assert.Equal(expected, PublicCultures.FromAcceptLanguage(header)?.Code);

    [Fact]
    public void The_remembered_choice_wins_over_the_browser_and_unknown_cookies_are_ignored()
    {
        var chosen = new DefaultHttpContext();
        chosen.Request.Headers.AcceptLanguage = "fr";
        chosen.Request.Headers.Cookie = $"{PublicCultures.CookieName}=sw";
        var bogus = new DefaultHttpContext();
        bogus.Request.Headers.AcceptLanguage = "fr";
        bogus.Request.Headers.Cookie = $"{PublicCultures.CookieName}=de";
        var nothing = new DefaultHttpContext();

        Assert.Equal("sw", PublicCultures.Resolve(chosen.Request).Code);
        Assert.Equal("fr", PublicCultures.Resolve(bogus.Request).Code);
        Assert.Equal("en", PublicCultures.Resolve(nothing.Request).Code);
    }

    [Fact]
    public void Arabic_is_right_to_left_and_only_Lingala_and_Sango_are_drafts()
    {
        Assert.Equal(["ar"], PublicCultures.All.Where(l => l.RightToLeft).Select(l => l.Code));
        Assert.Equal(["ln", "sg"], PublicCultures.All.Where(l => l.Draft).Select(l => l.Code));
        Assert.Equal(["en", "fr", "ht", "sw", "ar", "ln", "sg"], PublicCultures.All.Select(l => l.Code));
    }

    /// <summary>Names that are the same in a language as in English: no sign of an English string left behind.</summary>
    private static readonly Dictionary<string, string[]> SameAsEnglish = new(StringComparer.Ordinal)
    {
        ["sw"] = ["Country_HT"], // "Haiti"
    };

    [Fact]
    public void Every_public_language_has_every_key_translated_with_no_English_left_and_the_same_placeholders()
    {
        var folder = Path.Combine(RepositoryPaths.PortalProject, "Features", "Intake");
        var english = Keys(Path.Combine(folder, "IntakeText.resx"));
        Assert.True(english.Count > 100, $"{english.Count} English strings");
        foreach (var language in PublicCultures.All.Where(l => l.Code != "en"))
        {
            var translated = Keys(Path.Combine(folder, $"IntakeText.{language.Code}.resx"));
            Assert.True(english.Keys.Order().SequenceEqual(translated.Keys.Order()),
                $"{language.Code}: missing {string.Join(", ", english.Keys.Except(translated.Keys))}; not in English {string.Join(", ", translated.Keys.Except(english.Keys))}");
            var allowed = SameAsEnglish.GetValueOrDefault(language.Code, []);
            foreach (var (key, value) in translated)
            {
                Assert.False(string.IsNullOrWhiteSpace(value), $"{language.Code}: {key} is empty");
                Assert.True(value != english[key] || allowed.Contains(key), $"{language.Code}: {key} is still the English \"{value}\"");
                Assert.Equal(Placeholders(english[key]), Placeholders(value));
            }
        }
    }

    [Theory]
    [InlineData("ht", "Jwenn èd kounye a")]
    [InlineData("sw", "Pata msaada sasa")]
    [InlineData("ar", "احصل على المساعدة الآن")]
    [InlineData("sg", "Wara mungo maboko fadësô")]
    public void Each_language_is_compiled_into_the_app_including_Haitian_Creole_which_ICU_does_not_list(string code, string title)
    {
        var resources = new ResourceManager("Portal.Features.Intake.IntakeText", typeof(IntakeText).Assembly);

        Assert.Equal(title, resources.GetString("Help_Title", CultureInfo.GetCultureInfo(code)));
    }

    private static string[] Placeholders(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).Order(StringComparer.Ordinal).ToArray();

    private static Dictionary<string, string> Keys(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? string.Empty);
}
