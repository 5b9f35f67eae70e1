using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Intake;
using Portal.Features.Drafts;
using Portal.Features.Intake;
using Portal.Features.Referrals;
using Portal.Features.Requests;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Requests;

/// <summary>The case's Request part as the advocate sees it, with the real services on a real database.</summary>
public sealed class CaseRequestTests : MudBunitContext, IClassFixture<TestDatabase>
{
    private readonly CaseWorld _world;

    public CaseRequestTests(TestDatabase database) => _world = new CaseWorld(database);

    [Fact]
    public async Task The_persons_words_render_as_isolated_text_with_a_hint_for_another_language_and_a_reply_waits_to_be_read()
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        try
        {
            var advocate = await _world.StaffAsync(Roles.Advocate, "CD");
            var caseId = await SubmitAsync("Il m'a menacé <b>hier</b> \u202Egnp.exe");
            Assert.True((await _world.CasesFor(advocate).ClaimAsync(advocate, caseId)).Succeeded);
            UseServicesOf(advocate);

            var cut = Render<CaseRequest>(p => p.Add(c => c.CaseId, caseId));

            cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=thread-text]")));
            var account = cut.Find("[data-testid=thread-text] bdi");
            Assert.Equal("Il m'a menacé <b>hier</b> gnp.exe", account.TextContent); // text, not markup, and no direction override
            Assert.Contains("(fr)", cut.Find("[data-testid=translation-hint]").TextContent, StringComparison.Ordinal);
            Assert.NotNull(cut.Find("[data-testid=refer-Legal]"));

            await cut.Find("[data-testid=message-text-input]").InputAsync(new ChangeEventArgs { Value = "Bonjour, je vous appelle demain." });
            await cut.Find("[data-testid=message-send]").ClickAsync(new());
            cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-testid=message-read]").GetAttribute("data-read")));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task A_message_left_unsent_is_kept_offered_to_its_author_restored_and_gone_once_sent()
    {
        const string message = "Bonjour, je passerai au centre jeudi matin.";
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        try
        {
            var advocate = await _world.StaffAsync(Roles.Advocate, "CD");
            var caseId = await SubmitAsync("J'ai besoin d'aide.");
            Assert.True((await _world.CasesFor(advocate).ClaimAsync(advocate, caseId)).Succeeded);
            var drafts = UseServicesOf(advocate);
            var kept = ResourceFiles.Text("Portal/Resources/SharedResource", "Draft_Kept", "en");

            // Typed, then left: kept on the server after the pause.
            var typed = Render<CaseRequest>(p => p.Add(c => c.CaseId, caseId));
            typed.WaitForAssertion(() => Assert.NotEmpty(typed.FindAll("[data-testid=message-text-input]")));
            await typed.Find("[data-testid=message-text-input]").InputAsync(new ChangeEventArgs { Value = message });
            typed.WaitForAssertion(() => Assert.Contains(kept, typed.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(30));

            // The part shown again offers it; restored, it is back in the box and sends, and the draft goes.
            var again = Render<CaseRequest>(p => p.Add(c => c.CaseId, caseId));
            again.WaitForAssertion(() => Assert.NotEmpty(again.FindAll("[data-testid=draft-restore-message]")));
            Assert.Equal("", again.Find("[data-testid=message-text-input]").GetAttribute("value") ?? "");
            await again.Find("[data-testid=draft-restore-message]").ClickAsync(new());
            again.WaitForAssertion(() => Assert.Equal(message, again.Find("[data-testid=message-text-input]").GetAttribute("value")));
            Assert.Empty(again.FindAll("[data-testid=draft-offer-message]"));
            await again.Find("[data-testid=message-send]").ClickAsync(new());
            again.WaitForAssertion(() => Assert.Single(again.FindAll("[data-testid=message-read]")));
            Assert.Null(await drafts.FindAsync(advocate, caseId, DraftService.MessageForm));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private DraftService UseServicesOf(UserScope advocate)
    {
        var user = new TestCurrentUser(advocate);
        var drafts = ServicesAs.Create<DraftService>(_world.Database.Services, user);
        Services.AddSingleton<ICurrentUser>(user);
        Services.AddSingleton(ServicesAs.Create<RequestService>(_world.Database.Services, user));
        Services.AddSingleton(ServicesAs.Create<ReferralService>(_world.Database.Services, user));
        Services.AddSingleton(drafts);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return drafts;
    }

    private async Task<Guid> SubmitAsync(string account)
    {
        using var scope = _world.Database.Services.CreateScope();
        var sent = await scope.ServiceProvider.GetRequiredService<IntakeService>().SubmitAsync(
            new IntakeRequest(account, [HelpKind.LegalHelp], "CD", null, ChildBornAnswer.No, new ContactDetails(null, null, null, null, false, null), "fr"),
            null,
            CancellationToken.None);
        await using var db = _world.Database.NewContext();
        return (await db.IntakeSubmissions.AsNoTracking().SingleAsync(s => s.ReferenceCode == sent.Receipt!.ReferenceCode)).CaseId!.Value;
    }
}
