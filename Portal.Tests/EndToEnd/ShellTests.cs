using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class ShellTests
{
    private readonly EndToEndFixture _fixture;

    public ShellTests(EndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_page_starts_its_live_connection_without_asking_for_script_initializers_since_there_are_none()
    {
        // Blazor asks /_blazor/initializers before every circuit, a round trip on a slow link for a list the
        // portal keeps empty; ReconnectModal.razor.js hands Blazor the empty list. A library that brings an initializer
        // makes the list non-empty and this test fail: the start options must then list it.
        var page = await _fixture.NewPageAsync();
        await page.SignInAsync("advocate.cf@example.org", returnPath: "/queues/new");
        var asked = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/_blazor/initializers", StringComparison.Ordinal))
            {
                asked.Add(request.Url);
            }
        };

        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.GetByTestId("case-link").First).ToBeVisibleAsync();

        Assert.Empty(asked);
        Assert.Equal("[]", await page.EvaluateAsync<string>("() => fetch('_blazor/initializers').then(r => r.text())"));
        await page.Context.CloseAsync();
    }

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
