using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// Text someone typed cannot disguise itself on staff pages with bidirectional controls: "Bambari" followed by a
/// right-to-left override and "gnp.exe" would otherwise show as "Bambariexe.png". Checked where the browser lays the
/// characters out: a survivor's district on the case page, a staff member's note on the case timeline, and a staff
/// member's name in a queue row.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class UserTextTests(EndToEndFixture fixture)
{
    private const string Override = "\u202E";

    [Fact]
    public async Task A_district_with_an_override_shows_in_the_order_it_was_typed()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("advocate.cf@example.org", returnPath: "/queues/mine");
        await Assertions.Expect(page.Locator("[data-testid^='assignee-'] bdi").First).ToBeAttachedAsync();
        await page.GetByTestId("case-link").First.ClickAsync();

        await page.GetByTestId("edit-profile").ClickAsync();
        var place = "Ouham " + Guid.NewGuid().ToString("N")[..6];
        await page.GetByTestId("district").FillAsync(place + Override + "gnp.exe");
        await page.GetByTestId("profile-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("profile-dialog")).ToHaveCountAsync(0);
        var district = page.GetByTestId("profile-district");
        await Assertions.Expect(district).ToContainTextAsync(place);

        Assert.Equal(place + "gnp.exe", await district.TextContentAsync());
        Assert.Equal(1, await district.Locator("bdi").CountAsync());
        Assert.True(await ShownBeforeAsync(district, "g", ".exe"), "The district does not read as typed.");

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_note_with_an_override_shows_on_the_case_timeline_in_the_order_it_was_typed()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("advocate.cf@example.org", returnPath: "/queues/mine");
        await Assertions.Expect(page.Locator("[data-testid^='assignee-'] bdi").First).ToBeAttachedAsync();
        await page.GetByTestId("case-link").First.ClickAsync();
        var culture = await page.Locator("html").GetAttributeAsync("lang") ?? "en"; // the advocate's own language
        var tab = page.GetByRole(AriaRole.Tab, new() { Name = ResourceFiles.Text("Portal/Features/Cases/CaseText", "Tab_Timeline", culture) });
        await tab.ClickAsync();
        await Assertions.Expect(tab).ToHaveAttributeAsync("aria-selected", "true");

        var said = "Called back " + Guid.NewGuid().ToString("N")[..6];
        await page.GetByTestId("note-text").FillAsync(said + Override + "gnp.exe");
        await page.GetByTestId("note-text").PressAsync("Tab"); // the box's value reaches the page when it loses focus
        await Assertions.Expect(page.GetByTestId("note-add")).ToBeEnabledAsync();
        await page.GetByTestId("note-add").ClickAsync();
        var note = page.GetByTestId("timeline-text").Filter(new() { HasText = said });
        await Assertions.Expect(note).ToHaveCountAsync(1);

        Assert.Equal(said + "gnp.exe", await note.TextContentAsync());
        Assert.Equal(1, await note.Locator("bdi").CountAsync());
        Assert.True(await ShownBeforeAsync(note, "g", ".exe"), "The note does not read as typed.");

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_assignee_named_with_an_override_shows_in_the_queue_row_in_the_order_it_was_typed()
    {
        // An Administrator creates an advocate whose name carries an override; a coordinator hands them a case.
        var name = "Grace " + Guid.NewGuid().ToString("N")[..6];
        var admin = await fixture.NewPageAsync();
        await admin.SignInAsync(EndToEndAccounts.Administrator, returnPath: "/admin/users");
        await admin.GetByTestId("user-create").ClickAsync();
        await admin.GetByTestId("editor-user-name").FillAsync($"bidi.{Guid.NewGuid():N}@example.org");
        await admin.GetByTestId("editor-display-name").FillAsync(name + Override + "gnp.exe");
        await admin.GetByTestId("editor-role-Advocate").ClickAsync();
        await admin.GetByTestId("editor-country-SS").ClickAsync();
        await admin.GetByTestId("editor-save").ClickAsync();
        await Assertions.Expect(admin.GetByText(ResourceFiles.Text("Portal/Features/Admin/AdminText", "Users_Created", "en"))).ToBeVisibleAsync();
        await admin.Context.CloseAsync();

        var page = await fixture.NewPageAsync();
        await page.SignInAsync(EndToEndAccounts.Coordinator, returnPath: "/queues/all?country=SS&status=Assessment");
        var number = await RevocationTests.FirstCaseAsync(page);
        await page.GotoAsync($"/cases/{number}");
        await page.GetByTestId("reassign-to").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = name }).ClickAsync();
        await page.GetByTestId("action-reassign").ClickAsync();
        await Assertions.Expect(page.GetByTestId("case-assignee")).ToContainTextAsync(name);

        await page.GotoAsync($"/queues/all?number={number}");
        // The prerendered row is replaced by the live one when the circuit starts: the layout is measured on the live one.
        await page.WaitForCircuitAsync();
        var assignee = page.GetByTestId($"assignee-{number}");
        await Assertions.Expect(assignee).ToContainTextAsync(name);

        Assert.Equal(name + "gnp.exe", await assignee.TextContentAsync());
        Assert.Equal(1, await assignee.Locator("bdi").CountAsync());
        Assert.True(await ShownBeforeAsync(assignee, "g", ".exe"), "The assignee's name does not read as typed.");

        await page.Context.CloseAsync();
    }

    /// <summary>Whether the first character of <paramref name="first"/> is drawn left of <paramref name="then"/>, as the browser laid them out.</summary>
    private static Task<bool> ShownBeforeAsync(ILocator element, string first, string then) =>
        element.EvaluateAsync<bool>(
            """
            (element, [first, then]) => {
                const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
                let text = '';
                const nodes = [];
                while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
                const left = (index) => {
                    const [node, start] = nodes.filter(([n, s]) => s <= index).pop();
                    const range = document.createRange();
                    range.setStart(node, index - start);
                    range.setEnd(node, index - start + 1);
                    return range.getBoundingClientRect().left;
                };
                return left(text.indexOf(first)) < left(text.indexOf(then));
            }
            """,
            new[] { first, then });
}
