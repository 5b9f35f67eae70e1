using System.Collections;
using System.Globalization;
using System.Resources;
using System.Xml.Linq;
using Bunit;
using MudBlazor;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Localization;

/// <summary>MudBlazor's built-in texts follow the user's language where the portal's resources give them.</summary>
public sealed class MudTextTests : MudBunitContext
{
    [Theory]
    [InlineData("fr", "Chargement…")]
    [InlineData("en", "Loading…")]
    public void A_loading_data_grid_says_so_in_the_users_language(string culture, string expected)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            var grid = Render<MudDataGrid<string>>(p => p.Add(g => g.Items, Array.Empty<string>()).Add(g => g.Loading, true));

            Assert.Contains(expected, grid.Markup, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Theory]
    [InlineData("fr", "Obligatoire")]
    [InlineData("en", "Required")]
    public async Task A_required_field_left_empty_says_so_in_the_users_language(string culture, string expected)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            var field = Render<MudTextField<string>>(p => p.Add(f => f.Required, true));

            await field.InvokeAsync(() => field.Instance.ValidateAsync());

            Assert.Equal(expected, field.Instance.GetErrorText());
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    /// <summary>A misspelt key would silently keep MudBlazor's English; each "Mud_" entry must name one of MudBlazor's keys, in both languages.</summary>
    [Fact]
    public void Every_Mud_entry_names_a_MudBlazor_text_and_French_gives_each_one()
    {
        var mud = new ResourceManager("MudBlazor.Resources.LanguageResource", typeof(MudButton).Assembly)
            .GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>().Select(e => (string)e.Key).ToHashSet();
        var english = MudKeys("SharedResource.resx");
        var french = MudKeys("SharedResource.fr.resx");

        Assert.NotEmpty(english);
        Assert.Empty(english.Except(mud));
        Assert.Equal(english.Order(), french.Order());
    }

    private static HashSet<string> MudKeys(string file) =>
        XDocument.Load(Path.Combine(RepositoryPaths.PortalProject, "Resources", file)).Root!.Elements("data")
            .Select(d => (string)d.Attribute("name")!).Where(n => n.StartsWith("Mud_", StringComparison.Ordinal)).Select(n => n["Mud_".Length..]).ToHashSet();
}
