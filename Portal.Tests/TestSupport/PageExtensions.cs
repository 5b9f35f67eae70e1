using Microsoft.Playwright;

namespace Portal.Tests.TestSupport;

public static class PageExtensions
{
    /// <summary>Prerendered markup shows before the circuit can handle clicks; wait for the layout's marker.</summary>
    public static Task WaitForCircuitAsync(this IPage page) =>
        page.GetByTestId("circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>Opens the first case of the queue on the page (a new intake) and claims it; returns its number.</summary>
    public static async Task<string> ClaimFirstNewIntakeAsync(this IPage page)
    {
        var number = (await page.GetByTestId("case-link").First.InnerTextAsync()).Trim();
        await page.GotoAsync($"/cases/{number}");
        await page.WaitForCircuitAsync();
        await page.GetByTestId("action-claim").ClickAsync();
        await Assertions.Expect(page.GetByTestId("action-release")).ToBeVisibleAsync();
        return number;
    }

    /// <summary>Opens a tab of the page by its name and waits until it is the selected one.</summary>
    public static async Task OpenTabAsync(this IPage page, string name)
    {
        var tab = page.GetByRole(AriaRole.Tab, new() { Name = name });
        await tab.ClickAsync();
        await Assertions.Expect(tab).ToHaveAttributeAsync("aria-selected", "true");
    }

    /// <summary>Opens a MudSelect and picks the option with this text from its popover.</summary>
    public static async Task ChooseAsync(this IPage page, ILocator select, string option)
    {
        await select.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = option }).First.ClickAsync();
    }
}
