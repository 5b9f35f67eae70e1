using System.Globalization;
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
}
