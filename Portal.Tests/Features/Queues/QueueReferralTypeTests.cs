using Microsoft.EntityFrameworkCore;
using Portal.Domain.Referrals;
using Portal.Features.Queues;
using Portal.Infrastructure.Data.Configurations;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Queues;

/// <summary>
/// The referral-type filter reads the types kept on the case row (CaseReferralTypes), which the database keeps by
/// triggers: these tests change referrals behind the application's back too, as a job or raw SQL might.
/// </summary>
public sealed class QueueReferralTypeTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly ReferralWorld _world = new(database);

    [Fact]
    public async Task A_referral_type_filter_lists_the_cases_with_a_referral_of_that_type_whatever_its_status()
    {
        var (legal, advocate) = await _world.ClaimedCaseAsync("ML");
        var (medical, medicalAdvocate) = await _world.ClaimedCaseAsync("ML");
        var (none, _) = await _world.ClaimedCaseAsync("ML");
        var provider = await _world.ProviderAsync("ML", "Aid", ReferralType.Legal, ReferralType.Medical);
        await _world.DraftAsync(advocate, legal.Id, provider, ReferralType.Legal);
        await _world.DraftAsync(advocate, legal.Id, provider, ReferralType.Medical);
        await _world.DraftAsync(medicalAdvocate, medical.Id, provider, ReferralType.Medical);
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);

        Assert.Equal([legal.Number], await NumbersAsync(coordinator, new QueueFilter { CountryCode = "ML", ReferralType = ReferralType.Legal }));
        Assert.Equal([legal.Number, medical.Number], (await NumbersAsync(coordinator, new QueueFilter { CountryCode = "ML", ReferralType = ReferralType.Medical })).Order());
        // With another referral criterion one referral must meet them all: the legal one is a draft, not sent.
        Assert.Equal([legal.Number], await NumbersAsync(coordinator, new QueueFilter { CountryCode = "ML", ReferralType = ReferralType.Legal, ReferralStatus = ReferralStatus.Draft }));
        Assert.Empty(await NumbersAsync(coordinator, new QueueFilter { CountryCode = "ML", ReferralType = ReferralType.Legal, ReferralStatus = ReferralStatus.Sent }));
        Assert.DoesNotContain(none.Number, await NumbersAsync(coordinator, new QueueFilter { CountryCode = "ML", ReferralType = ReferralType.Medical }));
    }

    [Fact]
    public async Task The_types_follow_every_write_to_the_referrals_even_raw_sql()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("SO");
        var provider = await _world.ProviderAsync("SO", "Aid", ReferralType.Legal, ReferralType.Education);
        var referralId = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Legal);
        Assert.Equal(CaseReferralTypes.Bit(ReferralType.Legal), await TypesOfAsync(survivorCase.Id));

        await using (var db = database.NewContext())
        {
            await db.Database.ExecuteSqlAsync($"""UPDATE "Referrals" SET "Type" = {ReferralType.Education.ToString()} WHERE "Id" = {referralId}""");
        }

        Assert.Equal(CaseReferralTypes.Bit(ReferralType.Education), await TypesOfAsync(survivorCase.Id));
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        Assert.Empty(await NumbersAsync(coordinator, new QueueFilter { CountryCode = "SO", ReferralType = ReferralType.Legal }));
        Assert.Equal([survivorCase.Number], await NumbersAsync(coordinator, new QueueFilter { CountryCode = "SO", ReferralType = ReferralType.Education }));

        await using (var db = database.NewContext())
        {
            await db.Database.ExecuteSqlAsync($"""DELETE FROM "FollowUps" WHERE "ReferralId" = {referralId}""");
            await db.Database.ExecuteSqlAsync($"""DELETE FROM "ReferralStatusChanges" WHERE "ReferralId" = {referralId}""");
            await db.Database.ExecuteSqlAsync($"""DELETE FROM "Referrals" WHERE "Id" = {referralId}""");
        }

        Assert.Equal(0, await TypesOfAsync(survivorCase.Id));
    }

    private async Task<int> TypesOfAsync(Guid caseId)
    {
        await using var db = database.NewContext();
        return await db.Cases.Where(c => c.Id == caseId).Select(c => EF.Property<int>(c, CaseReferralTypes.Column)).SingleAsync();
    }

    private async Task<List<string>> NumbersAsync(UserScope scope, QueueFilter filter) =>
        (await _world.Cases.Queues.GetPageAsync(scope, new QueueRequest(QueueKind.AllCases, filter))).Rows.Select(r => r.Number).ToList();
}
