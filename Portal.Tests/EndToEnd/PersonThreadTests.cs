using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// The two-way channel, in real Chromium: a person asks for help in French, the advocate sees it live, the person changes
/// the safe time to call, the advocate follows the new one and replies, and the person reads the reply.
/// </summary>
[Collection(IntakeEndToEndCollection.Name)]
public sealed class PersonThreadTests
{
    private const string Account = "Un casque bleu m'a fait du mal près du camp. J'ai besoin d'un médecin et je ne suis pas en sécurité.";
    private const string Morning = "le matin avant 9h";
    private const string Evening = "appelez-moi après 17h";
    private const string Reply = "Bonjour, nous vous appellerons après 17h comme vous le demandez.";

    private readonly IntakeEndToEndFixture _fixture;

    public PersonThreadTests(IntakeEndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_French_request_reaches_the_advocate_live_a_new_safe_time_wins_and_the_reply_is_read_on_the_status_page()
    {
        // The advocate of the Democratic Republic of the Congo watches the new intakes; the person writes in French.
        var queue = await _fixture.NewStaffPageAsync();
        await queue.SignInAsync("advocate.cd@example.org", returnPath: "/queues/new");
        await queue.WaitForCircuitAsync();
        var person = await _fixture.NewPageAsync(publicLanguage: "fr");
        await person.Clock.InstallAsync();
        await person.Context.RouteAsync(IntakeEndToEndFixture.NeutralSite, route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "text/html",
            Body = "<!DOCTYPE html><title>Weather</title><h1 id=neutral>Weather today</h1>",
        }));

        await person.GotoAsync("/help");
        await person.Locator("#account").FillAsync(Account);
        await person.Locator("#help-medical").CheckAsync();
        await person.Locator("#help-safety").CheckAsync();
        await person.Locator("#country").SelectOptionAsync("CD");
        await person.Locator("#area").FillAsync("Bunia");
        await person.Locator("#phone").FillAsync("+243 812 345 678");
        await person.Locator("#safe-times").FillAsync(Morning);
        await person.GetByTestId("send").ClickAsync();
        await person.WaitForURLAsync("**/help/submitted");
        var code = await person.GetByTestId("reference-code").TextContentAsync();
        var passphrase = await person.GetByTestId("passphrase").TextContentAsync();

        // The open queue shows the new request without a reload; the advocate takes it up.
        var claim = queue.Locator("[data-testid^='claim-CD-']");
        await Assertions.Expect(claim).ToHaveCountAsync(1);
        var number = (await claim.GetAttributeAsync("data-testid"))!["claim-".Length..];
        await claim.ClickAsync();
        await Assertions.Expect(queue.GetByTestId($"claim-{number}")).ToHaveCountAsync(0);

        var casePage = await queue.Context.NewPageAsync();
        await casePage.GotoAsync($"/cases/{number}");
        await casePage.WaitForCircuitAsync();
        await casePage.GetByRole(AriaRole.Tab, new() { Name = "Demande" }).ClickAsync();
        await Assertions.Expect(casePage.GetByTestId("thread-text")).ToHaveTextAsync(Account);
        await Assertions.Expect(casePage.GetByTestId("help-Medical")).ToBeVisibleAsync();
        await Assertions.Expect(casePage.GetByTestId("help-SafetyAndProtection")).ToBeVisibleAsync();
        await Assertions.Expect(casePage.GetByTestId("request-language")).ToContainTextAsync("(fr)");
        await Assertions.Expect(casePage.GetByTestId("request-area")).ToHaveTextAsync("Bunia");
        await Assertions.Expect(casePage.GetByTestId("translation-hint")).ToHaveCountAsync(0); // she wrote in the advocate's language
        await casePage.GetByRole(AriaRole.Tab, new() { Name = "Aperçu" }).ClickAsync();

        // The queue of the advocate's own cases stays open beside the case.
        await queue.GotoAsync("/queues/mine");
        await queue.WaitForCircuitAsync();
        await Assertions.Expect(queue.GetByTestId("case-link").Filter(new() { HasText = number })).ToHaveCountAsync(1);
        await Assertions.Expect(queue.GetByTestId($"unread-{number}")).ToHaveCountAsync(0);

        // The person comes back with their code and passphrase and changes the safe time.
        await person.GotoAsync("/help/status");
        await person.Locator("#code").FillAsync(code!);
        await person.Locator("#passphrase").FillAsync(passphrase!);
        await person.GetByTestId("check").ClickAsync();
        await Assertions.Expect(person.GetByTestId("status")).ToHaveAttributeAsync("data-status", "AdvocateAssigned");
        await person.Locator("#addition").FillAsync("Il est revenu hier. Le matin n'est plus sûr.");
        await person.Locator("#addition-safe-times").FillAsync(Evening);
        await person.GetByTestId("add").ClickAsync();
        await Assertions.Expect(person.GetByTestId("information-added")).ToBeVisibleAsync();

        // Live: the unread mark in the queue, the bell, and the case header's warning.
        await Assertions.Expect(queue.GetByTestId($"unread-{number}")).ToBeVisibleAsync();
        await Assertions.Expect(casePage.GetByTestId("contact-changed")).ToBeVisibleAsync();
        await Assertions.Expect(casePage.GetByTestId("notification-unread")).ToHaveTextAsync("1");

        // Reading the request clears the mark; the identity shows the new safe time as the one to follow.
        await casePage.GetByRole(AriaRole.Tab, new() { Name = "Demande" }).ClickAsync();
        await Assertions.Expect(casePage.GetByTestId("thread-Addition")).ToContainTextAsync("Il est revenu hier.");
        await Assertions.Expect(casePage.GetByTestId("thread-safe-times")).ToBeVisibleAsync();
        await Assertions.Expect(queue.GetByTestId($"unread-{number}")).ToHaveCountAsync(0);
        await casePage.GetByRole(AriaRole.Tab, new() { Name = "Aperçu" }).ClickAsync();
        await casePage.GetByTestId("reveal-identity").ClickAsync();
        await casePage.GetByTestId("reveal-reason").FillAsync("Pour l'appeler au bon moment");
        await casePage.GetByTestId("reveal-confirm").ClickAsync();
        await Assertions.Expect(casePage.GetByTestId("identity-safe-times")).ToHaveTextAsync(Evening);
        await Assertions.Expect(casePage.GetByTestId("safe-times-earlier")).ToContainTextAsync(Morning);
        await casePage.GetByTestId("reveal-close").ClickAsync();

        // The advocate replies from the case page, signed "your advocate".
        await casePage.GetByRole(AriaRole.Tab, new() { Name = "Demande" }).ClickAsync();
        await casePage.GetByTestId("message-text-input").FillAsync(Reply);
        await casePage.GetByTestId("message-send").ClickAsync();
        var readMark = casePage.GetByTestId("message-read");
        await Assertions.Expect(readMark).ToHaveAttributeAsync("data-read", "false");

        // The status page shows nothing of it before the code and passphrase; then the reply, in French, newest last.
        await person.GotoAsync("/help/status");
        await Assertions.Expect(person.GetByTestId("messages")).ToHaveCountAsync(0);
        await person.Locator("#code").FillAsync(code!);
        await person.Locator("#passphrase").FillAsync(passphrase!);
        await person.GetByTestId("check").ClickAsync();
        var thread = person.GetByTestId("messages").Locator("li");
        await Assertions.Expect(thread).ToHaveCountAsync(3);
        await Assertions.Expect(thread.Last).ToHaveAttributeAsync("data-testid", "thread-FromOffice");
        await Assertions.Expect(thread.Last.GetByTestId("message-text")).ToHaveTextAsync(Reply);
        await Assertions.Expect(thread.Last).ToContainTextAsync("Votre conseillère ou conseiller");
        await Assertions.Expect(thread.Last.GetByTestId("message-date")).ToHaveTextAsync(DateTime.UtcNow.ToString("D", System.Globalization.CultureInfo.GetCultureInfo("fr")));
        Assert.DoesNotContain("Mukendi", await person.ContentAsync(), StringComparison.Ordinal);

        // The advocate sees it read, live.
        await Assertions.Expect(readMark).ToHaveAttributeAsync("data-read", "true");

        // Escape twice leaves the thread, and Back does not bring it back. The page's clock stands still between the
        // presses, so "in quick succession" does not depend on the machine's load.
        await person.Clock.PauseAtAsync(DateTime.UtcNow.AddMinutes(1));
        await person.Keyboard.PressAsync("Escape");
        await person.Keyboard.PressAsync("Escape");
        await person.Locator("#neutral").WaitForAsync();
        await person.GoBackAsync();
        Assert.DoesNotContain(Reply, await person.ContentAsync(), StringComparison.Ordinal);

        await person.Context.CloseAsync();
        await queue.Context.CloseAsync();
    }
}
