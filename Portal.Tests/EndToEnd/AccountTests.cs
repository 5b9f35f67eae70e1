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
        // Blazor's own race (dotnet/aspnetcore#26838): an event fired by an element a render has just removed (a focus-out,
        // say) reaches the server after its handler is gone, and its promise fails in the page. Nothing the user did is
        // lost; anything else is a problem.
        static bool BlazorsRace(string text) => text.Contains("There is no event handler associated with this event", StringComparison.Ordinal);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning" && !BlazorsRace(message.Text))
            {
                problems.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) =>
        {
            if (!BlazorsRace(error))
            {
                problems.Add(error);
            }
        };

        await page.SignInAsync(EndToEndAccounts.Coordinator);
        await page.GetByTestId("nav-toggle").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-menu")).ToBeVisibleAsync();
        await page.GetByTestId("user-menu").Locator("button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-display-name")).ToHaveTextAsync("Sam Okafor");

        Assert.DoesNotContain(problems, p => p.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || p.Contains("Refused", StringComparison.OrdinalIgnoreCase));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        await page.Context.CloseAsync();
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
