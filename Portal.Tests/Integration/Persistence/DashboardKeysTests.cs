using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.FollowUps;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Configurations;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Persistence;

/// <summary>
/// What the database keeps for the dashboard's figures agrees with the rule it caches after inserts, updates, deletes,
/// writes by hand and a recomputation from scratch, on both engines: the case's country on its follow-ups, children
/// and claims (<see cref="CaseCountryCopies"/>), the moment a case's first check falls overdue (<see cref="CaseOverdueKey"/>)
/// and the days to first contact (<see cref="CaseFirstContactDelay"/>).
/// </summary>
public sealed class DashboardKeysTests : IClassFixture<TestDatabase>
{
    private static readonly DateTime Today = new(2026, 5, 4, 9, 0, 0, DateTimeKind.Utc);

    private readonly TestDatabase _database;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(Today));
    private readonly CaseWorld _world;

    public DashboardKeysTests(TestDatabase database)
    {
        _database = database;
        _world = new CaseWorld(database);
    }

    [Fact]
    public async Task Follow_ups_children_and_claims_carry_their_cases_country_through_every_change()
    {
        var survivorCase = await _world.NewIntakeAsync("CF");
        var other = await _world.NewIntakeAsync("CD");
        var followUp = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Call", Today.AddDays(1), isUrgent: false);
        var child = Child.Register(survivorCase.Id, "Child A", null, 2024, Sex.Female, null, _clock);
        var claim = PaternityClaim.Open(child, "NPL", ["Haiti"], "advocate", _clock);
        await SaveAsync(db => db.AddRange(followUp, child, claim));
        Assert.Equal(("CF", "CF", "CF"), await CopiesAsync(followUp.Id, child.Id, claim.Id));

        // The case moves to another country (nothing in the application does; a correction by hand might).
        await ExecuteAsync("""UPDATE "Cases" SET "CountryCode" = 'HT' WHERE "Id" = {0}""", survivorCase.Id);
        Assert.Equal(("HT", "HT", "HT"), await CopiesAsync(followUp.Id, child.Id, claim.Id));

        // A row moved to another case takes that case's country; a copy written by hand is put back.
        await ExecuteAsync("""UPDATE "FollowUps" SET "CaseId" = {0} WHERE "Id" = {1}""", other.Id, followUp.Id);
        await ExecuteAsync("""UPDATE "Children" SET "CountryCode" = 'SS' WHERE "Id" = {0}""", child.Id);
        await ExecuteAsync("""UPDATE "PaternityClaims" SET "CountryCode" = 'SS' WHERE "Id" = {0}""", claim.Id);
        Assert.Equal(("CD", "HT", "HT"), await CopiesAsync(followUp.Id, child.Id, claim.Id));

        // A row deleted leaves the others as they were.
        var removed = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Visit", Today.AddDays(2), isUrgent: false);
        await SaveAsync(db => db.Add(removed));
        await using (var db = _database.NewContext())
        {
            Assert.Equal("HT", await db.Set<FollowUp>().Where(f => f.Id == removed.Id).Select(f => EF.Property<string>(f, CaseCountryCopies.Column)).SingleAsync());
            await db.Set<FollowUp>().Where(f => f.Id == removed.Id).ExecuteDeleteAsync();
        }

        Assert.Equal(("CD", "HT", "HT"), await CopiesAsync(followUp.Id, child.Id, claim.Id));

        // Worked out from scratch (after a bulk load, which runs without the triggers): the same.
        await WithoutTriggersAsync(
            CaseCountryCopies.Tables.Select(t => (t, $"{t}_CaseCountry", $"{t}_CaseCountry_Update")).ToArray(),
            async () =>
            {
                foreach (var table in CaseCountryCopies.Tables)
                {
                    await ExecuteAsync($"""UPDATE "{table}" SET "CountryCode" = ''""");
                }

                Assert.Equal(("", "", ""), await CopiesAsync(followUp.Id, child.Id, claim.Id));
                await ExecuteAsync(CaseCountryCopies.RecomputeSql);
            },
            _database.IsPostgres ? null : CaseCountryCopies.SqliteTriggers);
        Assert.Equal(("CD", "HT", "HT"), await CopiesAsync(followUp.Id, child.Id, claim.Id));
    }

    [Fact]
    public async Task The_overdue_key_says_what_the_overdue_rule_says_of_the_cases_checks()
    {
        var survivorCase = await _world.NewIntakeAsync();
        await AssertOverdueKeyAsync(survivorCase.Id, null);

        var ordinary = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Visit", Today.AddDays(2), isUrgent: false);
        var urgent = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.SafetyCheck, "Call", Today.AddDays(5).AddTicks(1234560), isUrgent: true);
        await SaveAsync(db => db.AddRange(ordinary, urgent));
        await AssertOverdueKeyAsync(survivorCase.Id, Today.AddDays(2) + FollowUp.OverdueAfter);

        // Snoozed past the urgent one: an ordinary check is overdue a day after its snooze ends.
        await ChangeAsync(ordinary.Id, f => f.Snooze(Today.AddDays(6), "The person asked to wait", "advocate", _clock));
        await AssertOverdueKeyAsync(survivorCase.Id, Today.AddDays(5).AddTicks(1234560));

        // Made ordinary (by hand: the application sets urgency once): both a day later than their due moments.
        await using (var db = _database.NewContext())
        {
            await db.Set<FollowUp>().Where(f => f.Id == urgent.Id).ExecuteUpdateAsync(s => s.SetProperty(f => f.IsUrgent, false));
        }

        await AssertOverdueKeyAsync(survivorCase.Id, Today.AddDays(6).AddTicks(1234560));

        await ChangeAsync(urgent.Id, f => f.Complete("advocate", _clock));
        await AssertOverdueKeyAsync(survivorCase.Id, Today.AddDays(7));

        await using (var db = _database.NewContext())
        {
            await db.Set<FollowUp>().Where(f => f.Id == ordinary.Id).ExecuteDeleteAsync();
        }

        await AssertOverdueKeyAsync(survivorCase.Id, null);

        // Worked out from scratch: the same.
        var late = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Check", Today.AddDays(-3), isUrgent: false);
        await SaveAsync(db => db.Add(late));
        await ExecuteAsync($"""UPDATE "Cases" SET "{CaseOverdueKey.Column}" = NULL""");
        await AssertOverdueKeyAsync(survivorCase.Id, null, checkRule: false);
        await ExecuteAsync(_database.IsPostgres ? CaseOverdueKey.PostgresRecomputeSql : CaseOverdueKey.SqliteRecomputeSql);
        await AssertOverdueKeyAsync(survivorCase.Id, Today.AddDays(-2));
    }

    [Fact]
    public async Task The_days_to_first_contact_are_those_the_database_works_out_from_the_two_dates()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var survivorCase = await _world.NewIntakeAsync();
        Assert.Null(await FirstContactAfterDaysAsync(survivorCase.Id));

        // Claimed three hours and a bit later (to the tick): the claim is the first contact.
        _clock.Advance(new TimeSpan(0, 3, 25, 10).Add(TimeSpan.FromTicks(1234560)));
        await ChangeCaseAsync(survivorCase.Id, c => c.Claim(advocate.UserId, _clock));
        await AssertFirstContactDelayAsync(survivorCase.Id, expectContact: true);

        await ChangeCaseAsync(survivorCase.Id, c => c.UndoClaim(advocate.UserId, _clock));
        await AssertFirstContactDelayAsync(survivorCase.Id, expectContact: false);

        _clock.Advance(TimeSpan.FromDays(2));
        await ChangeCaseAsync(survivorCase.Id, c => c.Claim(advocate.UserId, _clock));
        await AssertFirstContactDelayAsync(survivorCase.Id, expectContact: true);

        // The opening corrected and the delay written by hand: the delay follows the dates.
        await ExecuteAsync("""UPDATE "Cases" SET "OpenedAtUtc" = {0} WHERE "Id" = {1}""", Today.AddDays(-1), survivorCase.Id);
        await AssertFirstContactDelayAsync(survivorCase.Id, expectContact: true);
        await ExecuteAsync($$"""UPDATE "Cases" SET "{{CaseFirstContactDelay.Column}}" = 42 WHERE "Id" = {0}""", survivorCase.Id);
        await AssertFirstContactDelayAsync(survivorCase.Id, expectContact: true);

        await WithoutTriggersAsync(
            [("Cases", CaseFirstContactDelay.MarkerTrigger, CaseFirstContactDelay.MarkerTrigger + "_Update")],
            async () =>
            {
                await ExecuteAsync($"""UPDATE "Cases" SET "{CaseFirstContactDelay.Column}" = NULL""");
                Assert.Null(await FirstContactAfterDaysAsync(survivorCase.Id));
                await ExecuteAsync(_database.IsPostgres ? CaseFirstContactDelay.PostgresRecomputeSql : CaseFirstContactDelay.SqliteRecomputeSql);
            },
            _database.IsPostgres ? null : CaseFirstContactDelay.SqliteTriggers);
        await AssertFirstContactDelayAsync(survivorCase.Id, expectContact: true);
    }

    /// <summary>
    /// The key equals the value the test expects, and at moments around it (to the tick) the key and the domain's rule
    /// over the case's checks agree on whether the case has an overdue check, in the database as in memory.
    /// </summary>
    private async Task AssertOverdueKeyAsync(Guid caseId, DateTime? expected, bool checkRule = true)
    {
        await using var db = _database.NewContext();
        var kept = await db.Set<Case>().Where(c => c.Id == caseId).Select(c => EF.Property<DateTime?>(c, CaseOverdueKey.Column)).SingleAsync();
        Assert.Equal(expected, kept is { } value ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : (DateTime?)null);
        if (!checkRule)
        {
            return;
        }

        // PostgreSQL keeps microseconds: a tick either side of a moment is the moment itself there.
        var step = TimeSpan.FromTicks(_database.IsPostgres ? 10 : 1);

        var followUps = await db.Set<FollowUp>().Where(f => f.CaseId == caseId).ToListAsync();
        foreach (var now in new[] { Today, Today.AddDays(3), Today.AddDays(10) }.Concat(expected is { } at ? [at - step, at, at + step] : []))
        {
            var byRule = followUps.Any(f => FollowUpRules.Overdue.IsMetBy(f, now));
            var byKey = await CaseOverdueKey.WithOverdueCheck(db.Set<Case>().Where(c => c.Id == caseId), now).AnyAsync();
            var byRuleInDatabase = await db.Set<FollowUp>().Where(f => f.CaseId == caseId).AnyAsync(FollowUpRules.Overdue.For(now));
            Assert.True(byRule == byKey && byKey == byRuleInDatabase, $"At {now:O}: the rule says {byRule} in memory and {byRuleInDatabase} in the database, the key {byKey}.");
        }
    }

    /// <summary>The kept delay equals the database's own difference of the two dates, to the last bit.</summary>
    private async Task AssertFirstContactDelayAsync(Guid caseId, bool expectContact)
    {
        await using var db = _database.NewContext();
        var worked = await db.Set<Case>().Where(c => c.Id == caseId)
            .Select(c => c.FirstContactAtUtc == null ? (double?)null : PortalDbFunctions.Days(c.FirstContactAtUtc.Value) - PortalDbFunctions.Days(c.OpenedAtUtc))
            .SingleAsync();
        Assert.Equal(expectContact, worked is not null);
        Assert.Equal(worked, await FirstContactAfterDaysAsync(caseId));
    }

    private async Task<double?> FirstContactAfterDaysAsync(Guid caseId)
    {
        await using var db = _database.NewContext();
        return await db.Set<Case>().Where(c => c.Id == caseId).Select(c => EF.Property<double?>(c, CaseFirstContactDelay.Column)).SingleAsync();
    }

    private async Task<(string FollowUp, string Child, string Claim)> CopiesAsync(Guid followUpId, Guid childId, Guid claimId)
    {
        await using var db = _database.NewContext();
        return (
            await db.Set<FollowUp>().Where(f => f.Id == followUpId).Select(f => EF.Property<string>(f, CaseCountryCopies.Column)).SingleAsync(),
            await db.Set<Child>().Where(c => c.Id == childId).Select(c => EF.Property<string>(c, CaseCountryCopies.Column)).SingleAsync(),
            await db.Set<PaternityClaim>().Where(p => p.Id == claimId).Select(p => EF.Property<string>(p, CaseCountryCopies.Column)).SingleAsync());
    }

    /// <summary>
    /// Runs <paramref name="change"/> with some triggers off, as a bulk load does, then puts them back: PostgreSQL disables
    /// them on their table, SQLite drops them and makes the set again from <paramref name="sqliteTriggers"/>.
    /// </summary>
    private async Task WithoutTriggersAsync((string Table, string Postgres, string Sqlite)[] triggers, Func<Task> change, string? sqliteTriggers)
    {
        foreach (var (table, postgres, sqlite) in triggers)
        {
            await ExecuteAsync(_database.IsPostgres ? $"""ALTER TABLE "{table}" DISABLE TRIGGER "{postgres}" """ : $"""DROP TRIGGER "{sqlite}" """);
        }

        try
        {
            await change();
        }
        finally
        {
            if (_database.IsPostgres)
            {
                foreach (var (table, postgres, _) in triggers)
                {
                    await ExecuteAsync($"""ALTER TABLE "{table}" ENABLE TRIGGER "{postgres}" """);
                }
            }
            else
            {
                await ExecuteAsync(sqliteTriggers!);
            }
        }
    }

    private async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var db = _database.NewContext();
        await db.Database.ExecuteSqlRawAsync(sql, parameters.Select(p => p is Guid id ? _database.Id(id) : p));
    }

    private async Task SaveAsync(Action<PortalDbContext> change)
    {
        await using var db = _database.NewContext();
        change(db);
        await db.SaveChangesAsync();
    }

    private async Task ChangeAsync(Guid followUpId, Action<FollowUp> change)
    {
        await using var db = _database.NewContext();
        change(await db.Set<FollowUp>().SingleAsync(f => f.Id == followUpId));
        await db.SaveChangesAsync();
    }

    private async Task ChangeCaseAsync(Guid caseId, Action<Case> change)
    {
        await using var db = _database.NewContext();
        change(await db.Set<Case>().SingleAsync(c => c.Id == caseId));
        await db.SaveChangesAsync();
    }
}
