using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Consents;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Infrastructure.Data;
using Portal.Tests.TestSupport;
using ServiceProvider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Tests.Integration.Persistence;

/// <summary>Two people editing the same case or referral: the second save is refused, not silently merged.</summary>
public sealed class ConcurrencyTokenTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _database;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 5, 4, 9, 0, 0, TimeSpan.Zero));

    public ConcurrencyTokenTests(TestDatabase database) => _database = database;

    [Fact]
    public async Task The_second_of_two_concurrent_case_edits_throws_a_concurrency_exception()
    {
        var (caseId, _) = await SaveCaseAndReferralAsync();

        await using var first = _database.NewContext("advocate-a");
        await using var second = _database.NewContext("advocate-b");
        var mine = await first.Cases.SingleAsync(c => c.Id == caseId);
        var theirs = await second.Cases.SingleAsync(c => c.Id == caseId);

        mine.ChangeRisk(RiskLevel.Low, "advocate-a", _clock);
        theirs.StartActionPlan("advocate-b", _clock);
        await first.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var fresh = _database.NewContext();
        var stored = await fresh.Cases.SingleAsync(c => c.Id == caseId);
        Assert.Equal((RiskLevel.Low, CaseStatus.Assessment), (stored.RiskLevel, stored.Status));
    }

    [Fact]
    public async Task Two_case_edits_that_both_append_to_the_history_also_end_in_a_concurrency_exception()
    {
        var (caseId, _) = await SaveCaseAndReferralAsync();

        await using var first = _database.NewContext("advocate-a");
        await using var second = _database.NewContext("advocate-b");
        var mine = await first.Cases.SingleAsync(c => c.Id == caseId);
        var theirs = await second.Cases.SingleAsync(c => c.Id == caseId);

        mine.StartActionPlan("advocate-a", _clock);
        theirs.RequestClosure(CaseClosureReason.PersonUnreachable, null, OpenWork.Of(theirs.Id, [], [], [], null), "advocate-b", _clock);
        await first.SaveChangesAsync();

        var conflict = await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        Assert.Same(theirs, Assert.Single(conflict.Entries).Entity);
        await using var fresh = _database.NewContext();
        var stored = await fresh.Cases.SingleAsync(c => c.Id == caseId);
        Assert.Equal(CaseStatus.ActionPlan, stored.Status);
        Assert.Equal(stored.StatusHistory.Count, stored.StatusHistory.Select(h => h.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task A_change_to_an_owned_collection_alone_also_counts_as_an_edit_of_the_case()
    {
        var (caseId, _) = await SaveCaseAndReferralAsync();

        await using var first = _database.NewContext("advocate-a");
        await using var second = _database.NewContext("advocate-b");
        var mine = await first.Cases.SingleAsync(c => c.Id == caseId);
        var theirs = await second.Cases.SingleAsync(c => c.Id == caseId);

        mine.RevokeConsent("advocate-a", _clock);
        theirs.RecordConsent(ConsentGiver.Person, true, true, [], SharedField.None, null, "advocate-b", _clock);
        await first.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }

    [Fact]
    public async Task The_second_of_two_concurrent_referral_edits_throws_a_concurrency_exception()
    {
        var (_, referralId) = await SaveCaseAndReferralAsync();

        await using var first = _database.NewContext("advocate-a");
        await using var second = _database.NewContext("advocate-b");
        var mine = await first.Referrals.SingleAsync(r => r.Id == referralId);
        var theirs = await second.Referrals.SingleAsync(r => r.Id == referralId);

        mine.Accept("advocate-a", _clock);
        theirs.Withdraw("Changed their mind", "advocate-b", _clock);
        await first.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var fresh = _database.NewContext();
        Assert.Equal(ReferralStatus.Accepted, (await fresh.Referrals.SingleAsync(r => r.Id == referralId)).Status);
    }

    private async Task<(Guid CaseId, Guid ReferralId)> SaveCaseAndReferralAsync()
    {
        await using var db = _database.NewContext();
        var provider = ServiceProvider.Create("SS", "Juba Health Centre (concurrency)", [ReferralType.Medical], ["en"], null);
        var number = await _database.Service<CaseNumbers>().NextAsync(db, "SS", _clock);
        var survivorCase = Case.OpenFromIntake(number, "SS", RiskLevel.High, "en", "advocate-a", _clock);
        survivorCase.Claim("advocate-a", _clock);
        survivorCase.RecordConsent(ConsentGiver.Person, true, true, [provider.Id], SharedField.None, null, "advocate-a", _clock);
        var referral = Referral.Create(survivorCase, ReferralType.Medical, provider, "Examination", ReferralUrgency.Urgent, "advocate-a", _clock);
        var followUps = referral.Send(survivorCase, provider, ReminderPolicy.Default, "advocate-a", _clock);
        db.ServiceProviders.Add(provider);
        db.Cases.Add(survivorCase);
        db.Referrals.Add(referral);
        db.FollowUps.AddRange(followUps);
        await db.SaveChangesAsync();
        return (survivorCase.Id, referral.Id);
    }
}
