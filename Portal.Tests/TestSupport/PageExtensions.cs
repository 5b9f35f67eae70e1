using Microsoft.Playwright;

namespace Portal.Tests.TestSupport;

public static class PageExtensions
{
    /// <summary>Prerendered markup shows before the circuit can handle clicks; wait for the layout's marker.</summary>
    public static Task WaitForCircuitAsync(this IPage page) =>
        page.GetByTestId("circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
}
