using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// An ended session reaches every open page of it at once: signed out in another tab, disabled or changed by an
/// Administrator. The pages were about to reveal an identity; they leave for the sign-in form without it.
/// </summary>
[Collection(RevocationEndToEndCollection.Name)]
public sealed class RevocationTests
{
    private readonly RevocationEndToEndFixture _fixture;

    /// <summary>
    /// An Administrator's change writes the account, ends its sessions and reloads the list before the row changes; on a
    /// machine busy with other test portals that can outlast the default five seconds. It waits, it measures nothing.
    /// </summary>
    internal static readonly LocatorAssertionsToBeVisibleOptions AdminChangeShown = new() { Timeout = 30_000 };

    public RevocationTests(RevocationEndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Signing_out_in_one_tab_sends_the_others_case_page_to_sign_in_at_once()
    {
        var first = await _fixture.NewPageAsync();
        await first.SignInAsync("advocate.cf@example.org", returnPath: "/queues/all");
        var second = await OpenRevealAsync(await first.Context.NewPageAsync(), await FirstCaseAsync(first));

        await first.GetByTestId("sign-out").ClickAsync();
        await first.WaitForURLAsync("**/account/login?**"); // its own page may hear of the ended session before the answer to the post

        // The other tab was about to reveal an identity: it leaves for sign-in without it.
        await LeavesForSignInAsync(second);
        await first.Context.CloseAsync();
    }

    [Fact]
    public async Task Disabling_a_user_sends_their_open_case_page_to_sign_in_at_once()
    {
        const string advocate = "advocate.ss@example.org";
        var advocatePage = await _fixture.NewPageAsync();
        await advocatePage.SignInAsync(advocate, returnPath: "/queues/all");
        await OpenRevealAsync(advocatePage, await FirstCaseAsync(advocatePage));
        var adminPage = await _fixture.NewPageAsync();
        await adminPage.SignInAsync(EndToEndAccounts.Administrator, returnPath: "/admin/users");

        await adminPage.GetByTestId($"user-disable-{advocate}").ClickAsync();
        await Assertions.Expect(adminPage.GetByTestId($"user-enable-{advocate}")).ToBeVisibleAsync(AdminChangeShown);

        await LeavesForSignInAsync(advocatePage);

        // And the account cannot come back in.
        await advocatePage.GetByTestId("login-user-name").FillAsync(advocate);
        await advocatePage.GetByTestId("login-password").FillAsync(Portal.Infrastructure.Security.DemoAccounts.Password);
        await advocatePage.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(advocatePage.GetByTestId("login-error")).ToBeVisibleAsync();

        await adminPage.GetByTestId($"user-enable-{advocate}").ClickAsync();
        await Assertions.Expect(adminPage.GetByTestId($"user-disable-{advocate}")).ToBeVisibleAsync(AdminChangeShown);
        await advocatePage.Context.CloseAsync();
        await adminPage.Context.CloseAsync();
    }

    [Fact]
    public async Task Changing_a_users_roles_sends_their_open_case_page_to_sign_in_at_once()
    {
        const string advocate = "advocate.cd@example.org";
        var advocatePage = await _fixture.NewPageAsync();
        await advocatePage.SignInAsync(advocate, returnPath: "/queues/all");
        await OpenRevealAsync(advocatePage, await FirstCaseAsync(advocatePage));
        var adminPage = await _fixture.NewPageAsync();
        await adminPage.SignInAsync(EndToEndAccounts.Administrator, returnPath: "/admin/users");

        await adminPage.GetByTestId($"user-edit-{advocate}").ClickAsync();
        await adminPage.GetByTestId("editor-role-Coordinator").ClickAsync();
        await adminPage.GetByTestId("editor-save").ClickAsync();
        await Assertions.Expect(adminPage.GetByTestId("user-editor")).ToHaveCountAsync(0, new() { Timeout = AdminChangeShown.Timeout });

        await LeavesForSignInAsync(advocatePage);
        await advocatePage.Context.CloseAsync();
        await adminPage.Context.CloseAsync();
    }

    /// <summary>The number of the first case the signed-in user's "all cases" queue lists.</summary>
    internal static async Task<string> FirstCaseAsync(IPage page)
    {
        // The queue's first answer may take a while on a busy machine; an empty list shows meanwhile.
        await Assertions.Expect(page.GetByTestId("case-link").First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        return await page.GetByTestId("case-link").First.InnerTextAsync();
    }

    /// <summary>Opens the case and its identity dialog, the reason typed, the confirmation not yet given.</summary>
    internal static async Task<IPage> OpenRevealAsync(IPage page, string caseNumber, string? baseUrl = null)
    {
        await page.GotoAsync($"{baseUrl}/cases/{caseNumber}");
        await page.WaitForCircuitAsync();
        await page.GetByTestId("reveal-identity").ClickAsync();
        await page.GetByTestId("reveal-reason").FillAsync("Calling about the clinic visit");
        await Assertions.Expect(page.GetByTestId("reveal-confirm")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>
    /// The page leaves the case for the sign-in form, saying the session ended, with the identity never shown. The portals
    /// under test re-check open pages only every ten minutes as a safety net, so leaving at all is the ended session's own
    /// announcement reaching the page; the wait allows for a busy machine, it measures nothing.
    /// </summary>
    internal static async Task LeavesForSignInAsync(IPage page)
    {
        await page.WaitForURLAsync("**/account/login?**", new PageWaitForURLOptions { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("login-session-ended")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("identity")).ToHaveCountAsync(0);
    }
}
