using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

[Collection(SecurityEndToEndCollection.Name)]
public sealed class AccountTests
{
    private static readonly LocatorAssertionsToHaveTextOptions Patient = new() { Timeout = 30_000 };
    private readonly SecurityEndToEndFixture _fixture;

    public AccountTests(SecurityEndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Signing_in_reaches_an_interactive_portal_with_no_content_security_policy_errors()
    {
        var page = await _fixture.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);

        await page.SignInAsync(EndToEndAccounts.Coordinator);
        await page.GetByTestId("nav-toggle").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-menu")).ToBeVisibleAsync();
        await page.GetByTestId("user-menu").Locator("button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-display-name")).ToHaveTextAsync("Sam Okafor");

        Assert.DoesNotContain(problems, p => p.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || p.Contains("Refused", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Disabling_a_user_ends_access_in_their_open_page_within_the_revalidation_interval()
    {
        const string advocate = "advocate.ss@example.org";
        var advocatePage = await _fixture.NewPageAsync();
        await advocatePage.SignInAsync(advocate);
        var adminPage = await _fixture.NewPageAsync();
        await adminPage.SignInAsync(EndToEndAccounts.Administrator, returnPath: "/admin/users");
        await Assertions.Expect(adminPage.GetByTestId($"user-disable-{advocate}")).ToBeVisibleAsync();

        await advocatePage.Keyboard.PressAsync("Shift"); // still at work: this is revocation, not idleness
        await adminPage.GetByTestId($"user-disable-{advocate}").ClickAsync();
        await Assertions.Expect(adminPage.GetByTestId($"user-enable-{advocate}")).ToBeVisibleAsync();
        var disabledAt = DateTime.UtcNow;

        await advocatePage.WaitForURLAsync("**/account/login?**", new PageWaitForURLOptions { Timeout = 15_000 });
        var took = DateTime.UtcNow - disabledAt;
        Assert.True(took < SecurityEndToEndFixture.RevalidationInterval + TimeSpan.FromSeconds(8), $"access ended after {took.TotalSeconds:F1} s");
        await Assertions.Expect(advocatePage.GetByTestId("login-session-ended")).ToBeVisibleAsync();

        // And the account cannot come back in.
        await advocatePage.GetByTestId("login-user-name").FillAsync(advocate);
        await advocatePage.GetByTestId("login-password").FillAsync(Portal.Infrastructure.Security.DemoAccounts.Password);
        await advocatePage.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(advocatePage.GetByTestId("login-error")).ToBeVisibleAsync();

        await adminPage.GetByTestId($"user-enable-{advocate}").ClickAsync();
        await Assertions.Expect(adminPage.GetByTestId($"user-disable-{advocate}")).ToBeVisibleAsync();
        await advocatePage.Context.CloseAsync();
        await adminPage.Context.CloseAsync();
    }

    [Fact]
    public async Task Signing_out_in_one_tab_ends_access_in_the_others()
    {
        var first = await _fixture.NewPageAsync();
        await first.SignInAsync("advocate.cf@example.org");
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync("/");
        await second.WaitForCircuitAsync();

        await first.GetByTestId("sign-out").ClickAsync();
        await first.WaitForURLAsync("**/account/login?signedOut=true");

        await second.WaitForURLAsync("**/account/login?**", new PageWaitForURLOptions { Timeout = 15_000 });
        await first.Context.CloseAsync();
    }

    [Fact]
    public async Task A_page_left_idle_is_signed_out_while_one_in_use_stays_open()
    {
        var page = await _fixture.NewPageAsync();
        await page.SignInAsync("advocate.ht@example.org");

        // Working for longer than the idle timeout: typing and clicking keep the session. The one test on the real clock:
        // what is tested is the browser's own activity reports and the circuit's revalidation, in real time.
        var working = DateTime.UtcNow;
        while (DateTime.UtcNow - working < SecurityEndToEndFixture.IdleTimeout + TimeSpan.FromSeconds(4))
        {
            await page.Keyboard.PressAsync("Shift", new KeyboardPressOptions { Delay = 1_500 }); // key down, held, up
        }

        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("home-title")).ToBeVisibleAsync();

        // Then hands off the keyboard.
        await page.WaitForURLAsync("**/account/login?**", new PageWaitForURLOptions { Timeout = 40_000 });
        await Assertions.Expect(page.GetByTestId("login-session-ended")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
