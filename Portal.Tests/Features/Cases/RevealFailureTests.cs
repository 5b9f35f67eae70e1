using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Features.Cases;
using Portal.Features.Shared;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Cases;

// bUnit's Click/Change/Input dispatch to the renderer; what follows is awaited with WaitForAssertion.
#pragma warning disable CA1849

/// <summary>An identity that cannot be decrypted is reported as such and audited as a failed reveal: nothing was seen.</summary>
public sealed class RevealFailureTests : IClassFixture<TestDatabase>
{
    private readonly CaseWorld _world;

    public RevealFailureTests(TestDatabase database) => _world = new CaseWorld(database);

    [Fact]
    public async Task An_identity_that_cannot_be_decrypted_is_refused_and_audited_as_a_failed_reveal()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var intake = await _world.NewIntakeAsync("CF");
        await using (var db = _world.Database.NewContext())
        {
            db.Add(IdentityRecord.Create(intake.Id, new IdentityDetails("Solange", "Yakité", null, "+236 70 00 00 09", null, ContactChannel.Phone, null, null)));
            await db.SaveChangesAsync();
        }

        var cases = _world.CasesFor(advocate);
        await cases.ClaimAsync(advocate, intake.Id);
        await DamageStoredNameAsync(intake.Id);

        var (result, identity) = await cases.RevealIdentityAsync(advocate, intake.Id, "Calling about the clinic visit");

        Assert.Equal((CommandOutcome.Refused, "identity.unreadable"), (result.Outcome, result.Code));
        Assert.Null(identity);
        await using var check = _world.Database.NewContext();
        var trail = await check.AuditEntries.AsNoTracking().Where(e => e.RecordId == intake.Id.ToString()).Select(e => new { e.Action, e.Detail }).ToListAsync();
        Assert.DoesNotContain(trail, e => e.Action == AuditAction.RevealedIdentity);
        var failed = Assert.Single(trail, e => e.Action == AuditAction.RevealFailed);
        Assert.Equal("unreadable: Calling about the clinic visit", failed.Detail);
    }

    private async Task DamageStoredNameAsync(Guid caseId)
    {
        var stored = Convert.FromBase64String(Assert.IsType<string>(Assert.Single(
            await _world.Database.QueryAsync("""SELECT "GivenName" FROM "IdentityRecords" WHERE "CaseId" = @id""", ("@id", _world.Database.Id(caseId))))));
        stored[^2] ^= 0x40;
        await using var db = _world.Database.NewContext();
        await db.Database.ExecuteSqlAsync($"""UPDATE "IdentityRecords" SET "GivenName" = {Convert.ToBase64String(stored)} WHERE "CaseId" = {caseId}""");
    }
}

/// <summary>The dialog tells the user, in their language, and stays usable.</summary>
public sealed class RevealIdentityDialogTests : MudBunitContext
{
    [Fact]
    public async Task An_unreadable_identity_is_said_in_french_and_the_dialog_stays_open()
    {
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("fr");
        try
        {
            var provider = Render<MudDialogProvider>();
            var dialogs = Services.GetService<IDialogService>();
            var parameters = new DialogParameters<RevealIdentityDialog>
            {
                { d => d.Reveal, _ => Task.FromResult(CommandResult.Refused("identity.unreadable", "The identity cannot be decrypted.").With<IdentityView>(null)) },
            };
            await provider.InvokeAsync(() => dialogs!.ShowAsync<RevealIdentityDialog>("Identité", parameters));

            provider.Find("[data-testid='reveal-reason']").Change("Appel pour la visite");
            provider.Find("[data-testid='reveal-confirm']").Click();

            provider.WaitForAssertion(() => Assert.Contains("ne peut pas la déchiffrer", provider.Find("[data-testid='dialog-error']").TextContent, StringComparison.Ordinal));
            Assert.Empty(provider.FindAll("[data-testid='identity']"));
            Assert.False(provider.Find("[data-testid='reveal-confirm']").HasAttribute("disabled"));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = culture;
        }
    }
}
