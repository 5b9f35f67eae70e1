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

    [Fact]
    public void Every_language_translates_every_string()
    {
        var folder = Path.Combine(RepositoryPaths.PortalProject, "Features", "Intake");
        var english = Keys(Path.Combine(folder, "IntakeText.resx"));
        Assert.NotEmpty(english);
        foreach (var language in PublicCultures.All.Where(l => l.Code != "en"))
        {
            var translated = Keys(Path.Combine(folder, $"IntakeText.{language.Code}.resx"));
            Assert.Empty(english.Keys.Except(translated.Keys));
            Assert.All(translated, entry => Assert.False(string.IsNullOrWhiteSpace(entry.Value), $"{language.Code}: {entry.Key} is empty"));
            if (language.Code != "en")
            {
                Assert.NotEqual(english["Help_Title"], translated["Help_Title"]);
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

    private static Dictionary<string, string> Keys(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? string.Empty);
}
