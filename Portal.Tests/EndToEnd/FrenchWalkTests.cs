using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// A walk through the main staff pages in French, in Chromium, failing on English words in what the page says: its
/// text, and the titles, labels and placeholders people read or hear. What people typed (rendered as user text, isolated)
/// is left out: a note may well be in English.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class FrenchWalkTests
{
    /// <summary>English words that do not occur in the French interface; each would mean a string that skipped translation.</summary>
    private static readonly string[] EnglishWords =
    [
        "the", "and", "of", "to", "is", "with", "Save", "Cancel", "Close", "Assigned", "Not assigned", "Start", "Reminder",
        "Escalation", "Urgent", "Rejoining", "Retry", "overdue", "days", "day", "Today", "Phone", "Referral", "Referrals",
        "Follow-up", "Loading", "Rows per page", "No records", "Search", "Yes", "Claim", "Release", "Unassigned", "Edit",
    ];

    private readonly EndToEndFixture _fixture;

    public FrenchWalkTests(EndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task An_advocate_working_in_French_reads_no_English_on_the_queues_a_case_its_tabs_a_dialog_referrals_and_notifications()
    {
        var page = await _fixture.NewPageAsync("fr-FR");
        await page.SignInAsync("advocate.cf@example.org", returnPath: "/queues/new");
        await Assertions.Expect(page.Locator("[data-testid^='claim-']").First).ToBeVisibleAsync();
        await ExpectFrenchAsync(page, "/queues/new");

        await page.GotoAsync("/queues/mine");
        await page.WaitForCircuitAsync();
        var caseLink = page.GetByTestId("case-link").First;
        await Assertions.Expect(caseLink).ToBeVisibleAsync();
        await ExpectFrenchAsync(page, "/queues/mine");

        await page.GotoAsync((await caseLink.GetAttributeAsync("href"))!);
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.GetByTestId("case-header")).ToBeVisibleAsync();
        var tabs = page.GetByTestId("case-tabs").GetByRole(AriaRole.Tab);
        var count = await tabs.CountAsync();
        Assert.True(count >= 4, $"only {count} tabs on the case page");
        for (var i = 0; i < count; i++)
        {
            await tabs.Nth(i).ClickAsync();
            await Assertions.Expect(tabs.Nth(i)).ToHaveAttributeAsync("aria-selected", "true");
            await Assertions.Expect(page.Locator(".mud-progress-linear")).ToHaveCountAsync(0);
            await ExpectFrenchAsync(page, $"case page, tab {await tabs.Nth(i).InnerTextAsync()}");
        }

        // A dialog: the next step of the case (a transition, with its comment and, for a closure, its reasons).
        await page.GetByTestId("case-actions").Locator("[data-testid^='action-Start'], [data-testid='action-RequestClosure']").First.ClickAsync();

        await Assertions.Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
        await ExpectFrenchAsync(page, "a dialog on the case page");
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = ResourceFiles.Text("Portal/Features/Cases/CaseText", "Cancel", "fr"), Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);

        foreach (var path in new[] { "/referrals", "/notifications" })
        {
            await page.GotoAsync(path);
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.Locator(".mud-progress-linear")).ToHaveCountAsync(0);
            await ExpectFrenchAsync(page, path);
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_coordinator_who_switches_to_French_reads_no_English_on_the_dashboard_and_the_annual_report()
    {
        var page = await _fixture.NewPageAsync("fr-FR");
        await page.SignInAsync(EndToEndAccounts.Coordinator, returnPath: "/dashboard");
        await page.GotoAsync("/culture/set?culture=fr&redirectUri=%2Fdashboard");
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.Locator("[data-testid=tile-unclaimed] [data-figure=unclaimed]")).ToBeVisibleAsync();
        await ExpectFrenchAsync(page, "/dashboard");

        await page.GotoAsync("/reports/annual");
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.Locator(".mud-progress-linear")).ToHaveCountAsync(0);
        await ExpectFrenchAsync(page, "/reports/annual");
        await page.Context.CloseAsync();
    }

    private static async Task ExpectFrenchAsync(IPage page, string where)
    {
        var shown = await page.EvaluateAsync<string>("""
            () => {
                const copy = document.body.cloneNode(true);
                copy.querySelectorAll('[data-user-text], script, style, [lang]').forEach(e => e.remove());
                const read = [...copy.querySelectorAll('[title], [aria-label], [placeholder], [alt]')]
                    .flatMap(e => ['title', 'aria-label', 'placeholder', 'alt'].map(a => e.getAttribute(a)).filter(v => v));
                return copy.textContent + '\n' + read.join('\n');
            }
            """);
        var text = Isolated().Replace(shown, " ");
        var found = EnglishWords.Where(word => Regex.IsMatch(text, $@"(?<![\p{{L}}-]){Regex.Escape(word)}(?![\p{{L}}-])")).ToList();

        Assert.True(found.Count == 0, $"English on {where}: {string.Join(", ", found.Select(w => $"\"{w}\" in …{Around(text, w)}…"))}");
    }

    private static string Around(string text, string word)
    {
        var at = Regex.Match(text, $@"(?<![\p{{L}}-]){Regex.Escape(word)}(?![\p{{L}}-])").Index;
        var start = Math.Max(0, at - 60);
        return Regex.Replace(text.Substring(start, Math.Min(text.Length - start, 120 + word.Length)), @"\s+", " ");
    }

    /// <summary>What someone typed, shown inside a sentence between a first-strong isolate and its pop.</summary>
    [GeneratedRegex("\u2068[^\u2069]*\u2069")]
    private static partial Regex Isolated();
}
