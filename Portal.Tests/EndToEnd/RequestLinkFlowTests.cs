using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// A person who lost their passphrase asks again; the advocate links the new request into the person's case from the
/// Request tab, in real Chromium, and the person follows the case with the new code.
/// </summary>
[Collection(IntakeEndToEndCollection.Name)]
public sealed class RequestLinkFlowTests
{
    private const string FirstAccount = "J'ai besoin d'un médecin, un soldat m'a fait du mal.";
    private const string SecondAccount = "C'est encore moi : j'ai perdu ma phrase secrète.";

    private readonly IntakeEndToEndFixture _fixture;

    public RequestLinkFlowTests(IntakeEndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task An_advocate_links_a_second_request_by_its_code_and_the_case_shows_both()
    {
        var queue = await _fixture.NewStaffPageAsync();
        await queue.SignInAsync("advocate.cd@example.org", returnPath: "/queues/new");
        await queue.WaitForCircuitAsync();
        var claims = queue.Locator("[data-testid^='claim-CD-']");
        var before = await claims.EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.dataset.testid)");

        var (firstCode, _) = await SubmitAsync(FirstAccount);
        await Assertions.Expect(claims).ToHaveCountAsync(before.Length + 1);
        var claim = (await claims.EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.dataset.testid)")).Single(id => !before.Contains(id));
        var number = claim["claim-".Length..];

        // The advocate takes the case up from its page.
        var casePage = await queue.Context.NewPageAsync();
        await casePage.GotoAsync($"/cases/{number}");
        await casePage.WaitForCircuitAsync();
        await casePage.GetByTestId("action-claim").ClickAsync();
        await Assertions.Expect(casePage.GetByTestId("action-claim")).ToHaveCountAsync(0);

        // Later, on another phone, the person asks again and reads the new code out to the advocate.
        var (secondCode, secondPassphrase) = await SubmitAsync(SecondAccount);

        await casePage.GetByRole(AriaRole.Tab, new() { Name = "Demande" }).ClickAsync();
        await Assertions.Expect(casePage.GetByTestId("request")).ToHaveCountAsync(1);
        await casePage.GetByTestId("link-input").FillAsync(secondCode.ToLowerInvariant());
        await casePage.GetByTestId("link-submit").ClickAsync();

        var requests = casePage.GetByTestId("request");
        await Assertions.Expect(requests).ToHaveCountAsync(2);
        await Assertions.Expect(requests.First).ToContainTextAsync(firstCode);
        await Assertions.Expect(requests.Last).ToContainTextAsync(secondCode);
        await Assertions.Expect(requests.Last.GetByTestId("request-linked-from")).ToContainTextAsync("CD-");
        await Assertions.Expect(casePage.GetByTestId("thread-Account")).ToHaveCountAsync(2);
        await Assertions.Expect(casePage.GetByTestId("request-thread")).ToContainTextAsync(FirstAccount);
        await Assertions.Expect(casePage.GetByTestId("request-thread")).ToContainTextAsync(SecondAccount);

        // The new code and its passphrase open the case's whole thread.
        var person = await _fixture.NewPageAsync(publicLanguage: "fr");
        await person.GotoAsync("/help/status");
        await person.Locator("#code").FillAsync(secondCode);
        await person.Locator("#passphrase").FillAsync(secondPassphrase);
        await person.GetByTestId("check").ClickAsync();
        await Assertions.Expect(person.GetByTestId("status")).ToHaveAttributeAsync("data-status", "AdvocateAssigned");
        await Assertions.Expect(person.GetByTestId("messages")).ToContainTextAsync(FirstAccount);
        await Assertions.Expect(person.GetByTestId("messages")).ToContainTextAsync(SecondAccount);

        await person.Context.CloseAsync();
        await queue.Context.CloseAsync();
    }

    /// <summary>A request from a phone of its own, in French: its reference code and passphrase.</summary>
    private async Task<(string Code, string Passphrase)> SubmitAsync(string account)
    {
        var person = await _fixture.NewPageAsync(publicLanguage: "fr");
        await person.GotoAsync("/help");
        await person.Locator("#account").FillAsync(account);
        await person.Locator("#help-medical").CheckAsync();
        await person.Locator("#country").SelectOptionAsync("CD");
        await person.GetByTestId("send").ClickAsync();
        await person.WaitForURLAsync("**/help/submitted");
        var code = await person.GetByTestId("reference-code").TextContentAsync();
        var passphrase = await person.GetByTestId("passphrase").TextContentAsync();
        await person.Context.CloseAsync();
        return (code!.Trim(), passphrase!.Trim());
    }
}
