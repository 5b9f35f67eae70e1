using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Common;
using Portal.Domain.Referrals;
using Portal.Features.Cases;
using Portal.Features.Providers;
using Portal.Features.Shared;
using Portal.Features.Referrals;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.Integration;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Providers;

public sealed class ProviderServiceTests : IClassFixture<SecurityAppFactory>
{
    private readonly SecurityAppFactory _factory;

    public ProviderServiceTests(SecurityAppFactory factory) => _factory = factory;

    private IServiceProvider Services => _factory.Services;

    [Theory]
    [InlineData(Roles.Advocate)]
    [InlineData(Roles.Coordinator)]
    public async Task Every_call_refuses_everyone_but_administrators_and_audits_the_attempt(string role)
    {
        var user = new UserScope(Guid.NewGuid().ToString(), "x@example.org", "X", [role], ["CD"]);
        var service = ServicesAs.Create<ProviderService>(Services, new TestCurrentUser(user));
        var existing = await (await AdminServiceAsync()).CreateAsync(new ProviderInput("CD", "Clinic to keep", [ReferralType.Medical], ["fr"], null));

        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ListCountriesAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ListAsync("CD"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.CreateAsync(new ProviderInput("CD", "Sneaky clinic", [ReferralType.Medical], ["fr"], null)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.UpdateAsync(new Seen<Portal.Domain.Providers.ServiceProvider>(existing.Id!.Value, Guid.Empty), new ProviderInput("CD", "Renamed", [ReferralType.Legal], ["fr"], null)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.SetActiveAsync(existing.Id!.Value, false));
        await Assert.ThrowsAsync<NotSignedInException>(() => ServicesAs.Create<ProviderService>(Services, new TestCurrentUser(null)).ListAsync("CD"));

        await using var db = NewContext();
        Assert.Equal(5, await db.AuditEntries.CountAsync(e => e.UserId == user.UserId && e.Action == AuditAction.AccessDenied));
        Assert.False(await db.ServiceProviders.AnyAsync(p => p.Name == "Sneaky clinic"));
        var kept = await db.ServiceProviders.SingleAsync(p => p.Id == existing.Id);
        Assert.Equal(("Clinic to keep", true), (kept.Name, kept.IsActive));
    }

    [Fact]
    public async Task The_administration_page_answers_access_denied_to_a_coordinator()
    {
        var coordinator = await StaffAccounts.CreateAsync(Services, Roles.Coordinator);
        using var client = await _factory.SignInAsync(coordinator);

        using var response = await client.GetAsync(new Uri("/admin/providers", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(AccountPaths.AccessDenied, response.LocalLocation(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_keeps_providers_per_country_and_bad_input_is_refused_next_to_its_field()
    {
        var admin = await AdminServiceAsync();

        var invalid = await admin.CreateAsync(new ProviderInput("ZZ", " ", [], ["fr", "not a code"], new string('c', Portal.Domain.Providers.ServiceProvider.ContactMaxLength + 1)));
        var created = await admin.CreateAsync(new ProviderInput("ss", "Juba Legal Aid", [ReferralType.Legal, ReferralType.PaternityAndChildSupport], ["en", "ar"], "+000 555 0199"));
        var listed = await admin.ListAsync("SS");
        var countries = await admin.ListCountriesAsync();

        Assert.Equal(["Contact", "Country", "Languages", "Name", "Services"], invalid.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ProviderErrors.UnknownCountry, invalid.For("Country")!.Code);
        Assert.Equal(ErrorCodes.InvalidFormat, invalid.For("Languages")!.Code);
        Assert.True(created.Succeeded);
        var provider = Assert.Single(listed, p => p.Id == created.Id);
        Assert.Equal(("SS", "Juba Legal Aid", true), (provider.CountryCode, provider.Name, provider.IsActive));
        Assert.Equal([ReferralType.Legal, ReferralType.PaternityAndChildSupport], provider.Services);
        Assert.Equal(["en", "ar"], provider.Languages);
        Assert.Contains(countries, c => c.Code == "SS");
        await using var db = NewContext();
        Assert.False(await db.ServiceProviders.AnyAsync(p => p.CountryCode == "ZZ"));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.RecordId == created.Id.ToString() && e.Action == AuditAction.Created));
    }

    [Fact]
    public async Task An_edit_on_an_old_copy_is_a_conflict_and_an_inactive_provider_receives_no_new_referral()
    {
        var admin = await AdminServiceAsync();
        var id = (await admin.CreateAsync(new ProviderInput("HT", "Port-au-Prince Legal Aid", [ReferralType.Legal], ["fr", "ht"], null))).Id!.Value;
        var seen = (await admin.ListAsync("HT")).Single(p => p.Id == id);

        var renamed = await admin.UpdateAsync(seen.Seen, new ProviderInput("HT", "Legal Aid Clinic PaP", [ReferralType.Legal, ReferralType.PaternityAndChildSupport], ["fr"], null));
        var onOldCopy = await admin.UpdateAsync(seen.Seen, new ProviderInput("HT", "Other name", [ReferralType.Legal], ["fr"], null));
        var deactivated = await admin.SetActiveAsync(id, false);

        Assert.True(renamed.Succeeded);
        Assert.Equal(CommandOutcome.Conflict, onOldCopy.Outcome);
        Assert.Equal(["Details"], onOldCopy.Conflict!.Changed);
        Assert.True(deactivated.Succeeded);
        var now = (await admin.ListAsync("HT")).Single(p => p.Id == id);
        Assert.Equal(("Legal Aid Clinic PaP", false), (now.Name, now.IsActive));

        var advocate = await StaffAccounts.SignedInScopeAsync(Services, Roles.Advocate, "HT");
        var caseId = await NewClaimedCaseAsync("HT", advocate.UserId);
        var referrals = ServicesAs.Create<ReferralService>(Services, new TestCurrentUser(advocate));
        var options = await referrals.GetProviderOptionsAsync(advocate, caseId, ReferralType.Legal);
        var refused = await referrals.CreateAsync(advocate, caseId, new ReferralInput(ReferralType.Legal, id, "Paternity advice", ReferralUrgency.Routine));

        Assert.DoesNotContain(options, o => o.Id == id);
        Assert.Equal(ErrorCodes.ProviderInactive, refused.For("Provider")!.Code);
    }

    [Fact]
    public async Task Whether_the_providers_staff_answer_in_the_portal_is_kept_on_create_and_edit()
    {
        var admin = await AdminServiceAsync();
        var id = (await admin.CreateAsync(new ProviderInput("SS", "Juba Hospital answering", [ReferralType.Medical], ["en"], null, AnswersInPortal: true))).Id!.Value;
        var created = (await admin.ListAsync("SS")).Single(p => p.Id == id);

        var edited = await admin.UpdateAsync(created.Seen, new ProviderInput("SS", "Juba Hospital answering", [ReferralType.Medical], ["en"], null, AnswersInPortal: false));

        Assert.True(created.AnswersInPortal);
        Assert.True(edited.Succeeded);
        Assert.False((await admin.ListAsync("SS")).Single(p => p.Id == id).AnswersInPortal);
        await using var db = NewContext();
        Assert.False((await db.ServiceProviders.SingleAsync(p => p.Id == id)).AnswersInPortal);
    }

    [Fact]
    public void The_paternity_threshold_comes_from_configuration()
    {
        using var configured = new ConfiguredFactory();

        Assert.Equal(TimeSpan.FromDays(30), configured.Services.GetRequiredService<Portal.Domain.Reminders.ReminderPolicy>().PaternityClaimStaleAfter);
        Assert.Equal(TimeSpan.FromDays(180), Services.GetRequiredService<Portal.Domain.Reminders.ReminderPolicy>().PaternityClaimStaleAfter);
        Assert.Contains("HT", Services.GetRequiredService<Portal.Domain.Reminders.ReminderPolicy>().WorkingHours.Keys);
    }

    private async Task<ProviderService> AdminServiceAsync() =>
        ServicesAs.Create<ProviderService>(Services, new TestCurrentUser(await StaffAccounts.SignedInScopeAsync(Services, Roles.Administrator)));

    private PortalDbContext NewContext() => Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PortalDbContext>>().CreateDbContext();

    private async Task<Guid> NewClaimedCaseAsync(string country, string advocateId)
    {
        await using var db = NewContext();
        var number = await Services.GetRequiredService<CaseNumbers>().NextAsync(db, country, TimeProvider.System);
        var survivorCase = Portal.Domain.Cases.Case.OpenFromIntake(number, country, Portal.Domain.Cases.RiskLevel.Medium, "fr", null, TimeProvider.System);
        survivorCase.Claim(advocateId, TimeProvider.System);
        db.Add(survivorCase);
        await db.SaveChangesAsync();
        return survivorCase.Id;
    }

    private sealed class ConfiguredFactory : PortalAppFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Portal:Paternity:StaleAfterDays", "30");
        }
    }
}
