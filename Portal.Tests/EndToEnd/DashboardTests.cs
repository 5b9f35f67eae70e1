using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed partial class DashboardTests
{
    private readonly EndToEndFixture _fixture;

    public DashboardTests(EndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_case_returning_to_the_queue_raises_the_unclaimed_tile_on_an_open_dashboard_and_the_tile_opens_exactly_those_cases()
    {
        var coordinator = await _fixture.NewPageAsync();
        await coordinator.SignInAsync(EndToEndAccounts.Coordinator, returnPath: "/dashboard");
        var unclaimed = coordinator.Locator("[data-testid=tile-unclaimed] [data-figure=unclaimed]");
        await Assertions.Expect(unclaimed).ToHaveTextAsync(Number());
        var before = int.Parse(await unclaimed.TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
        await Screenshot(coordinator, "dashboard");

        // In another browser an advocate puts one of their cases back in the country queue: a committed change, published live.
        var advocate = await _fixture.NewPageAsync();
        await advocate.SignInAsync("advocate.cf@example.org", returnPath: "/queues/mine");
        await advocate.GetByTestId("case-link").First.ClickAsync();
        await advocate.GetByTestId("action-release").ClickAsync();
        await Assertions.Expect(advocate.GetByTestId("action-release")).ToHaveCountAsync(0);

        // The open dashboard shows it without a reload.
        await Assertions.Expect(unclaimed).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // And the number opens the queue of exactly those cases.
        await unclaimed.ClickAsync();
        await coordinator.WaitForURLAsync("**/queues/all?unclaimed=true");
        await Assertions.Expect(coordinator.GetByTestId("queue-link-criteria")).ToBeVisibleAsync();
        await Assertions.Expect(coordinator.GetByTestId("queue-total")).ToContainTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await advocate.Context.CloseAsync();
        await coordinator.Context.CloseAsync();
    }

    [Fact]
    public async Task The_wall_screen_has_no_navigation_and_says_when_it_signs_out()
    {
        var page = await _fixture.NewPageAsync();
        await page.SignInAsync(EndToEndAccounts.Coordinator, returnPath: "/dashboard?wall=1&country=CD");

        await page.WaitForURLAsync("**/dashboard/wall?country=CD");
        await Assertions.Expect(page.Locator("[data-testid=tile-unclaimed] [data-figure=unclaimed]")).ToHaveTextAsync(Number());
        await Assertions.Expect(page.GetByTestId("wall-layout")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("nav-drawer")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("app-title")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("wall-session-note")).ToContainTextAsync("15 minutes");
        await Screenshot(page, "wall");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_advocate_is_shown_no_figures()
    {
        var page = await _fixture.NewPageAsync();
        await page.SignInAsync("advocate.ht@example.org");
        await Assertions.Expect(page.GetByTestId("nav-dashboard")).ToHaveCountAsync(0);

        await page.GotoAsync("/dashboard");

        await Assertions.Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-figure]")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_annual_summary_is_a_table_with_clickable_figures()
    {
        var page = await _fixture.NewPageAsync();
        await page.SignInAsync(EndToEndAccounts.Coordinator, returnPath: "/reports/annual?year=2024");

        var table = page.GetByTestId("annual-table");
        await Assertions.Expect(table).ToBeVisibleAsync();
        // The demo data holds the UN's published 2024 figures: 102 allegations against mission personnel, 190 against other entities.
        await Assertions.Expect(table.Locator("[data-figure='annual.allegations.missions']")).ToHaveTextAsync("102");
        await Assertions.Expect(table.Locator("[data-figure='annual.allegations.others']")).ToHaveTextAsync("190");
        await Screenshot(page, "annual");
        await page.Context.CloseAsync();
    }

    /// <summary>For a person checking the pages by eye: set PORTAL_SCREENSHOTS to a folder.</summary>
    private static async Task Screenshot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex Number();
}
