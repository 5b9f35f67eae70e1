using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class QueueAndCaseTests
{
    private readonly EndToEndFixture _fixture;

    public QueueAndCaseTests(EndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_claim_shows_in_another_advocates_open_queue_and_a_coordinator_approves_the_closure()
    {
        var advocateA = await _fixture.NewPageAsync();
        var advocateB = await _fixture.NewPageAsync();
        var coordinator = await _fixture.NewPageAsync();
        await advocateA.SignInAsync("advocate.cf@example.org", returnPath: "/queues/new");
        await advocateB.SignInAsync("advocate2.cf@example.org", returnPath: "/queues/new");

        // Both look at the Central African Republic's unclaimed intakes, oldest first.
        var firstClaim = advocateA.Locator("[data-testid^='claim-']").First;
        await Assertions.Expect(firstClaim).ToBeVisibleAsync();
        var number = (await firstClaim.GetAttributeAsync("data-testid"))!["claim-".Length..];
        await Assertions.Expect(advocateB.GetByTestId($"claim-{number}")).ToBeVisibleAsync();

        var unclaimedBefore = int.Parse(await advocateB.GetByTestId("count-NewIntakes").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        await firstClaim.ClickAsync();

        // B's page was not reloaded: the live event took the claimed case out of B's queue and lowered the count.
        await Assertions.Expect(advocateB.GetByTestId($"claim-{number}")).ToHaveCountAsync(0);
        await Assertions.Expect(advocateB.GetByTestId("case-link").Filter(new() { HasText = number })).ToHaveCountAsync(0);
        await Assertions.Expect(advocateB.GetByTestId("count-NewIntakes")).ToHaveTextAsync((unclaimedBefore - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        // A's own claim stays in place, marked, until A moves on: the next row does not slide under the pointer.
        await Assertions.Expect(advocateA.GetByTestId($"claimed-{number}")).ToBeVisibleAsync();

        // B's list of all the country's cases shows who has it.
        await advocateB.GotoAsync("/queues/all");
        await advocateB.GetByTestId("filter-number").FillAsync(number);
        await Assertions.Expect(advocateB.GetByTestId($"assignee-{number}")).ToHaveTextAsync("Amina Ndakala");

        // A works the case to the point of asking for closure.
        await advocateA.GotoAsync($"/cases/{number}");
        await advocateA.WaitForCircuitAsync();
        await Assertions.Expect(advocateA.GetByTestId("case-assignee")).ToContainTextAsync("Amina Ndakala");
        await advocateA.GetByTestId("action-RequestClosure").ClickAsync();
        await advocateA.GetByTestId("closure-reason").ClickAsync();
        // Amina works in French: signing in applies her preferred language.
        await advocateA.GetByRole(AriaRole.Option, new() { Name = "Assistance terminée" }).ClickAsync();
        // Whatever is still open (a check, the person's unread words) is settled in the dialog first.
        await Assertions.Expect(advocateA.Locator("[data-testid=closure-work-none], [data-testid^=open-]").First).ToBeVisibleAsync();
        while (await advocateA.GetByTestId("closure-done").CountAsync() > 0)
        {
            var before = await advocateA.GetByTestId("closure-done").CountAsync();
            await advocateA.GetByTestId("closure-done").First.ClickAsync();
            await Assertions.Expect(advocateA.GetByTestId("closure-done")).ToHaveCountAsync(before - 1);
        }

        if (await advocateA.GetByTestId("open-unread").CountAsync() > 0)
        {
            await advocateA.GetByTestId("closure-mark-read").ClickAsync();
            await Assertions.Expect(advocateA.GetByTestId("open-unread")).ToHaveCountAsync(0);
        }

        await advocateA.GetByTestId("transition-comment").FillAsync("The person has what she asked for.");
        await advocateA.GetByTestId("transition-confirm").ClickAsync();
        await Assertions.Expect(advocateA.GetByTestId("case-header").Locator("[data-status]")).ToHaveAttributeAsync("data-status", "ClosureRequested");

        // The coordinator finds it awaiting approval and approves it.
        await coordinator.SignInAsync(EndToEndAccounts.Coordinator, returnPath: "/queues/closure");
        await coordinator.GetByTestId("case-link").Filter(new() { HasText = number }).ClickAsync();
        await coordinator.WaitForCircuitAsync();
        await coordinator.GetByTestId("action-ApproveClosure").ClickAsync();
        await coordinator.GetByTestId("transition-confirm").ClickAsync();
        await Assertions.Expect(coordinator.GetByTestId("case-header").Locator("[data-status]")).ToHaveAttributeAsync("data-status", "Closed");

        // A's open case page follows without reload.
        await Assertions.Expect(advocateA.GetByTestId("case-header").Locator("[data-status]")).ToHaveAttributeAsync("data-status", "Closed");
        foreach (var page in new[] { advocateA, advocateB, coordinator })
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_queue_pager_pages_forward_and_changes_the_page_size()
    {
        var coordinator = await _fixture.NewPageAsync();
        await coordinator.SignInAsync(EndToEndAccounts.Coordinator, returnPath: "/queues/all");
        await coordinator.WaitForCircuitAsync();
        var rows = coordinator.GetByTestId("case-link");
        await Assertions.Expect(rows).ToHaveCountAsync(25);
        await Assertions.Expect(coordinator.GetByTestId("pager-range")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^1–25 "));
        var first = await rows.First.InnerTextAsync();

        await coordinator.GetByTestId("pager-next").ClickAsync();

        await Assertions.Expect(coordinator.GetByTestId("pager-range")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^26–"));
        await Assertions.Expect(rows.Filter(new() { HasText = first })).ToHaveCountAsync(0);

        await coordinator.GetByTestId("pager-size").SelectOptionAsync("10");

        await Assertions.Expect(coordinator.GetByTestId("pager-range")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^1–10 "));
        await Assertions.Expect(rows).ToHaveCountAsync(10);
        await coordinator.Context.CloseAsync();
    }

    [Fact]
    public async Task The_case_page_shows_who_else_has_it_open()
    {
        var first = await _fixture.NewPageAsync();
        var second = await _fixture.NewPageAsync();
        await first.SignInAsync("advocate.cf@example.org", returnPath: "/queues/all");
        var link = first.GetByTestId("case-link").First;
        var number = await link.InnerTextAsync();
        await first.GotoAsync($"/cases/{number}");
        await first.WaitForCircuitAsync();

        await second.SignInAsync(EndToEndAccounts.Coordinator, returnPath: $"/cases/{number}");

        await Assertions.Expect(second.GetByTestId("presence")).ToContainTextAsync("Amina Ndakala");
        await Assertions.Expect(first.GetByTestId("presence")).ToContainTextAsync("Sam Okafor");
        // Leaving the case inside the app disposes the page at once (a browser that goes away without a word: CasePresenceTests).
        await second.GetByTestId("nav-queue-MyCases").ClickAsync();
        await Assertions.Expect(first.GetByTestId("presence")).ToHaveCountAsync(0);
        await second.Context.CloseAsync();
        await first.Context.CloseAsync();
    }

    [Theory]
    [InlineData("advocate.ht@example.org", "{number}")]
    [InlineData("advocate.cf@example.org", "CF-2026-99999")]
    [InlineData("advocate.cf@example.org", "{number}' OR '1'='1")]
    [InlineData("advocate.cf@example.org", "%2E%2E%2Fadmin")]
    public async Task Cases_out_of_scope_or_tampered_answer_not_found(string user, string route)
    {
        var coordinator = await _fixture.NewPageAsync();
        await coordinator.SignInAsync(EndToEndAccounts.Coordinator, returnPath: "/queues/all");
        await coordinator.GetByTestId("filter-number").FillAsync("CF-");
        var number = await coordinator.GetByTestId("case-link").First.InnerTextAsync();
        await coordinator.Context.CloseAsync();

        var page = await _fixture.NewPageAsync();
        await page.SignInAsync(user, returnPath: "/" + route.Replace("{number}", number, StringComparison.Ordinal).Insert(0, "cases/"));

        await Assertions.Expect(page.GetByTestId("case-not-found")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("case-header")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_French_advocates_changes_reach_an_English_coordinators_open_case_page_in_English()
    {
        // Amina works in French (her preferred language, applied at sign-in), Sam in English.
        var advocate = await _fixture.NewPageAsync("fr-FR");
        await advocate.SignInAsync("advocate.cf@example.org", returnPath: "/queues/new");
        var unclaimed = advocate.Locator("[data-testid^='claim-']").Last;
        await Assertions.Expect(unclaimed).ToBeVisibleAsync();
        var number = (await unclaimed.GetAttributeAsync("data-testid"))!["claim-".Length..];
        await advocate.GotoAsync($"/cases/{number}");
        await advocate.WaitForCircuitAsync();
        var coordinator = await _fixture.NewPageAsync();
        await coordinator.SignInAsync(EndToEndAccounts.Coordinator, returnPath: $"/cases/{number}");
        await Assertions.Expect(advocate.GetByTestId("case-assignee")).ToHaveTextAsync("Non attribué");
        await Assertions.Expect(coordinator.GetByTestId("case-assignee")).ToHaveTextAsync("Not assigned");

        // The advocate acts: the coordinator's page follows, in English.
        await advocate.GetByTestId("action-claim").ClickAsync();
        await Assertions.Expect(advocate.GetByTestId("case-assignee")).ToHaveTextAsync("Attribué à \u2068Amina Ndakala\u2069");
        await Assertions.Expect(coordinator.GetByTestId("case-assignee")).ToHaveTextAsync("Assigned to \u2068Amina Ndakala\u2069");

        await Assertions.Expect(advocate.GetByTestId("action-claim")).ToHaveCountAsync(0);
        await Assertions.Expect(advocate.GetByTestId("case-assignee")).ToHaveTextAsync("Attribué à \u2068Amina Ndakala\u2069");
        await advocate.Context.CloseAsync();
        await coordinator.Context.CloseAsync();
    }

    [Fact]
    public async Task An_English_coordinators_note_reaches_a_French_advocates_open_case_page_in_French()
    {
        // Amina (French) has a case of her own open on its timeline; Sam (English) opens the same case.
        var advocate = await _fixture.NewPageAsync("fr-FR");
        await advocate.SignInAsync("advocate.cf@example.org", returnPath: "/queues/new");
        var unclaimed = advocate.Locator("[data-testid^='claim-']").Last;
        await Assertions.Expect(unclaimed).ToBeVisibleAsync();
        var number = (await unclaimed.GetAttributeAsync("data-testid"))!["claim-".Length..];
        await advocate.GotoAsync($"/cases/{number}");
        await advocate.WaitForCircuitAsync();
        await advocate.GetByTestId("action-claim").ClickAsync();
        await Assertions.Expect(advocate.GetByTestId("case-assignee")).ToHaveTextAsync("Attribué à \u2068Amina Ndakala\u2069");
        await advocate.GetByRole(AriaRole.Tab, new() { Name = ResourceFiles.Text(CaseText, "Tab_Timeline", "fr") }).ClickAsync();

        var coordinator = await _fixture.NewPageAsync();
        await coordinator.SignInAsync(EndToEndAccounts.Coordinator, returnPath: $"/cases/{number}");
        await coordinator.WaitForCircuitAsync();
        await coordinator.GetByRole(AriaRole.Tab, new() { Name = ResourceFiles.Text(CaseText, "Tab_Timeline", "en") }).ClickAsync();

        // The coordinator acts: the advocate's page shows the note and stays French throughout.
        const string note = "Called the provider; they expect her on Monday.";
        await coordinator.GetByTestId("note-text").FillAsync(note);
        await coordinator.GetByTestId("note-add").ClickAsync();
        await Assertions.Expect(coordinator.GetByTestId("timeline-text").Filter(new() { HasText = note })).ToHaveCountAsync(1);

        await Assertions.Expect(advocate.GetByTestId("timeline-text").Filter(new() { HasText = note })).ToHaveCountAsync(1);
        await Assertions.Expect(advocate.GetByTestId("case-assignee")).ToHaveTextAsync("Attribué à \u2068Amina Ndakala\u2069");
        await Assertions.Expect(advocate.GetByRole(AriaRole.Tab, new() { Name = ResourceFiles.Text(CaseText, "Tab_Timeline", "fr") })).ToBeVisibleAsync();
        await Assertions.Expect(advocate.GetByTestId("note-add")).ToHaveTextAsync(ResourceFiles.Text(CaseText, "Note_Save", "fr"), new() { IgnoreCase = true });
        await Assertions.Expect(advocate.GetByTestId("presence")).ToContainTextAsync(ResourceFiles.Text(CaseText, "AlsoViewing", "fr").Replace("{0}", "", StringComparison.Ordinal).Trim());

        // And the coordinator's own page is still English.
        await Assertions.Expect(coordinator.GetByTestId("case-assignee")).ToHaveTextAsync("Assigned to \u2068Amina Ndakala\u2069");
        await advocate.Context.CloseAsync();
        await coordinator.Context.CloseAsync();
    }

    private const string CaseText = "Portal/Features/Cases/CaseText";
}
