using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class PhoneLayoutTests
{
    private readonly EndToEndFixture _fixture;

    public PhoneLayoutTests(EndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task On_a_phone_the_app_bar_stays_clear_of_the_heading_and_the_queue_filters_fold_behind_one_button()
    {
        var page = await _fixture.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.SignInAsync("advocate2.cf@example.org", returnPath: "/queues/new");
        await page.WaitForCircuitAsync();

        var bar = await BoxAsync(page.Locator(".mud-appbar"));
        var title = await BoxAsync(page.GetByTestId("app-title"));
        var heading = await BoxAsync(page.GetByTestId("queue-title"));
        Assert.True(title.Y + title.Height <= bar.Y + bar.Height, $"The app bar's title ({title.Y}+{title.Height}) runs out of the bar ({bar.Y}+{bar.Height}).");
        Assert.True(bar.Y + bar.Height <= heading.Y, $"The page heading (top {heading.Y}) is under the app bar (bottom {bar.Y + bar.Height}).");

        // The filters are folded: the first screen shows the queue itself.
        var toggle = page.GetByTestId("filters-toggle");
        await Assertions.Expect(toggle).ToBeVisibleAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(page.GetByTestId("queue-filters")).ToBeHiddenAsync();
        var table = await BoxAsync(page.Locator(".mud-table, .mud-table-container").First);
        Assert.True(table.Y < 844, $"The queue starts below the first screen (top {table.Y}).");

        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(page.GetByTestId("filter-number")).ToBeVisibleAsync();

        // Folded again, then on a wide screen: the filters show and the button does not.
        await toggle.ClickAsync();
        await Assertions.Expect(page.GetByTestId("queue-filters")).ToBeHiddenAsync();
        await page.SetViewportSizeAsync(1280, 900);
        await Assertions.Expect(toggle).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("queue-filters")).ToBeVisibleAsync();
    }

    private static async Task<LocatorBoundingBoxResult> BoxAsync(ILocator locator)
    {
        await Assertions.Expect(locator).ToBeVisibleAsync();
        return await locator.BoundingBoxAsync() ?? throw new InvalidOperationException($"{locator} has no box.");
    }
}
