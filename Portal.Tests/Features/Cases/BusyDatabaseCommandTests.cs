using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Features.Cases;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.Integration.Persistence;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Cases;

/// <summary>A real SQLite file whose portal waits one second for another writer before it calls the database busy.</summary>
public sealed class BusyCaseDatabase : IDisposable
{
    public TestDatabase Database { get; } = new(new BusyDatabaseApp());

    public void Dispose() => Database.Dispose();
}

/// <summary>
/// Case commands while another writer holds the database: the answer is "busy, try again" (nothing saved), never "someone
/// else has taken it" nor a conflict, and the same command succeeds once the database is free. SQLite only: its write lock
/// is what a held database looks like there (PostgreSQL's row locks are classified as busy in <see cref="DatabaseBusyTests"/>).
/// </summary>
[Trait(TestPostgres.DatabaseTrait, TestPostgres.SqliteOnly)]
public sealed class BusyDatabaseCommandTests : IClassFixture<BusyCaseDatabase>
{
    private readonly CaseWorld _world;

    public BusyDatabaseCommandTests(BusyCaseDatabase database) => _world = new CaseWorld(database.Database);

    [Fact]
    public async Task A_claim_and_a_release_while_the_database_is_held_are_busy_not_lost_races_and_go_through_afterwards()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var cases = _world.CasesFor(advocate);
        var intake = await _world.NewIntakeAsync("CF");
        var worked = await _world.NewIntakeAsync("CF");
        Assert.True((await cases.ClaimAsync(advocate, worked.Id)).Succeeded);
        var seen = await _world.SeenAsync<Case>(worked.Id);

        CommandResult<string> claim;
        CommandResult release;
        await using (var holder = _world.Database.NewContext())
        {
            // Another writer in the middle of its own transaction holds SQLite's write lock.
            await using var held = await holder.Database.BeginTransactionAsync();
            await holder.Database.ExecuteSqlAsync($"""UPDATE "Cases" SET "RiskLevel" = "RiskLevel" WHERE "Id" = {_world.Database.Id(intake.Id)}""");

            claim = await cases.ClaimAsync(advocate, intake.Id);
            release = await cases.ReleaseAsync(advocate, seen);
        }

        Assert.Equal((CommandOutcome.Refused, DatabaseBusy.Code, (string?)null), (claim.Outcome, claim.Code, claim.Value));
        Assert.Equal((CommandOutcome.Refused, DatabaseBusy.Code), (release.Outcome, release.Code));
        await using (var db = _world.Database.NewContext())
        {
            Assert.Null(await db.Set<Case>().Where(c => c.Id == intake.Id).Select(c => c.AssignedAdvocateId).SingleAsync());
            Assert.Equal(advocate.UserId, await db.Set<Case>().Where(c => c.Id == worked.Id).Select(c => c.AssignedAdvocateId).SingleAsync());
        }

        // Retryable: the same commands succeed once the other writer is done.
        Assert.True((await cases.ClaimAsync(advocate, intake.Id)).Succeeded);
        Assert.True((await cases.ReleaseAsync(advocate, seen)).Succeeded);
    }
}
