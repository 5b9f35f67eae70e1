using Microsoft.EntityFrameworkCore;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Queues;
using Portal.Benchmarks.Scenarios;
using Portal.Domain.Cases;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Features.Queues;
using Portal.Infrastructure.Data.Configurations;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Benchmarks.Tests;

/// <summary>
/// The benchmarks write straight into the portal's SQLite file; what they write must be rows the portal reads and
/// works with as if it had written them. Each class has a database of its own.
/// </summary>
public sealed class SeededIntakeTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly CaseWorld _world = new(database);

    [Fact]
    public async Task Seeded_intakes_head_the_new_intakes_queue_and_a_claim_takes_one_through_the_domain()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "ML");
        var older = await _world.NewIntakeAsync("ML");

        await PortalDatabase.AddUnclaimedIntakesAsync(database.DataDirectory, "ML", 3);

        var queue = await _world.Queues.GetPageAsync(advocate, new QueueRequest(QueueKind.NewIntakes, QueueFilter.None));
        Assert.Equal(4, queue.TotalCount);
        Assert.All(queue.Rows.Take(3), r => Assert.StartsWith("ML-2019-", r.Number, StringComparison.Ordinal));
        Assert.Equal(older.Number, queue.Rows[^1].Number);

        var claim = await _world.CasesFor(advocate).ClaimAsync(advocate, queue.Rows[0].CaseId);

        Assert.True(claim.Succeeded, claim.Message);
        var after = await _world.Queues.GetPageAsync(advocate, new QueueRequest(QueueKind.NewIntakes, QueueFilter.None));
        Assert.Equal(3, after.TotalCount);
        var mine = await _world.Queues.GetPageAsync(advocate, new QueueRequest(QueueKind.MyCases, QueueFilter.None));
        Assert.Equal(queue.Rows[0].Number, Assert.Single(mine.Rows).Number);
    }
}

public sealed class BulkLoadTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly CaseWorld _world = new(database);

    [Fact]
    public async Task A_bulk_load_writes_rows_the_portal_reads_and_the_queue_benchmark_pages_them_consistently()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var coordinator = await _world.StaffAsync(Roles.Coordinator);

        var load = await PortalDatabase.BulkLoadAsync(database.DataDirectory, 3000, referralsPerCase: 3, _ => { }, exclusive: false);

        Assert.Equal(3000, load.Cases);
        Assert.Equal(9000, load.Referrals);
        Assert.True(load.FollowUps > 0);

        // Every written row materialises through EF Core: enum names, dates, JSON columns, owned types.
        await using (var db = database.NewContext())
        {
            var cases = await db.Cases.AsNoTracking().ToListAsync();
            Assert.Equal(3000, cases.Count);
            Assert.Equal(9000, await db.Referrals.AsNoTracking().CountAsync());
            Assert.Equal(load.FollowUps, (await db.FollowUps.AsNoTracking().ToListAsync()).Count);
            Assert.Contains(cases, c => c.Status == CaseStatus.Intake && c.AssignedAdvocateId is null);
            Assert.Contains(cases, c => c.Status == CaseStatus.Closed);
            Assert.Contains(cases, c => c.AssignedAdvocateId == advocate.UserId);
            Assert.All(cases.Where(c => c.AssignedAdvocateId == advocate.UserId), c => Assert.Equal("CF", c.CountryCode));
            Assert.Equal(cases.Count, cases.Select(c => c.Number).Distinct().Count());

            // What the dashboard reads: allegations, children born of SEA and their paternity claims.
            Assert.InRange(cases.Count(c => c.Allegation is not null), 2400, 2700);
            Assert.Contains(cases, c => c.Allegation is { EntityType: AllegationEntityType.PeacekeepingMission, DateReported: not null });
            Assert.Contains(cases, c => c.Allegation is { EntityType: AllegationEntityType.AgencyFundOrProgramme });
            var children = await db.Children.AsNoTracking().ToListAsync();
            Assert.Equal(load.Children, children.Count);
            Assert.Equal(120, children.Count);
            Assert.All(children, child => Assert.True(cases.Single(c => c.Id == child.CaseId).Profile.ChildBornOfSea));
            var claims = await db.PaternityClaims.AsNoTracking().ToListAsync();
            Assert.Equal(load.PaternityClaims, claims.Count);
            Assert.Equal(60, claims.Count);
            Assert.All(claims, claim => Assert.Contains(children, child => child.Id == claim.ChildId && child.CaseId == claim.CaseId));
            Assert.Contains(claims, claim => claim.IsFinal);
            Assert.Contains(claims, claim => !claim.IsFinal);

            // The sort keys the database keeps on each case, which the load set after restoring the triggers: as the
            // domain works them out from the follow-ups and the staff names.
            var followUps = await db.FollowUps.AsNoTracking().Where(f => f.Status == FollowUpStatus.Open || f.Status == FollowUpStatus.Snoozed).ToListAsync();
            var names = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.DisplayName);
            var keys = await db.Cases.AsNoTracking()
                .Select(c => new { c.Id, c.AssignedAdvocateId, NextDue = EF.Property<DateTime?>(c, CaseSortKeys.NextFollowUpDue), Name = EF.Property<string?>(c, CaseSortKeys.AssigneeName) })
                .ToListAsync();
            var nextDue = followUps.GroupBy(f => f.CaseId).ToDictionary(g => g.Key, g => g.Min(f => f.EffectiveDueAtUtc));
            Assert.All(keys, k => Assert.Equal(nextDue.TryGetValue(k.Id, out var due) ? due : (DateTime?)null, k.NextDue is { } d ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : null));
            Assert.All(keys, k => Assert.Equal(k.AssignedAdvocateId is null ? null : names.GetValueOrDefault(k.AssignedAdvocateId), k.Name));
            Assert.Contains(keys, k => k.NextDue is not null);
            Assert.Contains(keys, k => k.Name is not null);
        }

        // The numbers the load wrote are in the search index, whose insert trigger it drops: a part of one finds it.
        var loaded = (await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, QueueFilter.None))).Rows[0].Number;
        var found = await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, new QueueFilter { NumberSearch = loaded[3..] }, PageSize: 100));
        Assert.Contains(loaded, found.Rows.Select(r => r.Number));
        Assert.All(found.Rows, r => Assert.Contains(loaded[3..], r.Number, StringComparison.Ordinal));

        var runner = new QueueScaleRunner(_world.Queues, database.DatabaseFile, repeat: 1, deepPage: 4, _ => { });
        var results = await runner.RunAsync([new QueueUser("advocate", advocate, "CF"), new QueueUser("coordinator", coordinator, "CD")]);

        Assert.All(results, m => Assert.Null(m.TimedOutAfterMs));
        Assert.Contains(results, m => m.Page == "deep (keyset)");
        Assert.DoesNotContain(results, m => m.SameRowsAsOffset == false);
        // Every column's order, both ways, for both users, paged by keyset as the page does.
        Assert.Equal(Enum.GetValues<QueueSort>().Length * 2 * 2, results.Count(m => m.Page == "deep (keyset)" && m.Variant.StartsWith("by ", StringComparison.Ordinal)));
        Assert.Contains(results, m => m.Page == "nav counts" && m.User == "coordinator");
        Assert.All(results.Where(m => m.Page != "nav counts"), m => Assert.Contains(m.Commands, c => c.Kind == "page" && c.Plan.Count > 0));
        var allCases = results.Single(m => m.User == "coordinator" && m.Queue == nameof(QueueKind.AllCases) && m.Variant.Length == 0 && m.Page == "first");
        // 3,000 cases, counted no further than the limit: the page says "more than".
        Assert.Equal(QueueCount.Limit + 1, allCases.TotalRows);
        Assert.True(allCases.TotalBeyondLimit);

        var report = QueueScaleScenario.Report([new QueueScaleResult("test", load.Cases, load.Referrals, load.FollowUps, results)], load);
        Assert.Contains("| coordinator | AllCases |", report.Figures, StringComparison.Ordinal);
        Assert.Contains("| coordinator: navigation counts | 1 |", report.Summary.Figures, StringComparison.Ordinal);

        // The dashboard's figures, cold and after each kind of change with the shared cache, as the benchmark measures them.
        var dashboard = await Portal.Benchmarks.Queues.Program.MeasureDashboardAsync(runner, database.Contexts, _world.AnyViewersScope, coordinator, "CD");
        Assert.All(dashboard, m => Assert.Null(m.TimedOutAfterMs));
        Assert.Contains(dashboard, m => m.Variant.StartsWith("all countries, last 12 months, after a referral's change", StringComparison.Ordinal));
        Assert.Contains(dashboard, m => m.Variant.StartsWith("country CD, last 12 months, after a change to a case's record", StringComparison.Ordinal));
        var cold = dashboard.Single(m => m.Variant == "all countries, last 12 months");
        Assert.All(dashboard.Where(m => m.Variant.StartsWith("all countries, last 12 months, after", StringComparison.Ordinal)), m => Assert.Equal(cold.TotalRows, m.TotalRows));

        // The referrals the dashboard benchmark accepts one by one: sent yesterday on one of the CF advocate's open cases.
        var number = await PortalDatabase.ArrangeReferralsToAcceptAsync(database.DataDirectory, advocate.UserName, "CF", 3, DateTime.UtcNow);
        await using (var db = database.NewContext())
        {
            var survivorCase = await db.Cases.AsNoTracking().SingleAsync(c => c.Number == number);
            Assert.Equal(advocate.UserId, survivorCase.AssignedAdvocateId);
            Assert.NotEqual(CaseStatus.Closed, survivorCase.Status);
            var arranged = await db.Referrals.Where(r => r.CaseId == survivorCase.Id && r.Reason == "Benchmark referral to accept.").ToListAsync();
            Assert.Equal(3, arranged.Count);
            Assert.All(arranged, r => Assert.Equal(ReferralStatus.Sent, r.Status));
            // Nothing else on the case awaits an answer: every "accept" on its page is one of these.
            Assert.Equal(3, await db.Referrals.CountAsync(r => r.CaseId == survivorCase.Id && r.Status == ReferralStatus.Sent));
            arranged[0].Accept(advocate.UserId, TimeProvider.System);
            await db.SaveChangesAsync();
        }
    }
}
