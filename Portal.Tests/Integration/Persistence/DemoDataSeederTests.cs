using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Countries;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Infrastructure.Data.Seeding;
using Portal.Infrastructure.Security;
using Xunit.Abstractions;

namespace Portal.Tests.Integration.Persistence;

[Collection(SeededDatabaseCollection.Name)]
public sealed partial class DemoDataSeederTests
{
    /// <summary>
    /// The UN's published yearly allegations (peacekeeping and special political missions / other UN entities),
    /// written out here independently of the seeder's own table.
    /// </summary>
    private static readonly (int Year, int Missions, int Other)[] PublishedFigures =
    [
        (2017, 62, 44), (2018, 54, 93), (2019, 80, 95), (2020, 66, 91),
        (2021, 75, 115), (2022, 79, 0), (2023, 100, 284), (2024, 102, 190),
    ];

    private readonly SeededDatabase _seeded;
    private readonly ITestOutputHelper _output;

    public DemoDataSeederTests(SeededDatabase seeded, ITestOutputHelper output)
    {
        _seeded = seeded;
        _output = output;
    }

    [Fact]
    public async Task Seeding_an_empty_database_fills_it_quickly_and_a_second_run_adds_nothing()
    {
        _output.WriteLine($"First run: {_seeded.First}");
        _output.WriteLine($"Second run: {_seeded.Second}");

        Assert.False(_seeded.First.Skipped);
        Assert.True(_seeded.Second.Skipped);
        Assert.True(_seeded.Second.Elapsed < TimeSpan.FromSeconds(1), $"a seeded database is recognised with one cheap query ({_seeded.Second.Elapsed})");
        // How long the first run takes is written above, not asserted: on a machine shared with parallel test classes
        // (and on either engine) it varies too much for a limit that means anything. Speed belongs in the benchmarks.

        await using var db = _seeded.Database.NewContext();
        Assert.Equal(_seeded.First.Cases, await db.Cases.CountAsync());
        Assert.Equal(_seeded.First.Referrals, await db.Referrals.CountAsync());
        Assert.Equal(_seeded.First.FollowUps, await db.FollowUps.CountAsync());
        Assert.Equal(_seeded.First.Providers, await db.ServiceProviders.CountAsync());
        Assert.Equal(_seeded.First.Cases, await db.IdentityRecords.CountAsync());
        Assert.Equal(UnAllegationFigures.Total + 300, _seeded.First.Cases);
        Assert.Equal(1530, UnAllegationFigures.Total);

        var result = await _seeded.Database.Service<DemoDataSeeder>().SeedAsync();
        Assert.True(result.Skipped);
        Assert.Equal(_seeded.First.Cases, await db.Cases.CountAsync());
    }

    [Fact]
    public async Task Allegations_per_year_and_entity_group_match_the_published_UN_figures_exactly()
    {
        await using var db = _seeded.Database.NewContext();
        var allegations = await db.Cases.Where(c => c.Allegation != null)
            .Select(c => new { c.Allegation!.EntityType, c.Allegation.DateReported })
            .ToListAsync();

        foreach (var (year, missions, other) in PublishedFigures)
        {
            var thatYear = allegations.Where(a => a.DateReported?.Year == year).ToList();
            Assert.Equal(missions, thatYear.Count(a => a.EntityType is AllegationEntityType.PeacekeepingMission or AllegationEntityType.SpecialPoliticalMission));
            Assert.Equal(other, thatYear.Count(a => a.EntityType is not (AllegationEntityType.PeacekeepingMission or AllegationEntityType.SpecialPoliticalMission)));
        }

        Assert.DoesNotContain(allegations, a => a.DateReported is null || a.DateReported.Value.Year < 2017);
        Assert.Equal(PublishedFigures.Sum(f => f.Missions + f.Other), allegations.Count(a => a.DateReported!.Value.Year <= 2024));
    }

    [Fact]
    public async Task Every_case_status_risk_level_referral_status_and_referral_type_appears_in_every_sense_that_matters()
    {
        await using var db = _seeded.Database.NewContext();
        var cases = await db.Cases.Select(c => new { c.Status, c.RiskLevel, c.CountryCode, c.ReopenCount, c.OpenedAtUtc }).ToListAsync();
        var referrals = await db.Referrals.Select(r => new { r.Status, r.Type, Override = r.ConsentOverride != null }).ToListAsync();

        Assert.Equal(Enum.GetValues<CaseStatus>().Order(), cases.Select(c => c.Status).Distinct().Order());
        Assert.Equal(Enum.GetValues<RiskLevel>().Order(), cases.Select(c => c.RiskLevel).Distinct().Order());
        Assert.Equal(Enum.GetValues<ReferralStatus>().Order(), referrals.Select(r => r.Status).Distinct().Order());
        Assert.Equal(Enum.GetValues<ReferralType>().Order(), referrals.Select(r => r.Type).Distinct().Order());
        Assert.Equal(Countries.Defaults.Select(c => c.Code).Order(), cases.Select(c => c.CountryCode).Distinct().Order());
        Assert.Contains(cases, c => c.ReopenCount > 0 && c.Status != CaseStatus.Closed);
        Assert.Contains(referrals, r => r.Override);

        var recent = cases.Where(c => c.OpenedAtUtc > _seeded.SeededAtUtc.AddDays(-600)).ToList();
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            Assert.Contains(recent, c => c.Status == status);
        }
    }

    [Fact]
    public async Task Every_country_has_active_providers_for_every_referral_type_including_livelihood_programmes()
    {
        await using var db = _seeded.Database.NewContext();
        var providers = await db.ServiceProviders.ToListAsync();

        foreach (var country in Countries.Defaults)
        {
            foreach (var type in Enum.GetValues<ReferralType>())
            {
                Assert.Contains(providers, p => p.CountryCode == country.Code && p.IsActive && p.Offers(type));
            }
        }

        Assert.Contains(providers, p => p.Name.Contains("Mushroom Farming", StringComparison.Ordinal));
        Assert.Contains(providers, p => p.Name.Contains("Basket Weaving", StringComparison.Ordinal));
        Assert.Contains(providers, p => p.Name.Contains("Small-Business Training", StringComparison.Ordinal));
        Assert.Contains(providers, p => !p.IsActive);
        Assert.All(providers, p => Assert.EndsWith("(demo)", p.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_demo_provider_accounts_work_for_the_demo_providers_that_answer_in_the_portal()
    {
        await using var db = _seeded.Database.NewContext();
        var answering = await db.ServiceProviders.Where(p => p.AnswersInPortal).OrderBy(p => p.Name).ToListAsync();
        var accounts = DemoAccounts.All.Where(a => a.Role == Roles.Provider).ToList();
        var account = accounts[0];

        Assert.Equal(accounts.Select(a => a.Provider).Order(), answering.Select(p => p.Name));
        Assert.All(answering, p => Assert.Equal(("CF", true), (p.CountryCode, p.IsActive)));
        var provider = answering.Single(p => p.Name == account.Provider);
        Assert.True(provider.Offers(ReferralType.Legal));
        Assert.Equal(provider.Id, (await db.Users.SingleAsync(u => u.Id == SeededDatabase.ProviderStaffId)).ProviderId);
    }

    [Fact]
    public async Task Seeded_identities_are_obviously_fictitious()
    {
        await using var db = _seeded.Database.NewContext();
        var identities = await db.IdentityRecords.ToListAsync();

        Assert.All(identities, i =>
        {
            if (i.GivenName is not null || i.FamilyName is not null)
            {
                Assert.Matches(FictitiousName(), $"{i.GivenName} {i.FamilyName}");
            }

            Assert.True(i.OtherNames is null || i.OtherNames.StartsWith("Demo nickname ", StringComparison.Ordinal), i.OtherNames);
            Assert.True(i.Phone is null || i.Phone.StartsWith("+000 ", StringComparison.Ordinal), i.Phone);
            Assert.True(i.Email is null || i.Email.EndsWith("@example.org", StringComparison.Ordinal), i.Email);
            Assert.True(i.ExactAddress is null || i.ExactAddress.EndsWith("(fictitious)", StringComparison.Ordinal), i.ExactAddress);
        });
        Assert.Contains(identities, i => i.GivenName == "Test");
        Assert.Contains(identities, i => i.GivenName == "Demo");
    }

    [Fact]
    public async Task Cases_go_to_the_enabled_advocate_of_their_country_and_stay_unassigned_where_there_is_none()
    {
        await using var db = _seeded.Database.NewContext();
        var cases = await db.Cases.Select(c => new { c.CountryCode, c.Status, c.AssignedAdvocateId }).ToListAsync();

        Assert.All(cases.Where(c => c.AssignedAdvocateId is not null), c =>
            Assert.Equal(c.CountryCode == "CD" ? SeededDatabase.CdAdvocate : SeededDatabase.CfAdvocate, c.AssignedAdvocateId));
        Assert.DoesNotContain(cases, c => c.CountryCode is not ("CD" or "CF") && c.AssignedAdvocateId is not null);
        foreach (var country in new[] { "CD", "CF" })
        {
            var worked = cases.Where(c => c.CountryCode == country && c.Status != CaseStatus.Intake).ToList();
            Assert.True(worked.Count(c => c.AssignedAdvocateId is not null) > worked.Count * 0.9, $"most {country} cases are held by its advocate");
        }

        Assert.Contains(cases, c => c.CountryCode == "SS" && c.Status == CaseStatus.FollowUp && c.AssignedAdvocateId is null);

        var approvers = await db.Cases.SelectMany(c => c.StatusHistory).Where(h => h.To == CaseStatus.Closed).Select(h => h.ByUserId).Distinct().ToListAsync();
        Assert.Equal([SeededDatabase.CoordinatorId], approvers);
    }

    [Fact]
    public async Task Follow_ups_include_some_due_today_some_overdue_snoozed_and_moved_ones()
    {
        await using var db = _seeded.Database.NewContext();
        var followUps = await db.FollowUps.ToListAsync();
        var now = DateTime.UtcNow;

        // The day the fixture seeded, not the day this test runs: the suite may cross midnight.
        Assert.Contains(followUps, f => f.Status == FollowUpStatus.Open && f.DueAtUtc.Date == _seeded.SeededAtUtc.Date);
        Assert.True(followUps.Count(f => f.IsOverdue(now)) >= 10, "overdue follow-ups");
        Assert.True(followUps.Count(f => f.IsOpen && !f.IsDue(now)) >= 10, "follow-ups still to come");
        Assert.Contains(followUps, f => f.Status == FollowUpStatus.Snoozed && f.SnoozedUntilUtc > now);
        Assert.Contains(followUps, f => f.MovedHistory.Count > 0);
        Assert.Contains(followUps, f => f.Status == FollowUpStatus.Cancelled);
        Assert.Contains(followUps, f => f.Kind == FollowUpKind.AcceptanceCheck && f.IsOverdue(now));
        Assert.Contains(followUps, f => f.Source == FollowUpSource.Manual);
        Assert.All(followUps.Where(f => f.DoneAtUtc is not null), f => Assert.True(f.DoneAtUtc <= now));
    }

    [Fact]
    public async Task Closed_cases_leave_nothing_open_behind_them()
    {
        await using var db = _seeded.Database.NewContext();
        var settled = db.Cases.Where(c => c.Status == CaseStatus.Closed || c.Status == CaseStatus.ClosureRequested).Select(c => c.Id);

        Assert.False(await db.Referrals.AnyAsync(r => settled.Contains(r.CaseId) &&
            (r.Status == ReferralStatus.Draft || r.Status == ReferralStatus.Sent || r.Status == ReferralStatus.Accepted)));
        Assert.False(await db.FollowUps.AnyAsync(f => settled.Contains(f.CaseId) &&
            (f.Status == FollowUpStatus.Open || f.Status == FollowUpStatus.Snoozed)));
        Assert.True(await db.Referrals.AnyAsync(r => settled.Contains(r.CaseId)));
    }

    [Fact]
    public async Task Children_and_paternity_claims_use_neutral_labels_and_some_claims_are_stale()
    {
        await using var db = _seeded.Database.NewContext();
        var claims = await db.PaternityClaims.ToListAsync();
        var children = await db.Children.ToListAsync();
        var now = DateTime.UtcNow;

        Assert.NotEmpty(children);
        Assert.All(children, c => Assert.Matches("^Child [A-Z]$", c.Pseudonym));
        Assert.All(claims, c => Assert.NotNull(MemberStates.Find(c.MemberStateCode)));
        Assert.All(claims, c => Assert.NotNull(c.LegalAidReferralId));
        Assert.All(await db.Referrals.Where(r => r.Type == ReferralType.PaternityAndChildSupport).Select(r => r.CaseId).ToListAsync(),
            caseId => Assert.Contains(children, c => c.CaseId == caseId));
        var policy = _seeded.Database.Service<ReminderPolicy>();
        Assert.True(claims.Count(c => policy.IsStale(c, now)) >= 5, "stale claims (no movement for 180 days)");
        Assert.Contains(claims, c => c.IsFinal);
        Assert.Contains(claims, c => !c.IsFinal && !policy.IsStale(c, now));
        Assert.True(claims.Select(c => c.Status).Distinct().Count() >= 5);
    }

    [Fact]
    public async Task Case_numbers_run_without_gaps_in_order_of_opening_and_histories_never_go_back_or_into_the_future()
    {
        await using var db = _seeded.Database.NewContext();
        var cases = await db.Cases.AsNoTracking().ToListAsync();
        var sequences = await db.CaseNumberSequences.ToListAsync();
        var now = DateTime.UtcNow;

        foreach (var group in cases.GroupBy(c => c.Number[..7]))
        {
            var inOrder = group.OrderBy(c => c.Number, StringComparer.Ordinal).ToList();
            Assert.Equal(Enumerable.Range(1, inOrder.Count), inOrder.Select(c => CaseNumber.Parse(c.Number).Sequence));
            Assert.Equal(inOrder.Select(c => c.Id), group.OrderBy(c => c.OpenedAtUtc).Select(c => c.Id));
            Assert.Equal(inOrder.Count, sequences.Single(s => $"{s.CountryCode}-{s.Year}" == group.Key).LastNumber);
        }

        Assert.All(cases, c =>
        {
            var history = c.StatusHistory.OrderBy(h => h.Sequence).ToList();
            Assert.Equal(c.OpenedAtUtc, history[0].AtUtc);
            Assert.True(history.Zip(history.Skip(1)).All(p => p.First.AtUtc <= p.Second.AtUtc), $"history of {c.Number} runs forwards");
            Assert.True(history[^1].AtUtc <= now, $"history of {c.Number} is not in the future");
            Assert.Equal(c.Status, history[^1].To);
        });
    }

    [GeneratedRegex(@"^(Test Person [0-9]{4}|Demo Survivor [A-Z][a-z]+-[0-9]{4})$")]
    private static partial Regex FictitiousName();
}
