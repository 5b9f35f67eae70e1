using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Intake;
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
            var user = new TestCurrentUser(advocate);
            Services.AddSingleton<ICurrentUser>(user);
            Services.AddSingleton(ServicesAs.Create<RequestService>(_world.Database.Services, user));
            Services.AddSingleton(ServicesAs.Create<ReferralService>(_world.Database.Services, user));
            SetRendererInfo(new RendererInfo("Server", isInteractive: true));

            var cut = Render<CaseRequest>(p => p.Add(c => c.CaseId, caseId));

            cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=thread-text]")));
            var account = cut.Find("[data-testid=thread-text] bdi");
            Assert.Equal("Il m'a menacé <b>hier</b> gnp.exe", account.TextContent); // text, not markup, and no direction override
            Assert.Contains("(fr)", cut.Find("[data-testid=translation-hint]").TextContent, StringComparison.Ordinal);
            Assert.NotNull(cut.Find("[data-testid=refer-Legal]"));

            await cut.Find("[data-testid=message-text-input]").ChangeAsync(new ChangeEventArgs { Value = "Bonjour, je vous appelle demain." });
            await cut.Find("[data-testid=message-send]").ClickAsync(new());
            cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-testid=message-read]").GetAttribute("data-read")));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
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
