using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// Two nodes behind an imagined load balancer: what one node commits shows on the other's open pages without reload,
/// what one node encrypted the other decrypts, and what one node's forms and cookies carry the other accepts.
/// </summary>
[Collection(ScaledOutCollection.Name)]
public sealed class ScaledOutTests
{
    private readonly ScaledOutFixture _fixture;

    public ScaledOutTests(ScaledOutFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_case_claimed_on_node_A_leaves_the_open_queue_on_node_B_without_reload()
    {
        var onA = await _fixture.NewPageAsync(_fixture.NodeA);
        var onB = await _fixture.NewPageAsync(_fixture.NodeB);
        await onA.SignInAsync("advocate.cf@example.org", returnPath: "/queues/new");
        await onB.SignInAsync("advocate2.cf@example.org", returnPath: "/queues/new");

        var claim = onA.Locator("[data-testid^='claim-']").First;
        await Assertions.Expect(claim).ToBeVisibleAsync();
        var number = (await claim.GetAttributeAsync("data-testid"))!["claim-".Length..];
        await Assertions.Expect(onB.GetByTestId($"claim-{number}")).ToBeVisibleAsync();
        var unclaimedBefore = int.Parse(await onB.GetByTestId("count-NewIntakes").InnerTextAsync(), CultureInfo.InvariantCulture);

        await claim.ClickAsync();

        // The claim committed on A reached B through Redis: B's row went and its count dropped, with no reload.
        await Assertions.Expect(onB.GetByTestId($"claim-{number}")).ToHaveCountAsync(0);
        await Assertions.Expect(onB.GetByTestId("count-NewIntakes")).ToHaveTextAsync((unclaimedBefore - 1).ToString(CultureInfo.InvariantCulture));

        // And B's case page, opened now, shows the holder A's node recorded.
        await onB.GotoAsync($"/cases/{number}");
        await onB.WaitForCircuitAsync();
        await Assertions.Expect(onB.GetByTestId("case-assignee")).ToContainTextAsync("Amina Ndakala");
        await onA.Context.CloseAsync();
        await onB.Context.CloseAsync();
    }

    [Fact]
    public async Task A_case_page_open_on_node_B_shows_the_assignee_when_node_A_takes_the_case()
    {
        var observer = await _fixture.NewPageAsync(_fixture.NodeB);
        await observer.SignInAsync("advocate2.cf@example.org", returnPath: "/queues/new");
        var unclaimed = observer.Locator("[data-testid^='claim-']").Last;
        await Assertions.Expect(unclaimed).ToBeVisibleAsync();
        var number = (await unclaimed.GetAttributeAsync("data-testid"))!["claim-".Length..];
        await observer.GotoAsync($"/cases/{number}");
        await observer.WaitForCircuitAsync();
        await Assertions.Expect(observer.GetByTestId("case-header")).ToBeVisibleAsync();
        await Assertions.Expect(observer.GetByTestId("case-assignee")).Not.ToContainTextAsync("Amina Ndakala");

        var advocate = await _fixture.NewPageAsync(_fixture.NodeA);
        await advocate.SignInAsync("advocate.cf@example.org", returnPath: $"/cases/{number}");
        await advocate.GetByTestId("action-claim").ClickAsync();
        await Assertions.Expect(advocate.GetByTestId("case-assignee")).ToContainTextAsync("Amina Ndakala");

        await Assertions.Expect(observer.GetByTestId("case-assignee")).ToContainTextAsync("Amina Ndakala");
        await observer.Context.CloseAsync();
        await advocate.Context.CloseAsync();
    }

    [Fact]
    public Task Two_people_on_the_same_case_through_different_nodes_see_each_other() => _fixture.WithNodeLogsAsync(async () =>
    {
        var onA = await _fixture.NewPageAsync(_fixture.NodeA);
        var onB = await _fixture.NewPageAsync(_fixture.NodeB);
        await onA.SignInAsync("advocate.cf@example.org", returnPath: "/queues/all");
        var number = await onA.GetByTestId("case-link").First.InnerTextAsync();
        await onA.GotoAsync($"/cases/{number}");
        await onA.WaitForCircuitAsync();

        // Each page joins the case's viewers once it has loaded the case, which can take longer than the circuit.
        await onA.GetByTestId("case-header").WaitForAsync();
        await onB.SignInAsync(EndToEndAccounts.Coordinator, returnPath: $"/cases/{number}");
        await onB.WaitForCircuitAsync();
        await onB.GetByTestId("case-header").WaitForAsync();

        await Assertions.Expect(onB.GetByTestId("presence")).ToContainTextAsync("Amina Ndakala");
        await Assertions.Expect(onA.GetByTestId("presence")).ToContainTextAsync("Sam Okafor");
        // Leaving the case on B clears it from A's page through Redis.
        await onB.GetByTestId("nav-queue-AllCases").ClickAsync();
        await Assertions.Expect(onA.GetByTestId("presence")).ToHaveCountAsync(0);
        await onA.Context.CloseAsync();
        await onB.Context.CloseAsync();
    });

    [Fact]
    public async Task An_identity_node_A_encrypted_is_revealed_decrypted_on_node_B()
    {
        // Node A seeded the demo cases at its start, encrypting every identity with the key ring it created in the
        // shared database; node B has never written one.
        var page = await _fixture.NewPageAsync(_fixture.NodeB);
        await page.SignInAsync(EndToEndAccounts.Coordinator, returnPath: "/queues/all");
        var number = await page.GetByTestId("case-link").First.InnerTextAsync();
        await page.GotoAsync($"/cases/{number}");
        await page.WaitForCircuitAsync();

        await page.GetByTestId("reveal-identity").ClickAsync();
        await page.GetByTestId("reveal-reason").FillAsync("Checking the scaled-out mode reads identities on every node.");
        await page.GetByTestId("reveal-confirm").ClickAsync();

        await Assertions.Expect(page.GetByTestId("identity")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Test|Demo"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_sign_in_form_from_node_A_is_accepted_by_node_B_and_node_Bs_session_cookie_works_on_node_A()
    {
        var cookies = new CookieContainer();
        using var toA = Client(_fixture.NodeA, cookies);
        using var toB = Client(_fixture.NodeB, cookies);

        // The form and its antiforgery cookie come from A; the post goes to B, as after a failover mid-sign-in.
        var form = await toA.GetStringAsync(new Uri(AccountPaths.Login, UriKind.Relative));
        using var signedIn = await toB.PostFormAsync(AccountPaths.Login, form, new()
        {
            ["Input.UserName"] = EndToEndAccounts.Coordinator,
            ["Input.Password"] = DemoAccounts.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.DoesNotContain("/account/", signedIn.LocalLocation(), StringComparison.Ordinal);

        // B's session cookie opens a signed-in page on A (the session itself lives in the shared database).
        using var onA = await toA.GetAsync(new Uri("/queues/new", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, onA.StatusCode);
        using var anonymous = Client(_fixture.NodeA, new CookieContainer());
        using var refused = await anonymous.GetAsync(new Uri("/queues/new", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
    }

    [Fact]
    public async Task Signing_out_on_node_A_sends_the_same_browsers_case_page_on_node_B_to_sign_in_at_once()
    {
        // One browser, one session cookie (cookies do not tell ports apart), a tab on each node.
        var onA = await _fixture.NewPageAsync(_fixture.NodeA);
        await onA.SignInAsync("advocate2.cf@example.org", returnPath: "/queues/all");
        var onB = await RevocationTests.OpenRevealAsync(await onA.Context.NewPageAsync(), await RevocationTests.FirstCaseAsync(onA), _fixture.NodeB.BaseUrl);

        await onA.GetByTestId("sign-out").ClickAsync();
        try
        {
            await onA.WaitForURLAsync("**/account/login?**");
        }
        catch (TimeoutException timeout)
        {
            // Failed once in CI, not reproduced: say where the page stayed and what it showed (a refused form, say).
            var shown = await onA.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 5_000 });
            throw new TimeoutException($"Signing out left {onA.Url} showing: {shown[..Math.Min(shown.Length, 400)]}", timeout);
        }

        await RevocationTests.LeavesForSignInAsync(onB);
        Assert.StartsWith(_fixture.NodeB.BaseUrl, onB.Url, StringComparison.Ordinal);
        await onA.Context.CloseAsync();
    }

    [Fact]
    public async Task Disabling_a_user_on_node_A_sends_their_case_page_on_node_B_to_sign_in_at_once()
    {
        const string advocate = "advocate.cd@example.org";
        var onB = await _fixture.NewPageAsync(_fixture.NodeB);
        await onB.SignInAsync(advocate, returnPath: "/queues/all");
        await RevocationTests.OpenRevealAsync(onB, await RevocationTests.FirstCaseAsync(onB));
        var admin = await _fixture.NewPageAsync(_fixture.NodeA);
        await admin.SignInAsync(EndToEndAccounts.Administrator, returnPath: "/admin/users");

        await admin.GetByTestId($"user-disable-{advocate}").ClickAsync();
        await Assertions.Expect(admin.GetByTestId($"user-enable-{advocate}")).ToBeVisibleAsync(RevocationTests.AdminChangeShown);

        await RevocationTests.LeavesForSignInAsync(onB);
        await admin.GetByTestId($"user-enable-{advocate}").ClickAsync();
        await Assertions.Expect(admin.GetByTestId($"user-disable-{advocate}")).ToBeVisibleAsync(RevocationTests.AdminChangeShown);
        await onB.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    private static HttpClient Client(PortalProcess node, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }, disposeHandler: true)
        {
            BaseAddress = new Uri(node.BaseUrl),
        };
}
