using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.FollowUps;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Configurations;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Persistence;

/// <summary>
/// The queue orders' keys that the database keeps on the case row (<see cref="CaseSortKeys"/>) agree with the domain after
/// every kind of change, on both engines, including two changes racing on one case.
/// </summary>
public sealed class CaseSortKeysTests : IClassFixture<TestDatabase>
{
    private static readonly DateTime Today = new(2026, 5, 4, 9, 0, 0, DateTimeKind.Utc);

    private readonly TestDatabase _database;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(Today));
    private readonly CaseWorld _world;

    public CaseSortKeysTests(TestDatabase database)
    {
        _database = database;
        _world = new CaseWorld(database);
    }

    [Fact]
    public async Task The_next_due_follow_up_follows_every_change_to_the_cases_follow_ups()
    {
        var survivorCase = await _world.NewIntakeAsync();
        Assert.Null(await NextDueAsync(survivorCase.Id));

        var later = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Visit", Today.AddDays(5), isUrgent: false);
        var sooner = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Call", Today.AddDays(3), isUrgent: true);
        await SaveAsync(db => db.AddRange(later, sooner));
        await AssertAgreesAsync(survivorCase.Id, Today.AddDays(3));

        await ChangeAsync(sooner.Id, f => f.Snooze(Today.AddDays(7), "The person asked to wait", "advocate", _clock));
        await AssertAgreesAsync(survivorCase.Id, Today.AddDays(5));

        await ChangeAsync(later.Id, f => f.Move(Today.AddDays(9), "New appointment", "advocate", _clock));
        await AssertAgreesAsync(survivorCase.Id, Today.AddDays(7));

        await ChangeAsync(sooner.Id, f => f.Complete("advocate", _clock));
        await AssertAgreesAsync(survivorCase.Id, Today.AddDays(9));

        await ChangeAsync(later.Id, f => f.Cancel("No longer needed", "advocate", _clock));
        await AssertAgreesAsync(survivorCase.Id, null);

        // Removed outside the application (nothing in it deletes a follow-up): the key still follows.
        var removed = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Check", Today.AddDays(1), isUrgent: false);
        await SaveAsync(db => db.Add(removed));
        await AssertAgreesAsync(survivorCase.Id, Today.AddDays(1));
        await using (var db = _database.NewContext())
        {
            await db.Set<FollowUp>().Where(f => f.Id == removed.Id).ExecuteDeleteAsync();
        }

        await AssertAgreesAsync(survivorCase.Id, null);
    }

    [Fact]
    public async Task The_assignees_name_follows_claims_releases_and_renames()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var survivorCase = await _world.NewIntakeAsync();
        Assert.Null(await AssigneeNameAsync(survivorCase.Id));

        await ChangeCaseAsync(survivorCase.Id, c => c.Claim(advocate.UserId, _clock));
        Assert.Equal(advocate.DisplayName, await AssigneeNameAsync(survivorCase.Id));

        await using (var db = _database.NewContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == advocate.UserId);
            user.DisplayName = "Amina Ndiaye";
            await db.SaveChangesAsync();
        }

        Assert.Equal("Amina Ndiaye", await AssigneeNameAsync(survivorCase.Id));

        await ChangeCaseAsync(survivorCase.Id, c => c.Release(advocate.UserId));
        Assert.Null(await AssigneeNameAsync(survivorCase.Id));

        // A case written with its advocate already set (an import, the benchmark's loader) gets the name too.
        var claimedAtOnce = Case.OpenFromIntake(await NextNumberAsync(), "CF", RiskLevel.High, "fr", null, _clock);
        claimedAtOnce.Claim(advocate.UserId, _clock);
        await SaveAsync(db => db.Add(claimedAtOnce));
        Assert.Equal("Amina Ndiaye", await AssigneeNameAsync(claimedAtOnce.Id));
    }

    [Fact]
    public async Task Recomputing_from_scratch_gives_what_the_triggers_keep()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var survivorCase = await _world.NewIntakeAsync();
        await ChangeCaseAsync(survivorCase.Id, c => c.Claim(advocate.UserId, _clock));
        var snoozed = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Call", Today.AddDays(1), isUrgent: false);
        snoozed.Snooze(Today.AddDays(4), "Travelling", "advocate", _clock);
        await SaveAsync(db => db.AddRange(snoozed, FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Visit", Today.AddDays(6), isUrgent: false)));

        await using (var db = _database.NewContext())
        {
            await db.Set<Case>().ExecuteUpdateAsync(s => s
                .SetProperty(c => EF.Property<DateTime?>(c, CaseSortKeys.NextFollowUpDue), (DateTime?)null)
                .SetProperty(c => EF.Property<string?>(c, CaseSortKeys.AssigneeName), (string?)null));
            Assert.Null(await NextDueAsync(survivorCase.Id));
            await db.Database.ExecuteSqlRawAsync(CaseSortKeys.RecomputeSql);
        }

        await AssertAgreesAsync(survivorCase.Id, Today.AddDays(4));
        Assert.Equal(advocate.DisplayName, await AssigneeNameAsync(survivorCase.Id));
    }

    /// <summary>
    /// Two people each complete one of a case's two follow-ups at the same moment. The second must work the minimum out
    /// from what the first committed: read before, it would still see the first follow-up open and keep its date.
    /// </summary>
    [Fact]
    public async Task Two_follow_ups_of_one_case_done_at_once_leave_the_true_next_due()
    {
        var survivorCase = await _world.NewIntakeAsync();
        var first = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Call", Today.AddDays(1), isUrgent: false);
        var second = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Visit", Today.AddDays(2), isUrgent: false);
        await SaveAsync(db => db.AddRange(first, second));

        await using var one = _database.NewContext("advocate-a");
        await using var oneTransaction = await one.Database.BeginTransactionAsync();
        await CompleteAsync(one, first.Id);

        // On its own thread: SQLite's BEGIN IMMEDIATE already waits for the first writer.
        var otherDone = Task.Run(async () =>
        {
            await using var other = _database.NewContext("advocate-b");
            await using var otherTransaction = await other.Database.BeginTransactionAsync();
            await CompleteAsync(other, second.Id);
            await otherTransaction.CommitAsync();
        });
        if (_database.IsPostgres)
        {
            // The race needs the second change under way before the first commits: its trigger then waits for the case
            // row. SQLite admits one writer at a time, so there the second starts only once the first has committed.
            await Eventually.TrueAsync(
                async () => (long)(await _database.QueryAsync(
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()")).Single()! > 0,
                TimeSpan.FromSeconds(30),
                () => "The second change never waited for the first.");
            Assert.False(otherDone.IsCompleted);
        }

        await oneTransaction.CommitAsync();
        await otherDone;

        await AssertAgreesAsync(survivorCase.Id, null);
    }

    private static Task<int> CompleteAsync(PortalDbContext db, Guid followUpId) =>
        db.Set<FollowUp>().Where(f => f.Id == followUpId).ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, FollowUpStatus.Done));

    /// <summary>The key equals the domain's rule over the case's follow-ups, and the value the test expects of it.</summary>
    private async Task AssertAgreesAsync(Guid caseId, DateTime? expected)
    {
        await using var db = _database.NewContext();
        var followUps = await db.Set<FollowUp>().Where(f => f.CaseId == caseId).ToListAsync();
        var byDomain = followUps.Where(f => f.IsOpen).Select(f => (DateTime?)f.EffectiveDueAtUtc).Min();
        var kept = await NextDueAsync(caseId);
        Assert.Equal(byDomain, kept);
        Assert.Equal(expected, kept);
    }

    private async Task<DateTime?> NextDueAsync(Guid caseId)
    {
        await using var db = _database.NewContext();
        var kept = await db.Set<Case>().Where(c => c.Id == caseId).Select(c => EF.Property<DateTime?>(c, CaseSortKeys.NextFollowUpDue)).SingleAsync();
        return kept is { } value ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : null;
    }

    private async Task<string?> AssigneeNameAsync(Guid caseId)
    {
        await using var db = _database.NewContext();
        return await db.Set<Case>().Where(c => c.Id == caseId).Select(c => EF.Property<string?>(c, CaseSortKeys.AssigneeName)).SingleAsync();
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

    private async Task<CaseNumber> NextNumberAsync()
    {
        await using var db = _database.NewContext();
        return await _database.Service<CaseNumbers>().NextAsync(db, "CF", _clock);
    }
}
