using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Domain.Consents;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Features.Children;
using Portal.Features.Documents;
using Portal.Features.Referrals;
using Portal.Features.Shared;
using Portal.Infrastructure.Security;
using ServiceProvider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Tests.TestSupport;

/// <summary>
/// Cases with providers, consent and referrals on a real SQLite file, and the referral, follow-up and child services
/// as a given user sees them, on the app's own reminder policy. Pass a clock to pin the moment things happen.
/// </summary>
public sealed class ReferralWorld(TestDatabase database)
{
    public CaseWorld Cases { get; } = new(database);

    public TestDatabase Database => database;

    public ReminderPolicy Policy => database.Service<ReminderPolicy>();

    public ReferralService ReferralsFor(UserScope scope, TimeProvider? clock = null) =>
        new(database.Contexts, clock ?? TimeProvider.System, Policy, Cases.ScopeFor(scope), Cases.PathFor(scope));

    public FollowUpService FollowUpsFor(UserScope scope, TimeProvider? clock = null) =>
        new(database.Contexts, clock ?? TimeProvider.System, Policy, Cases.ScopeFor(scope), Cases.PathFor(scope), ReferralsFor(scope, clock));

    public DocumentService DocumentsFor(UserScope scope, int maxMegabytes = 10) =>
        new(
            database.Contexts,
            TimeProvider.System,
            Cases.ScopeFor(scope),
            Cases.PathFor(scope),
            database.Service<FieldProtector>(),
            Cases.AuditFor(scope),
            Microsoft.Extensions.Options.Options.Create(new DocumentOptions { MaxFileSizeMegabytes = maxMegabytes }));

    public ChildService ChildrenFor(UserScope scope, TimeProvider? clock = null, ReminderPolicy? policy = null) =>
        new(database.Contexts, clock ?? TimeProvider.System, policy ?? Policy, Cases.ScopeFor(scope), Cases.PathFor(scope));

    public async Task<ServiceProvider> ProviderAsync(string country, string name, params ReferralType[] services)
    {
        var provider = ServiceProvider.Create(country, $"{name} {Guid.NewGuid().ToString()[..6]}", services, ["fr"], "+000 555 0100");
        await using var db = database.NewContext();
        db.ServiceProviders.Add(provider);
        await db.SaveChangesAsync();
        return provider;
    }

    public async Task DeactivateAsync(Guid providerId)
    {
        await using var db = database.NewContext();
        var provider = await db.ServiceProviders.SingleAsync(p => p.Id == providerId);
        provider.Deactivate();
        await db.SaveChangesAsync();
    }

    /// <summary>A new intake in <paramref name="country"/> claimed by a new advocate of that country.</summary>
    public async Task<(Case Case, UserScope Advocate)> ClaimedCaseAsync(string country, TimeProvider? clock = null)
    {
        var advocate = await Cases.StaffAsync(Roles.Advocate, country);
        var intake = await Cases.NewIntakeAsync(country);
        await using var db = database.NewContext(advocate.UserId);
        var survivorCase = await db.Cases.SingleAsync(c => c.Id == intake.Id);
        survivorCase.Claim(advocate.UserId, clock ?? TimeProvider.System);
        await db.SaveChangesAsync();
        return (survivorCase, advocate);
    }

    public async Task ConsentAsync(Guid caseId, string by, bool forServices, params Guid[] sharedWith)
    {
        await using var db = database.NewContext(by);
        var survivorCase = await db.Cases.SingleAsync(c => c.Id == caseId);
        survivorCase.RecordConsent(ConsentGiver.Person, forServices, forSharingNonIdentifyingData: false, sharedWith, SharedField.None, withhold: null, by, TimeProvider.System);
        await db.SaveChangesAsync();
    }

    public async Task RecordIncidentAsync(Guid caseId, DateOnly incidentDate, TimeProvider clock)
    {
        await using var db = database.NewContext();
        var survivorCase = await db.Cases.SingleAsync(c => c.Id == caseId);
        survivorCase.RecordAllegation(
            new AllegationDetails(AllegationEntityType.PeacekeepingMission, "Mission (test)", PersonnelCategory.MilitaryContingent, AllegationClass.Abuse, AllegationSubtype.SexualAssault, incidentDate, incidentDate, InvestigationStatus.PreliminaryAssessment, null),
            clock);
        await db.SaveChangesAsync();
    }

    /// <summary>A draft referral made through the service, as the advocate of the case.</summary>
    public async Task<Guid> DraftAsync(UserScope scope, Guid caseId, ServiceProvider provider, ReferralType type, ReferralUrgency urgency = ReferralUrgency.Routine, TimeProvider? clock = null)
    {
        var result = await ReferralsFor(scope, clock).CreateAsync(scope, caseId, new ReferralInput(type, provider.Id, "Needs support (test)", urgency));
        Assert.True(result.Succeeded, result.Message);
        return result.Id!.Value;
    }

    public async Task<Referral> ReferralAsync(Guid referralId)
    {
        await using var db = database.NewContext();
        return await db.Referrals.AsNoTracking().SingleAsync(r => r.Id == referralId);
    }

    /// <summary>The referral as a page would show it now.</summary>
    public async Task<Seen<Referral>> SeenAsync(Guid referralId) => Seen.Of(await ReferralAsync(referralId));

    public async Task<int> AuditCountAsync(string recordId, Portal.Domain.Audit.AuditAction action, string? userId = null)
    {
        await using var db = database.NewContext();
        return await db.AuditEntries.CountAsync(e => e.RecordId == recordId && e.Action == action && (userId == null || e.UserId == userId));
    }
}
