using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>The order a user picks from a column header is in the address: a reload (or a bookmark) opens the queue in it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class QueueSortingTests
{
    private readonly EndToEndFixture _fixture;

    public QueueSortingTests(EndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_column_sorted_both_ways_keeps_its_order_through_a_reload()
    {
        var page = await _fixture.NewPageAsync();
        await page.SignInAsync("coordinator@example.org", returnPath: "/queues/all");
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.GetByTestId("case-link").First).ToBeVisibleAsync();
        var header = page.GetByTestId("sort-Number").Locator("xpath=..");

        await page.GetByTestId("sort-Number").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(SortedByNumber("asc"));
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "ascending");
        await page.GetByTestId("sort-Number").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(SortedByNumber("desc"));
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "descending");
        var shown = await ShownOnceLoadedAsync(page);
        Assert.Equal(shown.Order(StringComparer.Ordinal).Reverse(), shown);

        await page.ReloadAsync();
        await page.WaitForCircuitAsync();

        await Assertions.Expect(page).ToHaveURLAsync(SortedByNumber("desc"));
        await Assertions.Expect(page.GetByTestId("sort-Number").Locator("xpath=..")).ToHaveAttributeAsync("aria-sort", "descending");
        await Assertions.Expect(page.GetByTestId("case-link").First).ToHaveTextAsync(shown[0]);
        Assert.Equal(shown, await ShownOnceLoadedAsync(page));
        await page.Context.CloseAsync();
    }

    private static Regex SortedByNumber(string direction) => new($@"/queues/all\?sort=Number&dir={direction}$");

    /// <summary>The case numbers in the rows, once the grid says it is no longer loading.</summary>
    private static async Task<List<string>> ShownOnceLoadedAsync(IPage page)
    {
        await Assertions.Expect(page.GetByTestId("queue-grid")).ToHaveAttributeAsync("aria-busy", "false");
        return [.. await page.GetByTestId("case-link").AllInnerTextsAsync()];
    }
}
