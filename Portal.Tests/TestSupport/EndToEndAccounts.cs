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
        try
        {
            await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 90_000, WaitUntil = WaitUntilState.DOMContentLoaded });
        }
        catch (TimeoutException timeout)
        {
            // Say what the page showed instead (a refused password, the too-many-attempts page) rather than only "timeout".
            var shown = await page.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 5_000 });
            throw new TimeoutException($"Signing in as {userName} did not leave {page.Url}; the page shows: {shown[..Math.Min(shown.Length, 400)]}", timeout);
        }

        // The same allowance for the first page's live connection; if it never comes, say where the browser is and
        // what it shows (a page that redirected back to sign-in has no circuit to wait for).
        try
        {
            await page.GetByTestId("circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 90_000 });
        }
        catch (TimeoutException timeout)
        {
            var shown = await page.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 5_000 });
            throw new TimeoutException($"Signed in as {userName}, but {page.Url} started no circuit; the page shows: {shown[..Math.Min(shown.Length, 400)]}", timeout);
        }
    }
}
