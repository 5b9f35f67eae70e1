using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Components.Layout;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Layout;

public sealed class LanguageSwitchTests : MudBunitContext
{
    [Fact]
    public void Offers_each_staff_language_as_a_link_back_to_the_current_page()
    {
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/cases/CD-2026-0042?tab=notes");
        var provider = Render<MudPopoverProvider>();
        var cut = Render<LanguageSwitch>();

        cut.Find("button").Click();

        var links = provider.FindAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(
            ["/culture/set?culture=en&redirectUri=%2Fcases%2FCD-2026-0042%3Ftab%3Dnotes", "/culture/set?culture=fr&redirectUri=%2Fcases%2FCD-2026-0042%3Ftab%3Dnotes"],
            links);
    }

    [Fact]
    public void Names_each_language_in_itself_whatever_the_current_culture()
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("fr");
        try
        {
            var provider = Render<MudPopoverProvider>();
            var cut = Render<LanguageSwitch>();
            cut.Find("button").Click();

            var names = provider.FindAll("a").Select(a => a.TextContent.Trim()).ToList();
            Assert.Equal(["English", "Français"], names);
            Assert.Equal("Langue", cut.Find("button").GetAttribute("aria-label"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
