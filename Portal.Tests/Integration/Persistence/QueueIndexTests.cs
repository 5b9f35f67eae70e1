using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;
using Xunit.Abstractions;

namespace Portal.Tests.Integration.Persistence;

/// <summary>
/// The queue queries of issue 5, and the scans the reminder jobs run, are answered from indexes: SQLite's plan for
/// each has no full table scan. Run on the seeded demo database so the planner sees realistic data.
/// </summary>
[Collection(SeededDatabaseCollection.Name)]
[Trait(TestPostgres.DatabaseTrait, TestPostgres.SqliteOnly)]
public sealed partial class QueueIndexTests
{
    private static readonly List<string> MyCountries = ["CD", "CF"];

    private readonly SeededDatabase _seeded;
    private readonly ITestOutputHelper _output;

    public QueueIndexTests(SeededDatabase seeded, ITestOutputHelper output)
    {
        _seeded = seeded;
        _output = output;
    }

    public static TheoryData<string> Queries => new(QueryCatalogue.Keys);

    private static Dictionary<string, Func<PortalDbContext, DateTime, IQueryable>> QueryCatalogue => new()
    {
        ["new intakes unclaimed in my countries, oldest first"] = (db, _) => db.Cases
            .Where(c => MyCountries.Contains(c.CountryCode) && c.AssignedAdvocateId == null && c.Status != CaseStatus.Closed)
            .OrderBy(c => c.OpenedAtUtc).ThenBy(c => c.Number).Take(50),
        ["new intakes in one country"] = (db, _) => db.Cases
            .Where(c => c.CountryCode == "CD" && c.Status == CaseStatus.Intake && c.AssignedAdvocateId == null)
            .OrderBy(c => c.OpenedAtUtc).Take(50),
        ["my cases, oldest first"] = (db, _) => db.Cases
            .Where(c => c.AssignedAdvocateId == SeededDatabase.CdAdvocate && c.Status != CaseStatus.Closed)
            .OrderBy(c => c.OpenedAtUtc).ThenBy(c => c.Number).Take(50),
        ["my cases with a due follow-up"] = (db, now) => db.Cases
            .Where(c => c.AssignedAdvocateId == SeededDatabase.CdAdvocate && c.Status != CaseStatus.Closed && db.FollowUps.Any(f => f.CaseId == c.Id &&
                ((f.Status == FollowUpStatus.Open && f.DueAtUtc < now) || (f.Status == FollowUpStatus.Snoozed && f.SnoozedUntilUtc < now))))
            .OrderBy(c => c.OpenedAtUtc).Take(50),
        ["due open follow-ups (reminder scan)"] = (db, now) => db.FollowUps
            .Where(f => f.Status == FollowUpStatus.Open && f.DueAtUtc <= now).OrderBy(f => f.DueAtUtc).Take(500),
        ["snoozed follow-ups falling due (reminder scan)"] = (db, now) => db.FollowUps
            .Where(f => f.Status == FollowUpStatus.Snoozed && f.SnoozedUntilUtc <= now).OrderBy(f => f.SnoozedUntilUtc).Take(500),
        ["awaiting closure approval"] = (db, _) => db.Cases
            .Where(c => c.Status == CaseStatus.ClosureRequested).OrderBy(c => c.OpenedAtUtc).Take(50),
        ["all cases in my countries by age"] = (db, _) => db.Cases
            .Where(c => MyCountries.Contains(c.CountryCode)).OrderByDescending(c => c.OpenedAtUtc).Take(50),
        ["all cases in one country by age"] = (db, _) => db.Cases
            .Where(c => c.CountryCode == "CF").OrderBy(c => c.OpenedAtUtc).Take(50),
        ["all cases by case number"] = (db, _) => db.Cases.OrderBy(c => c.Number).Take(50),
        ["next due follow-up per case"] = (db, _) => db.Cases
            .Where(c => c.AssignedAdvocateId == SeededDatabase.CfAdvocate && c.Status != CaseStatus.Closed)
            .OrderBy(c => c.OpenedAtUtc).Take(50)
            .Select(c => new
            {
                c.Id,
                NextDue = db.FollowUps.Where(f => f.CaseId == c.Id && f.Status == FollowUpStatus.Open).Min(f => (DateTime?)f.DueAtUtc),
            }),
        ["a case by number"] = (db, _) => db.Cases.Where(c => c.Number == "CD-2026-0001"),
        ["a case's referrals"] = (db, _) => db.Referrals.Where(r => r.CaseId == Guid.Empty),
        ["referrals unanswered past their deadline"] = (db, now) => db.Referrals
            .Where(r => r.Status == ReferralStatus.Sent && r.AcceptanceDueAtUtc < now),
        ["stale paternity claims"] = (db, now) => db.PaternityClaims
            .Where(p => p.Status == PaternityClaimStatus.SubmittedToMemberState && p.LastMovementAtUtc < now.AddDays(-180)),
        ["who looked at a case"] = (db, _) => db.AuditEntries.Where(e => e.RecordType == "Case" && e.RecordId == "CD-2026-0001"),
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task The_query_is_answered_from_an_index_without_a_full_table_scan(string name)
    {
        await using var db = _seeded.Database.NewContext();
        var query = QueryCatalogue[name](db, DateTime.UtcNow);

        var plan = await ExplainAsync(db, query.ToQueryString());
        _output.WriteLine(string.Join(Environment.NewLine, plan));

        // A subquery EF pages first (CO-ROUTINE/MATERIALIZE) is scanned as a whole: that is a scan of its few rows.
        var subqueries = plan.Select(line => Subquery().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.DoesNotContain(plan, line => FullScan().Match(line) is { Success: true } scan && !subqueries.Contains(scan.Groups[1].Value));
        Assert.Contains(plan, line => line.Contains("INDEX", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_countrys_cases_of_one_risk_level_are_read_from_their_own_index_entries()
    {
        // The "high risk" filter of a country's queue: counted and paged from (country, risk, opened) without reading
        // the country's other cases or any table row.
        await using var db = _seeded.Database.NewContext();
        var query = db.Cases.Where(c => c.CountryCode == "CF" && c.RiskLevel == RiskLevel.High).OrderByDescending(c => c.OpenedAtUtc).Select(c => c.OpenedAtUtc);

        var plan = await ExplainAsync(db, query.ToQueryString());
        _output.WriteLine(string.Join(Environment.NewLine, plan));

        Assert.Contains(plan, line => line.Contains("COVERING INDEX", StringComparison.Ordinal) && line.Contains("(CountryCode=? AND RiskLevel=?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_advocate_of_one_country_gets_cases_in_number_order_from_the_index_without_sorting_them()
    {
        // "All cases" by number for a CF advocate: read in order from (country, number), not every CF case sorted.
        var advocate = new UserScope("advocate-cf", "advocate-cf", "Advocate", [Roles.Advocate], ["cf"]);
        await using var db = _seeded.Database.NewContext();
        var query = db.Cases.InScope(advocate, c => c.CountryCode).OrderBy(c => c.Number).Select(c => c.Number).Take(25);

        var plan = await ExplainAsync(db, query.ToQueryString());
        _output.WriteLine(string.Join(Environment.NewLine, plan));

        Assert.Contains(plan, line => line.Contains("COVERING INDEX", StringComparison.Ordinal) && line.Contains("(CountryCode=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_advocates_due_follow_ups_are_a_range_of_their_own_cases_by_next_due()
    {
        // "Due follow-ups" for an advocate: only their cases with a follow-up due, a range of (country, advocate, next
        // due), not every case they ever held read and its follow-ups looked up, nor every due case of the country.
        var advocate = new UserScope(SeededDatabase.CfAdvocate, SeededDatabase.CfAdvocate, "Advocate", [Roles.Advocate], ["CF"]);
        await using var db = _seeded.Database.NewContext();
        var query = Portal.Features.Queues.QueueService.Filtered(db, advocate, Portal.Features.Queues.QueueKind.DueFollowUps, Portal.Features.Queues.QueueFilter.None, DateTime.UtcNow, Portal.Domain.Reminders.ReminderPolicy.Default)
            .Select(c => c.Id);

        var plan = await ExplainAsync(db, query.ToQueryString());
        _output.WriteLine(string.Join(Environment.NewLine, plan));

        Assert.Contains(plan, line => line.Contains("INDEX IX_Cases_CountryCode_AssignedAdvocateId_NextFollowUpDueMissing_NextFollowUpDueUtc_Number", StringComparison.Ordinal)
            && line.Contains("(CountryCode=? AND AssignedAdvocateId=? AND NextFollowUpDueMissing=? AND NextFollowUpDueUtc<?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_advocates_overdue_cases_are_paged_from_their_next_due_index_without_reading_follow_ups()
    {
        // "My cases, overdue only": the overdue test is on the moments in the index, so a deep page skips the earlier
        // cases in the index alone, with no look-up in the follow-ups per case.
        var advocate = new UserScope(SeededDatabase.CfAdvocate, SeededDatabase.CfAdvocate, "Advocate", [Roles.Advocate], ["CF"]);
        await using var db = _seeded.Database.NewContext();
        var filter = new Portal.Features.Queues.QueueFilter { OverdueOnly = true };
        var cases = Portal.Features.Queues.QueueService.Filtered(db, advocate, Portal.Features.Queues.QueueKind.MyCases, filter, DateTime.UtcNow, Portal.Domain.Reminders.ReminderPolicy.Default);
        var order = Portal.Features.Queues.QueueKeyset.For(Portal.Features.Queues.QueueOrder.DefaultFor(Portal.Features.Queues.QueueKind.MyCases));

        var plan = await ExplainAsync(db, order.Apply(cases).Skip(500).Take(25).Select(c => c.Number).ToQueryString());
        _output.WriteLine(string.Join(Environment.NewLine, plan));

        Assert.Contains(plan, line => line.Contains("INDEX IX_Cases_CountryCode_AssignedAdvocateId_NextFollowUpDueMissing_NextFollowUpDueUtc_Number_Status_OverdueFromUtc", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("FollowUps", StringComparison.Ordinal) || line.Contains("TEMP B-TREE", StringComparison.Ordinal));

        // By opening date, the advocate's (country, advocate, opened) index carries the overdue moment for the same reason.
        var byOpened = Portal.Features.Queues.QueueKeyset.For(new Portal.Features.Queues.QueueOrder(Portal.Features.Queues.QueueSort.Opened, Descending: false));
        var openedPlan = await ExplainAsync(db, byOpened.Apply(cases).Skip(500).Take(25).Select(c => c.Number).ToQueryString());
        _output.WriteLine(string.Join(Environment.NewLine, openedPlan));

        Assert.Contains(openedPlan, line => line.Contains(
            "INDEX IX_Cases_CountryCode_AssignedAdvocateId_OpenedAtUtc_Number_Status_OverdueFromUtc", StringComparison.Ordinal));
        Assert.DoesNotContain(openedPlan, line => line.Contains("FollowUps", StringComparison.Ordinal) || line.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_referral_type_filter_states_its_bit_as_that_types_partial_index_does()
    {
        // A partial index serves only a query whose condition is its own: the bit is written into the query, not sent as a
        // parameter, and the page is read in order. (Which index serves it is the planner's choice by size: the million-case
        // benchmark shows the type's own index taken; the demo database is too small to tell.)
        var advocate = new UserScope(SeededDatabase.CfAdvocate, SeededDatabase.CfAdvocate, "Advocate", [Roles.Advocate], ["CF"]);
        await using var db = _seeded.Database.NewContext();
        var filter = new Portal.Features.Queues.QueueFilter { ReferralType = ReferralType.Legal };
        var cases = Portal.Features.Queues.QueueService.Filtered(db, advocate, Portal.Features.Queues.QueueKind.AllCases, filter, DateTime.UtcNow, Portal.Domain.Reminders.ReminderPolicy.Default);
        var order = Portal.Features.Queues.QueueKeyset.For(Portal.Features.Queues.QueueOrder.DefaultFor(Portal.Features.Queues.QueueKind.AllCases));

        var sql = order.Apply(cases).Skip(500).Take(25).Select(c => c.Id).ToQueryString();
        var plan = await ExplainAsync(db, sql);
        _output.WriteLine(sql + Environment.NewLine + string.Join(Environment.NewLine, plan));

        var index = db.Model.FindEntityType(typeof(Case))!.GetIndexes().Single(i => i.GetDatabaseName() == "IX_Cases_CountryCode_OpenedAtUtc_Number_Legal");
        Assert.Equal("(\"ReferralTypes\" & 4) <> 0", index.GetFilter());
        Assert.Contains("\"ReferralTypes\" & 4 <> 0", sql, StringComparison.Ordinal);
        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Closures_awaiting_approval_are_paged_in_order_from_the_index_without_sorting()
    {
        // The number breaks ties in the index too, so a deep page skips index entries, not rows sorted per opening moment.
        await using var db = _seeded.Database.NewContext();
        var query = db.Cases.Where(c => c.Status == CaseStatus.ClosureRequested).OrderBy(c => c.OpenedAtUtc).ThenBy(c => c.Number).Skip(500).Take(25).Select(c => c.Id);

        var plan = await ExplainAsync(db, query.ToQueryString());
        _output.WriteLine(string.Join(Environment.NewLine, plan));

        Assert.Contains(plan, line => line.Contains("INDEX IX_Cases_Status_OpenedAtUtc_Number (Status=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_part_of_a_number_is_looked_up_in_the_trigram_index_before_any_case_is_read()
    {
        // Left to choose, SQLite walked the advocate's country's cases in the page's order and tested each against the
        // search's matches; the matches lead, and each one's case is then found by its key.
        var plan = await SearchPagePlanAsync("0042", nextPage: false);

        var search = plan.FindIndex(line => line.Contains("SCAN s VIRTUAL TABLE", StringComparison.Ordinal));
        var byKey = plan.FindIndex(line => line.Contains("SEARCH c USING INDEX sqlite_autoindex_Cases_1 (Id=?)", StringComparison.Ordinal));
        Assert.InRange(search, 0, plan.Count);
        Assert.InRange(byKey, search + 1, plan.Count);
    }

    [Fact]
    public async Task A_number_prefix_is_read_as_a_range_of_the_number_index_on_every_page()
    {
        // A page after the first adds "opened before the last row shown": SQLite then walked the country's cases by date
        // from there, through every older year, instead of the prefix's range.
        // The page's numbers are sorted from the range's index entries alone; only the page's own rows are read.
        foreach (var nextPage in new[] { false, true })
        {
            var plan = await SearchPagePlanAsync("CF-2026", nextPage);

            Assert.Contains(plan, line => line.Contains("COVERING INDEX IX_Cases_CountryCode_Number_OpenedAtUtc (CountryCode=? AND Number>? AND Number<?)", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, line => line.Contains("IX_Cases_CountryCode_OpenedAtUtc", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, line => line.StartsWith("SCAN Cases", StringComparison.Ordinal) || line.StartsWith("SCAN c ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_later_page_in_risk_order_seeks_within_the_last_rows_risk_level()
    {
        // Paging on from a high-risk row: the high-risk cases opened after it are a range of (country, risk, opened).
        // One "beyond, or the same and the rest beyond" condition had SQLite seek on the risk alone and walk every
        // high-risk case of the country up to the row.
        var advocate = new UserScope(SeededDatabase.CfAdvocate, SeededDatabase.CfAdvocate, "Advocate", [Roles.Advocate], ["CF"]);
        await using var db = _seeded.Database.NewContext();
        var cases = Portal.Features.Queues.QueueService.Filtered(db, advocate, Portal.Features.Queues.QueueKind.AllCases, new Portal.Features.Queues.QueueFilter(), DateTime.UtcNow, Portal.Domain.Reminders.ReminderPolicy.Default);
        var order = Portal.Features.Queues.QueueKeyset.For(new Portal.Features.Queues.QueueOrder(Portal.Features.Queues.QueueSort.Risk, Descending: true));
        var row = new Portal.Features.Queues.QueueRow(Guid.NewGuid(), "CF-2026-0042", "CF", CaseStatus.Intake, RiskLevel.High, DateTime.UtcNow.AddDays(-30), null, null, null);

        var plan = await ExplainAsync(db, order.After(cases, row, 25).Select(c => c.Id).ToQueryString());
        _output.WriteLine(string.Join(Environment.NewLine, plan));

        Assert.Contains(plan, line => line.Contains("(CountryCode=? AND RiskRank=? AND OpenedAtUtc>?)", StringComparison.Ordinal));
    }

    /// <summary>SQLite's plan for a CF advocate's page of all cases found by <paramref name="search"/>, in the queue's own order.</summary>
    /// <param name="nextPage">The page after the first two rows, as the queue page asks for the next one (keyset).</param>
    private async Task<List<string>> SearchPagePlanAsync(string search, bool nextPage)
    {
        var advocate = new UserScope(SeededDatabase.CfAdvocate, SeededDatabase.CfAdvocate, "Advocate", [Roles.Advocate], ["CF"]);
        await using var db = _seeded.Database.NewContext();
        var filter = new Portal.Features.Queues.QueueFilter { NumberSearch = search };
        var cases = Portal.Features.Queues.QueueService.Filtered(db, advocate, Portal.Features.Queues.QueueKind.AllCases, filter, DateTime.UtcNow, Portal.Domain.Reminders.ReminderPolicy.Default);
        var order = Portal.Features.Queues.QueueKeyset.For(Portal.Features.Queues.QueueOrder.DefaultFor(Portal.Features.Queues.QueueKind.AllCases));
        var page = order.Apply(cases).Take(25);
        if (nextPage)
        {
            var last = (await order.Apply(cases).Take(2).Select(c => new { c.Id, c.Number, c.OpenedAtUtc }).ToListAsync())[^1];
            page = order.After(cases, new Portal.Features.Queues.QueueRow(last.Id, last.Number, "CF", CaseStatus.Intake, RiskLevel.Medium, last.OpenedAtUtc, null, null, null), 25);
        }

        var rows = Portal.Features.Queues.QueueService.RowsOf(db, filter, order, page);
        var plan = await ExplainAsync(db, rows.Select(c => c.Id).ToQueryString());
        _output.WriteLine(string.Join(Environment.NewLine, plan));
        return plan;
    }

    [Fact]
    public async Task The_dashboards_overdue_follow_ups_are_read_from_index_entries_alone()
    {
        // The overdue rule reads status, due date, urgency and snooze end, and the figure needs each check's case:
        // (status, due, urgent, snoozed until, case) holds them all, so no follow-up row is read.
        await using var db = _seeded.Database.NewContext();
        var query = db.FollowUps.Where(Portal.Domain.FollowUps.FollowUpRules.Overdue.For(DateTime.UtcNow)).Select(f => f.CaseId);

        var plan = await ExplainAsync(db, query.ToQueryString());
        _output.WriteLine(string.Join(Environment.NewLine, plan));

        Assert.Contains(plan, line => line.Contains("COVERING INDEX IX_FollowUps_Status_DueAtUtc_IsUrgent_SnoozedUntilUtc_CaseId", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_dashboards_re_read_of_changed_cases_seeks_their_referrals_by_case_not_the_periods_range()
    {
        // After a referral's change the dashboard reads that case's referrals of the period again: a few index seeks,
        // where the period's range (the sending date index) would read every referral of the period.
        await using var db = _seeded.Database.NewContext();
        var (from, until) = (DateTime.UtcNow.AddYears(-1), DateTime.UtcNow);
        var query = Portal.Features.Dashboard.ReferralRows.OfCases(db.Referrals.Where(r => r.SentAtUtc >= from && r.SentAtUtc < until), [Guid.NewGuid(), Guid.NewGuid()]);

        var plan = await ExplainAsync(db, query.ToQueryString());
        _output.WriteLine(string.Join(Environment.NewLine, plan));

        Assert.Contains(plan, line => line.Contains("INDEX IX_Referrals_CaseId_Status_Type (CaseId=?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_countrys_allegations_by_day_and_entity_type_are_read_from_index_entries_alone()
    {
        // The dashboard's allegation chart for one country (and the annual summary's year of it): the index made on
        // start-up (CaseConfiguration.CountryAllegationsIndexSql), not every case of the country read row by row.
        await using var db = _seeded.Database.NewContext();
        var query = db.Cases.Where(c => c.CountryCode == "CD" && c.Allegation!.DateReported != null)
            .GroupBy(c => new { c.Allegation!.DateReported, c.Allegation.EntityType })
            .Select(g => new { g.Key.DateReported, g.Key.EntityType, Count = g.Count() });

        var plan = await ExplainAsync(db, query.ToQueryString());
        _output.WriteLine(string.Join(Environment.NewLine, plan));

        Assert.Contains(plan, line => line.Contains("COVERING INDEX IX_Cases_CountryCode_AllegationDateReported_EntityType (CountryCode=?", StringComparison.Ordinal));
    }

    /// <summary>EXPLAIN QUERY PLAN for EF's SQL, with the parameters EF lists as ".param set" lines.</summary>
    private static async Task<List<string>> ExplainAsync(PortalDbContext db, string queryString)
    {
        var lines = queryString.Split('\n');
        var parameters = lines.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)).Select(ParseParameter).ToList();
        var sql = string.Join('\n', lines.Where(l => !l.StartsWith(".param set ", StringComparison.Ordinal)));

        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (parameterName, value) in parameters)
        {
            TestDatabase.AddParameter(command, parameterName, value);
        }

        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    private static (string Name, object? Value) ParseParameter(string line)
    {
        var rest = line[".param set ".Length..].TrimEnd('\r');
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        var name = rest[..space];
        var literal = rest[(space + 1)..];
        object? value = literal switch
        {
            "NULL" => null,
            _ when literal.StartsWith('\'') => literal[1..^1].Replace("''", "'", StringComparison.Ordinal),
            _ when long.TryParse(literal, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) => integer,
            _ => double.Parse(literal, CultureInfo.InvariantCulture),
        };
        return (name, value);
    }

    /// <summary>"SCAN c" with no index: every row of the table is read.</summary>
    [GeneratedRegex(@"^SCAN (\w+)$")]
    private static partial Regex FullScan();

    [GeneratedRegex(@"^(?:CO-ROUTINE|MATERIALIZE) (\w+)$")]
    private static partial Regex Subquery();
}
