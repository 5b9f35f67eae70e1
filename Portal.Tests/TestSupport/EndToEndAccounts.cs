using Microsoft.Playwright;
using Portal.Infrastructure.Security;

namespace Portal.Tests.TestSupport;

/// <summary>Signing in through the real form in Chromium. In Development (the end-to-end portal) demo accounts need no second factor.</summary>
public static class EndToEndAccounts
{
    public const string Coordinator = "coordinator@example.org";
    public const string Administrator = "admin@example.org";

    public static async Task SignInAsync(this IPage page, string userName, string password = DemoAccounts.Password, string returnPath = "/")
    {
        await page.GotoAsync($"{AccountPaths.Login}?returnUrl={Uri.EscapeDataString(returnPath)}");
        await page.GetByTestId("login-user-name").FillAsync(userName);
        await page.GetByTestId("login-password").FillAsync(password);
        // The first page after signing in may be a heavy one (the annual summary) on a machine busy with other test portals.
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 90_000, WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.WaitForCircuitAsync();
    }
}
