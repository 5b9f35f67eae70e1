using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed partial class ThemePreferenceTests
{
    // An account no other end-to-end test signs in with: the choice is kept on the account, in the shared portal.
    private const string UserName = "advocate.ss@example.org";

    private readonly EndToEndFixture _fixture;

    public ThemePreferenceTests(EndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task The_dark_mode_chosen_is_kept_on_the_account_and_applied_from_the_first_render_after_a_reload()
    {
        var page = await _fixture.NewPageAsync();
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.SignInAsync(UserName, returnPath: "/notifications");
        var toggle = page.GetByTestId("theme-toggle");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        var light = await BackgroundAsync(page);

        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");

        // The server's first answer (prerendered, before any circuit or script) is already dark.
        var reloaded = await page.ReloadAsync();
        Assert.Matches(PressedToggle(), await reloaded!.TextAsync());
        await page.WaitForCircuitAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.NotEqual(light, await BackgroundAsync(page));

        // Another browser of the same person: the choice travels with the account, not the browser.
        var elsewhere = await _fixture.NewPageAsync();
        await elsewhere.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await elsewhere.SignInAsync(UserName, returnPath: "/notifications");
        await Assertions.Expect(elsewhere.GetByTestId("theme-toggle")).ToHaveAttributeAsync("aria-pressed", "true");

        // Light chosen on purpose beats a device that prefers dark.
        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Equal(light, await BackgroundAsync(page));
    }

    private static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

    [GeneratedRegex("""<button[^>]*(aria-pressed="true"[^>]*data-testid="theme-toggle"|data-testid="theme-toggle"[^>]*aria-pressed="true")""")]
    private static partial Regex PressedToggle();
}
