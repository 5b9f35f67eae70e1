using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Features.Queues;
using Portal.Infrastructure.Data.Configurations;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Persistence;

/// <summary>
/// A part of a case number finds the cases holding it, through the trigram index (<see cref="CaseNumberSearch"/>) that
/// the database keeps, on both engines, and only within the viewer's countries.
/// </summary>
public sealed class CaseNumberSearchTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _database;
    private readonly CaseWorld _world;

    public CaseNumberSearchTests(TestDatabase database)
    {
        _database = database;
        _world = new CaseWorld(database);
    }

    [Fact]
    public async Task Any_part_of_a_number_finds_the_cases_holding_it_within_scope_and_nothing_acts_as_a_wildcard()
    {
        var haiti = await _world.StaffAsync(Roles.Advocate, "HT");
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var a = await CaseAsync(new CaseNumber("HT", 2031, 421));
        var b = await CaseAsync(new CaseNumber("HT", 2031, 4210));
        await CaseAsync(new CaseNumber("HT", 2031, 1999));
        var elsewhere = await CaseAsync(new CaseNumber("CD", 2031, 421));

        Assert.Equal(Numbers(a, b), await SearchAsync(haiti, "421"));
        Assert.Equal(Numbers(a), await SearchAsync(haiti, "31-04"));
        Assert.Equal(Numbers(a, elsewhere), await SearchAsync(coordinator, "0421"));
        Assert.Equal(Numbers(a), await SearchAsync(haiti, "0421 ")); // as typed, with a space after it

        // In a LIKE pattern these would match "0421"; in a search box they are characters no number has.
        Assert.Empty(await SearchAsync(haiti, "0_21"));
        Assert.Empty(await SearchAsync(haiti, "04%"));
    }

    [Fact]
    public async Task Each_engine_keeps_a_trigram_index_of_the_numbers()
    {
        await using var db = _database.NewContext();
        var definition = await db.Database.SqlQueryRaw<string>(
            _database.IsPostgres
                ? """SELECT indexdef AS "Value" FROM pg_indexes WHERE indexname = 'IX_Cases_Number_Trigrams'"""
                : """SELECT sql AS "Value" FROM sqlite_master WHERE name = 'CaseNumberSearch'""").SingleAsync();

        Assert.Contains(_database.IsPostgres ? "gin_trgm_ops" : "trigram", definition, StringComparison.Ordinal);
    }

    [Fact]
    [Trait(TestPostgres.DatabaseTrait, TestPostgres.SqliteOnly)]
    public async Task SQLites_search_table_follows_changes_made_outside_the_application_and_is_filled_where_it_was_missing()
    {
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var renumbered = await CaseAsync(new CaseNumber("SS", 2032, 7001));
        var removed = await CaseAsync(new CaseNumber("SS", 2032, 7002));
        await using (var db = _database.NewContext())
        {
            await db.Cases.Where(c => c.Id == renumbered.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Number, "SS-2032-7101"));
            await db.Cases.Where(c => c.Id == removed.Id).ExecuteDeleteAsync();
        }

        Assert.Equal(["SS-2032-7101"], await SearchAsync(coordinator, "2032-71"));
        Assert.Empty(await SearchAsync(coordinator, "2032-70"));
        await using (var db = _database.NewContext())
        {
            Assert.Equal(0, await db.Database.SqlQueryRaw<int>("""SELECT count(*) AS "Value" FROM "CaseNumberSearch" WHERE "CaseId" = {0}""", _database.Id(removed.Id)).SingleAsync());

            // A database from before the search table, or after a bulk load that dropped it: the next start fills it.
            await db.Database.ExecuteSqlRawAsync("""DROP TABLE "CaseNumberSearch";""");
            await CaseNumberSearch.KeepSqliteAsync(db);
        }

        Assert.Equal(["SS-2032-7101"], await SearchAsync(coordinator, "2032-71"));
    }

    private static string[] Numbers(params Case[] cases) => [.. cases.Select(c => c.Number).Order(StringComparer.Ordinal)];

    private async Task<string[]> SearchAsync(UserScope viewer, string text)
    {
        var page = await _world.Queues.GetPageAsync(viewer, new QueueRequest(QueueKind.AllCases, new QueueFilter { NumberSearch = text }, PageSize: 100));
        Assert.Equal(page.Rows.Count, page.TotalCount);
        return [.. page.Rows.Select(r => r.Number).Order(StringComparer.Ordinal)];
    }

    private async Task<Case> CaseAsync(CaseNumber number)
    {
        var survivorCase = Case.OpenFromIntake(number, number.CountryCode, RiskLevel.Medium, "fr", null, _world.Clock);
        await using var db = _database.NewContext();
        db.Add(survivorCase);
        await db.SaveChangesAsync();
        return survivorCase;
    }
}
