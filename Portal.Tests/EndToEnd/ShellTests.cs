using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class ShellTests
{
    private readonly EndToEndFixture _fixture;

    public ShellTests(EndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Home_page_shows_the_layout_and_switches_to_french()
    {
        var page = await _fixture.NewPageAsync();
        await page.SignInAsync(EndToEndAccounts.Coordinator);

        await Assertions.Expect(page.GetByTestId("app-title")).ToHaveTextAsync("Victims' Rights Portal");
        await Assertions.Expect(page.GetByTestId("nav-menu")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("home-title")).ToHaveTextAsync("Welcome");

        await page.GetByTestId("language-switch").Locator("button").ClickAsync();
        await page.GetByTestId("language-fr").ClickAsync();

        await Assertions.Expect(page.GetByTestId("app-title")).ToHaveTextAsync("Portail des droits des victimes");
        await Assertions.Expect(page.GetByTestId("home-title")).ToHaveTextAsync("Bienvenue");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
