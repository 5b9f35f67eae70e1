using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

[Collection(IntakeEndToEndCollection.Name)]
public sealed class IntakeJourneyTests
{
    private readonly IntakeEndToEndFixture _fixture;

    public IntakeJourneyTests(IntakeEndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_person_writes_in_French_gets_a_code_once_checks_the_status_and_adds_information()
    {
        var page = await _fixture.NewPageAsync();
        await page.GotoAsync("/help");
        await page.GetByTestId("language-fr").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Obtenir de l'aide maintenant");

        await page.Locator("#account").FillAsync("Un soldat de la paix m'a fait du mal. J'ai besoin d'aide pour mon enfant.");
        await page.Locator("#help-child").CheckAsync();
        await page.Locator("#country").SelectOptionAsync("CD");
        await page.Locator("#area").FillAsync("Bunia");
        await page.Locator("#trusted").FillAsync("Ma tante, au marché central");
        await page.GetByTestId("send").ClickAsync();

        await page.WaitForURLAsync("**/help/submitted");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Merci. Nous avons bien reçu votre demande.");
        await Assertions.Expect(page.GetByTestId("reference-code")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$"));
        await AssertAccessibleAsync(page);
        var code = await page.GetByTestId("reference-code").TextContentAsync();
        var passphrase = await page.GetByTestId("passphrase").TextContentAsync();

        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("receipt-gone")).ToBeVisibleAsync();
        Assert.DoesNotContain(passphrase!, await page.ContentAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/help/status");
        await page.Locator("#code").FillAsync(code!.ToLowerInvariant());
        await page.Locator("#passphrase").FillAsync(passphrase!);
        await page.GetByTestId("check").ClickAsync();
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync("Reçue");
        await Assertions.Expect(page.GetByTestId("message-text")).ToHaveTextAsync("Un soldat de la paix m'a fait du mal. J'ai besoin d'aide pour mon enfant.");

        await AssertAccessibleAsync(page);
        await page.Locator("#addition").FillAsync("Il est revenu hier soir.");
        await page.GetByTestId("add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("information-added")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>The receipt and the status view are pages of their own; axe checks them as the person sees them.</summary>
    private static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
    }
}
