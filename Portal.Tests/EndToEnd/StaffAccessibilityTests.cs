using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>Every staff page, as its users see it once the circuit is up, with no serious or critical axe finding.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class StaffAccessibilityTests
{
    private const string Advocate = "advocate2.cf@example.org";

    private readonly EndToEndFixture _fixture;

    public StaffAccessibilityTests(EndToEndFixture fixture) => _fixture = fixture;

    /// <summary>Each staff page with someone allowed to open it; "{case}" is a case of the advocate's country.</summary>
    public static TheoryData<string, string> StaffPages() => new()
    {
        { Advocate, "/" },
        { Advocate, "/queues/new" },
        { Advocate, "/queues/mine" },
        { Advocate, "/queues/due" },
        { Advocate, "/queues/closure" },
        { Advocate, "/queues/all" },
        { Advocate, "/cases/{case}" },
        { Advocate, "/referrals" },
        { Advocate, "/notifications" },
        { Advocate, "/account/change-password" },
        { Advocate, "/account/two-factor" },
        { EndToEndAccounts.Coordinator, "/dashboard" },
        { EndToEndAccounts.Coordinator, "/dashboard/wall" },
        { EndToEndAccounts.Coordinator, "/reports/annual" },
        { EndToEndAccounts.Administrator, "/admin/users" },
        { EndToEndAccounts.Administrator, "/admin/providers" },
        { EndToEndAccounts.Administrator, "/admin/audit" },
    };

    [Theory]
    [MemberData(nameof(StaffPages))]
    public async Task Axe_finds_no_serious_or_critical_violation_on_the_staff_page(string userName, string path)
    {
        var page = await _fixture.NewPageAsync();
        var isCase = path.Contains("{case}", StringComparison.Ordinal);
        var isAccountForm = path.StartsWith("/account/", StringComparison.Ordinal); // a static form, with no circuit
        // Signing in lands on the page itself, except for a case (found in the queue first) and an account form (signing
        // in waits for a circuit, which the form has not).
        await page.SignInAsync(userName, returnPath: isCase || isAccountForm ? "/queues/all" : path);
        if (isCase)
        {
            var first = page.GetByTestId("case-link").First;
            await Assertions.Expect(first).ToBeVisibleAsync();
            path = path.Replace("{case}", (await first.InnerTextAsync()).Trim(), StringComparison.Ordinal);
        }

        if (isCase || isAccountForm)
        {
            await page.GotoAsync(path);
        }

        if (!isAccountForm)
        {
            await page.WaitForCircuitAsync();
        }

        await Assertions.Expect(page.Locator("h1").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main, [role=main]").First).ToBeAttachedAsync();
        // Whatever the page loads after its first render (queues, figures) is in place before axe looks.
        await Assertions.Expect(page.Locator(".mud-progress-linear, .mud-table-loading")).ToHaveCountAsync(0);

        var result = await page.RunAxe();
        Assert.NotEmpty(result.Passes); // axe really ran
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join("; ", v.Nodes.Take(5).Select(n => n.Html))}")
            .ToList();
        Assert.True(serious.Count == 0, $"{path}:\n" + string.Join("\n", serious));
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The audit trail's eight columns are wider than a tablet's screen: the table must scroll inside a region the keyboard
    /// can reach (axe's scrollable-region-focusable), not in MudBlazor's container, which it cannot.
    /// </summary>
    [Fact]
    public async Task The_audit_trail_wider_than_the_screen_scrolls_in_a_region_the_keyboard_reaches()
    {
        var page = await _fixture.NewPageAsync();
        await page.SetViewportSizeAsync(980, 900);
        await page.SignInAsync(EndToEndAccounts.Administrator, returnPath: "/admin/audit");
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.Locator(".mud-table-loading")).ToHaveCountAsync(0);
        var region = page.Locator(".scroll-region");

        Assert.True(await region.EvaluateAsync<bool>("r => r.scrollWidth > r.clientWidth"), "the table fits: nothing to scroll at this width");
        await region.FocusAsync();
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(region).ToBeFocusedAsync();
        var result = await page.RunAxe();
        Assert.DoesNotContain(result.Violations, v => v.Id == "scrollable-region-focusable");
        await page.Context.CloseAsync();
    }
}
