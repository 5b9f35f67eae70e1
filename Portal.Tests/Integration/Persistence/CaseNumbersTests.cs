using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Infrastructure.Data;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Persistence;

/// <summary>Case numbers are unique, consecutive and never reused, also when many requests create cases at once.</summary>
public sealed class CaseNumbersTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _database;

    public CaseNumbersTests(TestDatabase database) => _database = database;

    private CaseNumbers Numbers => _database.Service<CaseNumbers>();

    [Fact]
    public async Task Concurrent_creation_issues_consecutive_numbers_without_gaps_or_duplicates()
    {
        const int Tasks = 8;
        const int PerTask = 25;
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 1, 8, 0, 0, TimeSpan.Zero));

        // Each creation is what a request does: its own context and transaction, a read, the number, the case, commit.
        var workers = Enumerable.Range(0, Tasks).Select(_ => Task.Run(async () =>
        {
            var issued = new List<CaseNumber>();
            for (var i = 0; i < PerTask; i++)
            {
                await using var db = _database.NewContext();
                await using var transaction = await db.Database.BeginTransactionAsync();
                _ = await db.Cases.CountAsync(c => c.CountryCode == "HT");
                var number = await Numbers.NextAsync(db, "HT", 2030);
                db.Cases.Add(Case.OpenFromIntake(number, "HT", RiskLevel.Medium, "fr", null, clock));
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
                issued.Add(number);
            }

            return issued;
        })).ToList();
        var numbers = (await Task.WhenAll(workers)).SelectMany(n => n).ToList();

        Assert.Equal(Enumerable.Range(1, Tasks * PerTask), numbers.Select(n => n.Sequence).Order());
        await using var check = _database.NewContext();
        var stored = await check.Cases.Where(c => c.Number.StartsWith("HT-2030-")).Select(c => c.Number).ToListAsync();
        Assert.Equal(numbers.Select(n => n.ToString()).Order(), stored.Order());
        Assert.Equal(Tasks * PerTask, (await check.CaseNumberSequences.SingleAsync(s => s.CountryCode == "HT" && s.Year == 2030)).LastNumber);
    }

    [Fact]
    public async Task Numbers_are_per_country_and_year_and_formatted_as_the_domain_formats_them()
    {
        await using var db = _database.NewContext();

        var first = await Numbers.NextAsync(db, "cf", 2031);
        var second = await Numbers.NextAsync(db, "CF", 2031);
        var otherYear = await Numbers.NextAsync(db, "CF", 2032);
        var otherCountry = await Numbers.NextAsync(db, "LB", 2031);

        Assert.Equal(["CF-2031-0001", "CF-2031-0002", "CF-2032-0001", "LB-2031-0001"], new[] { first, second, otherYear, otherCountry }.Select(n => n.ToString()));
    }

    [Fact]
    public async Task A_number_taken_in_a_rolled_back_transaction_is_issued_again_and_a_committed_one_never()
    {
        await using (var db = _database.NewContext())
        {
            Assert.Equal(1, (await Numbers.NextAsync(db, "ML", 2033)).Sequence);
        }

        await using (var db = _database.NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Equal(2, (await Numbers.NextAsync(db, "ML", 2033)).Sequence);
            await transaction.RollbackAsync();
        }

        await using (var db = _database.NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Equal(2, (await Numbers.NextAsync(db, "ML", 2033)).Sequence);
            await transaction.CommitAsync();
        }

        await using (var db = _database.NewContext())
        {
            Assert.Equal(3, (await Numbers.NextAsync(db, "ML", 2033)).Sequence);
        }
    }

    [Fact]
    public async Task An_exhausted_year_is_refused_instead_of_wrapping_or_reusing()
    {
        await using var db = _database.NewContext();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO "CaseNumberSequences" ("CountryCode", "Year", "LastNumber") VALUES ('SO', 2034, {CaseNumber.MaxSequence - 1})""");

        Assert.Equal(CaseNumber.MaxSequence, (await Numbers.NextAsync(db, "SO", 2034)).Sequence);
        var refused = await Assert.ThrowsAsync<DomainException>(() => Numbers.NextAsync(db, "SO", 2034));

        Assert.Equal(ErrorCodes.CaseNumberExhausted, refused.Code);
        Assert.Equal(CaseNumber.MaxSequence, (await db.CaseNumberSequences.SingleAsync(s => s.CountryCode == "SO" && s.Year == 2034)).LastNumber);
    }

    [Fact]
    public async Task The_sequence_row_carries_a_concurrency_token()
    {
        await using (var setup = _database.NewContext())
        {
            await Numbers.NextAsync(setup, "CD", 2035);
        }

        await using var first = _database.NewContext();
        await using var second = _database.NewContext();
        var mine = await first.CaseNumberSequences.SingleAsync(s => s.CountryCode == "CD" && s.Year == 2035);
        var theirs = await second.CaseNumberSequences.SingleAsync(s => s.CountryCode == "CD" && s.Year == 2035);
        mine.Next();
        theirs.Next();
        await first.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }
}
