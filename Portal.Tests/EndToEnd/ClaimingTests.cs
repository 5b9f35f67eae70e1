using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// The report: two clicks 600 ms apart on "Claim" claimed two cases, because the next row slid under the
/// pointer. The claimed row now stays where it was, marked "claimed by you", with "Open case" and a short-lived undo.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClaimingTests
{
    private readonly EndToEndFixture _fixture;

    public ClaimingTests(EndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Two_clicks_600_ms_apart_claim_one_case_which_stays_in_place_with_open_and_undo()
    {
        var page = await _fixture.NewPageAsync();
        await page.SignInAsync("advocate2.cf@example.org", returnPath: "/queues/new");
        await page.WaitForCircuitAsync();
        var first = page.Locator("[data-testid^='claim-']").First;
        await Assertions.Expect(first).ToBeVisibleAsync();
        var number = (await first.GetAttributeAsync("data-testid"))!["claim-".Length..];
        var box = (await first.BoundingBoxAsync())!;
        var claimable = await page.Locator("[data-testid^='claim-']").CountAsync();

        // Two clicks at the same spot, 600 ms apart (the second one waits for nothing but the user's hand).
        await page.Mouse.ClickAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await page.WaitForTimeoutAsync(600);
        await page.Mouse.ClickAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));

        await Assertions.Expect(page.GetByTestId($"claimed-{number}")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid^='claimed-']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid^='claim-']")).ToHaveCountAsync(claimable - 1);
        var claimedBox = (await page.GetByTestId($"claimed-{number}").BoundingBoxAsync())!;
        Assert.InRange(claimedBox.Y, box.Y - box.Height, box.Y + box.Height); // the row did not move away

        // Undo gives it back; a claim again, then "Open case" leads straight to it.
        await page.GetByTestId($"undo-{number}").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"claim-{number}")).ToBeVisibleAsync();
        await page.GetByTestId($"claim-{number}").ClickAsync();
        await page.GetByTestId($"open-{number}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("case-number")).ToHaveTextAsync(number);
        await Assertions.Expect(page.GetByTestId("action-release")).ToBeVisibleAsync(); // held by this advocate
        await page.Context.CloseAsync();
    }
}
