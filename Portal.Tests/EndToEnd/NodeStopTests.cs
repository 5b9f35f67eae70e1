using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// Working from the field in the scaled-out mode: the node an advocate was typing on stops (a real process stop, as a
/// power cut would), and the other node offers what they typed. Its own two nodes: stopping one of the shared pair
/// would break the other scaled-out tests.
/// </summary>
[Collection(NodeStopCollection.Name)]
public sealed class NodeStopTests
{
    private const string Shared = "Portal/Resources/SharedResource";
    private const string CaseText = "Portal/Features/Cases/CaseText";
    private readonly ScaledOutFixture _fixture;

    public NodeStopTests(ScaledOutFixture fixture) => _fixture = fixture;

    [Fact]
    public Task A_note_typed_on_a_node_that_stops_is_offered_on_the_other_node_restored_and_saved() => _fixture.WithNodeLogsAsync(async () =>
    {
        var page = await _fixture.NewPageAsync(_fixture.NodeA);
        await page.SignInAsync("advocate.cf@example.org", returnPath: "/queues/new");
        var culture = await page.Locator("html").GetAttributeAsync("lang") ?? "en";
        var timeline = ResourceFiles.Text(CaseText, "Tab_Timeline", culture);
        var number = await page.ClaimFirstNewIntakeAsync();
        await page.OpenTabAsync(timeline);

        const string note = "Met her at the market in Bria; she asks that nobody calls before noon.";
        await page.GetByTestId("note-text").FillAsync(note);
        await Assertions.Expect(page.GetByText(ResourceFiles.Text(Shared, "Draft_Kept", culture))).ToBeVisibleAsync();

        // Node A stops; the same browser (its session cookie is the shared database's) goes on through node B.
        await _fixture.NodeA.StopAsync();
        await Assertions.Expect(page.GetByTestId("reconnect-modal")).ToBeVisibleAsync();
        await page.GotoAsync($"{_fixture.NodeB.BaseUrl}/cases/{number}");
        await page.WaitForCircuitAsync();
        await page.OpenTabAsync(timeline);
        await page.GetByTestId("draft-restore-note").ClickAsync();
        await Assertions.Expect(page.GetByTestId("note-text")).ToHaveValueAsync(note);
        await Assertions.Expect(page.GetByTestId("draft-offer-note")).ToHaveCountAsync(0);
        await page.GetByTestId("note-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("timeline-text").Filter(new() { HasText = note })).ToHaveCountAsync(1);

        // Saved, the draft is gone.
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await page.OpenTabAsync(timeline);
        await Assertions.Expect(page.GetByTestId("timeline-text").Filter(new() { HasText = note })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("draft-offer-note")).ToHaveCountAsync(0);
        Assert.StartsWith(_fixture.NodeB.BaseUrl, page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    });
}
