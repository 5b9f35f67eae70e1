using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// Working from the field: a link that drops and a portal that restarts lose nothing an advocate typed. The link is cut
/// (<see cref="DroppableLink"/>) until the portal's reconnect notice has retried at least once, not for minutes. The
/// restart is a real one of the portal process.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class FieldLinkTests
{
    private const string Shared = "Portal/Resources/SharedResource";
    private const string CaseText = "Portal/Features/Cases/CaseText";
    private readonly EndToEndFixture _fixture;

    public FieldLinkTests(EndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task The_queue_is_readable_and_opens_its_cases_before_the_live_connection_starts()
    {
        // On a slow link the live connection starts seconds after the page arrives: the rows are in the page itself, as
        // links, and a claim waits for the connection rather than looking done.
        var page = await _fixture.NewPageAsync();
        await page.SignInAsync("advocate.cd@example.org", returnPath: "/queues/new");
        await Assertions.Expect(page.GetByTestId("queue-grid")).ToHaveAttributeAsync("aria-busy", "false");
        var shownLive = await page.GetByTestId("case-link").AllInnerTextsAsync();
        Assert.NotEmpty(shownLive);

        // The page's live connections from now on are held in the browser: none reaches the portal.
        await page.RouteWebSocketAsync(new Regex("/_blazor"), _ => { });
        await page.ReloadAsync();

        var links = page.GetByTestId("case-link");
        await Assertions.Expect(links.First).ToBeVisibleAsync();
        Assert.Equal(shownLive, await links.AllInnerTextsAsync());
        await Assertions.Expect(page.GetByTestId("circuit-ready")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid^='claim-']").First).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("[data-testid^='claim-']:enabled")).ToHaveCountAsync(0);

        await links.First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/cases/{Regex.Escape(shownLive[0])}$"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_note_typed_before_the_link_drops_is_still_there_when_it_comes_back_and_saves()
    {
        var page = await _fixture.NewPageAsync();
        var link = await DroppableLink.RouteAsync(page);
        await page.SignInAsync("advocate.cf@example.org", returnPath: "/queues/new");
        var culture = await page.Locator("html").GetAttributeAsync("lang") ?? "en";
        var number = await page.ClaimFirstNewIntakeAsync();
        await page.OpenTabAsync(ResourceFiles.Text(CaseText, "Tab_Timeline", culture));

        const string note = "Spoke with her at the clinic in Bambari; she wants the next call after 5 pm.";
        await page.GetByTestId("note-text").FillAsync(note);
        await Assertions.Expect(page.GetByText(ResourceFiles.Text(Shared, "Draft_Kept", culture))).ToBeVisibleAsync();

        // The link drops: the portal says so and keeps retrying; the page stays as it was.
        await link.DropAsync();
        var notice = page.GetByTestId("reconnect-modal");
        await Assertions.Expect(notice).ToBeVisibleAsync();
        await Assertions.Expect(notice).ToContainTextAsync(ResourceFiles.Text(Shared, "Reconnect_Lost", culture));
        await Assertions.Expect(notice.Locator(".components-reconnect-repeated-attempt-visible")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("note-text")).ToHaveValueAsync(note);

        // It comes back: the portal says the work is as it was left, and the note saves.
        await link.RestoreAsync();
        await Assertions.Expect(page.GetByTestId("reconnect-restored")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Assertions.Expect(notice).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("note-text")).ToHaveValueAsync(note);
        await page.GetByTestId("note-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("timeline-text").Filter(new() { HasText = note })).ToHaveCountAsync(1);

        // Saved, the draft is gone: a reload offers nothing.
        await page.GotoAsync($"/cases/{number}");
        await page.WaitForCircuitAsync();
        await page.OpenTabAsync(ResourceFiles.Text(CaseText, "Tab_Timeline", culture));
        await Assertions.Expect(page.GetByTestId("timeline-text").Filter(new() { HasText = note })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("draft-offer-note")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_half_filled_referral_is_offered_and_restored_after_the_portal_restarts()
    {
        using var data = new TempDirectory("portal-e2e-restart");
        var settings = new Dictionary<string, string> { ["Portal:Security:LoginRateLimit:PerAddressPermitLimit"] = "10000" };
        var portal = await PortalProcess.StartAsync(data.Path, settings);
        try
        {
            var context = await _fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = portal.BaseUrl, Locale = "en-GB" });
            var page = await context.NewPageAsync();
            await page.SignInAsync("advocate.cf@example.org", returnPath: "/queues/new");
            var culture = await page.Locator("html").GetAttributeAsync("lang") ?? "en";
            var number = await page.ClaimFirstNewIntakeAsync();
            await page.OpenTabAsync(ResourceFiles.Text(CaseText, "Tab_Referrals", culture));

            const string reason = "Needs a lawyer for the child-support claim; she can come to Bangui on Thursdays.";
            await page.GetByTestId("referral-create").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await dialog.Locator("textarea").First.FillAsync(reason);
            await Assertions.Expect(dialog.GetByText(ResourceFiles.Text(Shared, "Draft_Kept", culture))).ToBeVisibleAsync();

            // The portal restarts on the same port and data while the dialog is open.
            var reloaded = new TaskCompletionSource();
            page.Load += (_, _) => reloaded.TrySetResult();
            var port = portal.Port;
            await portal.DisposeAsync();
            await Assertions.Expect(page.GetByTestId("reconnect-modal")).ToBeVisibleAsync();
            portal = await PortalProcess.StartAsync(data.Path, settings, port: port);

            // The browser rejoins, finds its page gone and loads it again; the referral it was typing is offered.
            await reloaded.Task.WaitAsync(TimeSpan.FromMinutes(3));
            Assert.EndsWith($"/cases/{number}", page.Url, StringComparison.Ordinal);
            await page.GetByTestId("circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 120_000 });
            await page.OpenTabAsync(ResourceFiles.Text(CaseText, "Tab_Referrals", culture));
            var offer = page.GetByTestId("draft-offer-referral");
            await Assertions.Expect(offer).ToBeVisibleAsync(new() { Timeout = 120_000 });
            await page.GetByTestId("draft-restore-referral").ClickAsync();
            await Assertions.Expect(dialog.Locator("textarea").First).ToHaveValueAsync(reason);
            await Assertions.Expect(offer).ToHaveCountAsync(0);

            // Cancelled, it is discarded: not offered again.
            await page.GetByTestId("referral-cancel").ClickAsync();
            await Assertions.Expect(dialog).ToBeHiddenAsync();
            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
            await page.OpenTabAsync(ResourceFiles.Text(CaseText, "Tab_Referrals", culture));
            await Assertions.Expect(page.GetByTestId("referral-create")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("draft-offer-referral")).ToHaveCountAsync(0);
            await context.CloseAsync();
        }
        finally
        {
            await portal.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_message_a_closure_request_and_a_follow_up_left_unsaved_are_offered_after_a_reload_and_restore()
    {
        var page = await _fixture.NewPageAsync();
        await page.SignInAsync("advocate.cf@example.org", returnPath: "/queues/new");
        var culture = await page.Locator("html").GetAttributeAsync("lang") ?? "en";
        var kept = ResourceFiles.Text(Shared, "Draft_Kept", culture);
        var number = await page.ClaimFirstNewIntakeAsync();
        var dialog = page.Locator(".mud-dialog");

        // A message to the person, and a closure request whose dialog is still open, when the page goes away.
        const string message = "Bonjour, je passerai au centre de Bambari jeudi matin.";
        const string closure = "She moved to Bangui and is followed by the programme there.";
        await page.OpenTabAsync(ResourceFiles.Text(CaseText, "Tab_Request", culture));
        await page.GetByTestId("message-text-input").FillAsync(message);
        await Assertions.Expect(page.GetByTestId("message-form").GetByText(kept)).ToBeVisibleAsync();
        await page.GetByTestId("action-RequestClosure").ClickAsync();
        await dialog.GetByTestId("transition-comment").FillAsync(closure);
        await Assertions.Expect(dialog.GetByText(kept)).ToBeVisibleAsync();
        await ReloadCaseAsync(page);

        // Both are offered; the closure request restores into its dialog and, cancelled, is discarded.
        await page.GetByTestId("draft-restore-closure-request").ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("transition-comment")).ToHaveValueAsync(closure);
        await Assertions.Expect(page.GetByTestId("draft-offer-closure-request")).ToHaveCountAsync(0);
        await dialog.GetByTestId("transition-cancel").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();

        // The message restores into its box and sends.
        await page.OpenTabAsync(ResourceFiles.Text(CaseText, "Tab_Request", culture));
        await page.GetByTestId("draft-restore-message").ClickAsync();
        await Assertions.Expect(page.GetByTestId("message-text-input")).ToHaveValueAsync(message);
        await page.GetByTestId("message-send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("thread-text").Filter(new() { HasText = message })).ToHaveCountAsync(1);

        // A follow-up's title, its dialog open when the page goes away, comes back into a dialog of the same kind.
        const string title = "Call her after the hearing in Bambari";
        await page.OpenTabAsync(ResourceFiles.Text(CaseText, "Tab_FollowUps", culture));
        await page.GetByTestId("followup-add").ClickAsync();
        await dialog.GetByTestId("followup-title").FillAsync(title);
        await Assertions.Expect(dialog.GetByText(kept)).ToBeVisibleAsync();
        await ReloadCaseAsync(page);

        // What was sent or discarded is not offered again.
        await page.OpenTabAsync(ResourceFiles.Text(CaseText, "Tab_Request", culture));
        await Assertions.Expect(page.GetByTestId("message-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("draft-offer-message")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("draft-offer-closure-request")).ToHaveCountAsync(0);

        await page.OpenTabAsync(ResourceFiles.Text(CaseText, "Tab_FollowUps", culture));
        await page.GetByTestId("draft-restore-followup").ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("followup-title")).ToHaveValueAsync(title);
        await Assertions.Expect(dialog.GetByText(kept)).ToBeVisibleAsync();
        await dialog.GetByTestId("followup-cancel-dialog").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    private static async Task ReloadCaseAsync(IPage page)
    {
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.GetByTestId("case-header")).ToBeVisibleAsync();
    }
}
