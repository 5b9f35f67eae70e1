using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Intake;
using Portal.Domain.Reminders;
using Portal.Features.Cases;
using Portal.Features.Dashboard;
using Portal.Features.Intake;
using Portal.Features.Queues;
using Portal.Features.Retention;
using Portal.Features.Shared;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Resources;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Retention;

/// <summary>
/// A configured time after closure, the recurring job destroys who the person was (identity, contact details, their own
/// account), cryptographically: the case key goes, so no copy of the ciphertext can be read again. The case keeps its
/// number, its figures and its audit trail; a case a coordinator holds is kept.
/// </summary>
public sealed class RetentionTests : IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly TestDatabase _database;
    private readonly CaseWorld _world;

    public RetentionTests(TestDatabase database)
    {
        _database = database;
        _world = new CaseWorld(database);
    }

    [Fact]
    public async Task An_old_closed_case_loses_who_the_person_was_and_keeps_its_number_figures_and_trail()
    {
        var (advocate, coordinator) = await StaffAsync("SS");
        var old = await ClosedCaseAsync("SS", new DateTime(2015, 3, 2, 10, 0, 0, DateTimeKind.Utc), advocate, coordinator);
        var recent = await ClosedCaseAsync("SS", new DateTime(2020, 3, 2, 10, 0, 0, DateTimeKind.Utc), advocate, coordinator);
        var held = await ClosedCaseAsync("SS", new DateTime(2014, 3, 2, 10, 0, 0, DateTimeKind.Utc), advocate, coordinator);
        var elsewhere = await ClosedCaseAsync("ML", new DateTime(2010, 3, 2, 10, 0, 0, DateTimeKind.Utc), advocate, coordinator);
        var retention = ServicesAs.Create<RetentionService>(_database.Services, new TestCurrentUser(coordinator));
        Assert.True((await retention.HoldAsync(held.Id, "Paternity claim before the Member State's court")).Succeeded);

        var storedName = await StoredAsync("IdentityRecords", "GivenName", "CaseId", old.Id);
        var referenceCode = await ReferenceCodeAsync(old.Id);
        Assert.NotNull(await StatusAsync(referenceCode));
        var storedAccount = await StoredAsync("IntakeSubmissions", "WhatHappened", "CaseId", old.Id);
        var before = await FiguresAsync(coordinator, "SS", 2015);

        Assert.Equal(1, await Job(("SS", 10)).RunAsync(CancellationToken.None));

        // Who the person was is gone: no identity record, no account, and no key that could open a copy of either.
        await using (var db = _database.NewContext())
        {
            var erased = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == old.Id);
            Assert.Equal(Now.UtcDateTime, erased.ErasedAtUtc);
            Assert.Equal(old.Number, erased.Number);
            Assert.Equal((null, null, Sex.Female, 1995), (erased.Profile.District, erased.Profile.DisabilityDetails, erased.Profile.Sex, erased.Profile.BirthYear));
            Assert.False(await db.IdentityRecords.AnyAsync(i => i.CaseId == old.Id));
            Assert.False(await db.PersonMessages.AnyAsync(m => m.CaseId == old.Id));
            var submission = await db.IntakeSubmissions.AsNoTracking().SingleAsync(s => s.CaseId == old.Id);
            Assert.Equal((string.Empty, null, null, null, null), (submission.WhatHappened, submission.ContactDetails, submission.SafeTimes, submission.PassphraseHash, submission.Area));
            Assert.Empty(submission.AdditionalInformation);
            Assert.Equal([HelpKind.Medical], submission.HelpWanted);
            var key = await db.Set<CaseKey>().AsNoTracking().SingleAsync(k => k.CaseId == old.Id);
            Assert.Null(key.WrappedKey);
            Assert.Equal(Now.UtcDateTime, key.DestroyedAtUtc);
        }

        // The person's way back to the request goes too: the status page answers as for an unknown code.
        Assert.Null(await StatusAsync(referenceCode));

        var protector = _database.Service<FieldProtector>();
        Assert.Throws<ProtectedDataUnreadableException>(() => protector.Open(storedName));
        Assert.Throws<ProtectedDataUnreadableException>(() => protector.Open(storedAccount));
        var (reveal, identity) = await _world.CasesFor(coordinator).RevealIdentityAsync(coordinator, old.Id, "Checking before the annual report");
        Assert.Equal(("identity.erased", (IdentityView?)null), (reveal.Code, identity));

        // The figures of 2015, their export and the case lists count it as before.
        Assert.Equal(before, await FiguresAsync(coordinator, "SS", 2015));

        // Kept: closed too recently, held by a coordinator, in a country without a retention period.
        foreach (var kept in new[] { recent, held, elsewhere })
        {
            var (result, keptIdentity) = await _world.CasesFor(coordinator).RevealIdentityAsync(coordinator, kept.Id, "Checking the case is kept");
            Assert.True(result.Succeeded, kept.Number);
            Assert.Equal("Amina", keptIdentity!.Details.GivenName);
        }

        // Audited: the erasure (by the job, without personal data) and the refused reveal; the chain still verifies.
        await using (var db = _database.NewContext())
        {
            var erasure = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == AuditAction.ErasedByRetention && e.RecordId == old.Id.ToString());
            Assert.Equal("retention-job", erasure.UserName);
            Assert.Contains("closed 2015-03-02; rule SS: 10 year(s)", erasure.Detail, StringComparison.Ordinal);
            Assert.Contains("1 case key(s) destroyed", erasure.Detail, StringComparison.Ordinal);
            Assert.Single(await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditAction.RevealFailed && e.RecordId == old.Id.ToString()).ToListAsync());
            Assert.True(AuditChain.Verify(await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync()).IsIntact);
        }

        // Once is enough: the next run finds nothing more to do.
        Assert.Equal(0, await Job(("SS", 10)).RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Released_from_its_hold_a_case_is_erased_on_the_next_run()
    {
        var (advocate, coordinator) = await StaffAsync("CD");
        var survivorCase = await ClosedCaseAsync("CD", new DateTime(2012, 1, 10, 10, 0, 0, DateTimeKind.Utc), advocate, coordinator);
        var asCoordinator = ServicesAs.Create<RetentionService>(_database.Services, new TestCurrentUser(coordinator));
        var asAdvocate = ServicesAs.Create<RetentionService>(_database.Services, new TestCurrentUser(advocate));

        var byAdvocate = await asAdvocate.HoldAsync(survivorCase.Id, "I would like to keep it");
        var withoutReason = await asCoordinator.HoldAsync(survivorCase.Id, "  ");
        var hold = await asCoordinator.HoldAsync(survivorCase.Id, "Open legal claim");
        var status = await asCoordinator.GetAsync(survivorCase.Id);
        Assert.Equal(CommandOutcome.Forbidden, byAdvocate.Outcome);
        Assert.Equal(CommandOutcome.Refused, withoutReason.Outcome);
        Assert.True(hold.Succeeded);
        Assert.Equal(("Open legal claim", coordinator.DisplayName, true), (status!.HoldReason, status.HeldBy, status.CanHold));
        Assert.Equal(0, await Job(("CD", 5)).RunAsync(CancellationToken.None));

        Assert.True((await asCoordinator.ReleaseAsync(survivorCase.Id)).Succeeded);
        Assert.Equal(1, await Job(("CD", 5)).RunAsync(CancellationToken.None));

        var after = await asCoordinator.GetAsync(survivorCase.Id);
        Assert.Equal(Now.UtcDateTime, after!.ErasedAtUtc);
        Assert.Equal(CommandOutcome.Refused, (await asCoordinator.HoldAsync(survivorCase.Id, "Too late")).Outcome);
        await using var db = _database.NewContext();
        var trail = await db.AuditEntries.AsNoTracking().Where(e => e.RecordId == survivorCase.Id.ToString()).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
        Assert.Equal([AuditAction.AccessDenied, AuditAction.ErasureHoldPlaced, AuditAction.ErasureHoldReleased, AuditAction.ErasedByRetention], trail);
    }

    /// <summary>The wrapped key is not merely dropped from the table: its bytes are gone from the database file too.</summary>
    [Fact]
    [Trait(TestPostgres.DatabaseTrait, TestPostgres.SqliteOnly)]
    public async Task The_destroyed_key_leaves_no_copy_in_the_database_files()
    {
        var (advocate, coordinator) = await StaffAsync("HT");
        var survivorCase = await ClosedCaseAsync("HT", new DateTime(2013, 5, 5, 10, 0, 0, DateTimeKind.Utc), advocate, coordinator);
        var wrapped = await StoredAsync("CaseKeys", "WrappedKey", "CaseId", survivorCase.Id);
        await using (var db = _database.NewContext())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        Assert.True(DatabaseFilesContain(wrapped), "sanity: the live wrapped key is found by the scan");

        Assert.Equal(1, await Job(("HT", 10)).RunAsync(CancellationToken.None));

        Assert.False(DatabaseFilesContain(wrapped), "the destroyed key's bytes are still in the database files");
    }

    private RetentionJob Job(params (string Country, int Years)[] rules) => new(
        _database.Contexts,
        _database.Services.GetServices<ICaseEraser>(),
        _database.Service<CaseKeyRing>(),
        _database.Service<AuditAppender>(),
        _database.Service<ILiveEvents>(),
        _database.Service<DatabaseSettings>(),
        Options.Create(new RetentionOptions { YearsAfterClosure = rules.ToDictionary(r => r.Country, r => r.Years) }),
        new FakeTimeProvider(Now),
        NullLogger<RetentionJob>.Instance);

    private async Task<(UserScope Advocate, UserScope Coordinator)> StaffAsync(string country) =>
        (await _world.StaffAsync(Roles.Advocate, country), await _world.StaffAsync(Roles.Coordinator, country));

    private Task<Case> ClosedCaseAsync(string country, DateTime closedAtUtc, UserScope advocate, UserScope coordinator) =>
        RetentionCases.ClosedAsync(_database, country, closedAtUtc, advocate, coordinator);

    /// <summary>The year's annual figures, the year's export and the country's case list, as a coordinator sees them.</summary>
    private async Task<(int Opened, int Closed, string Export, int Listed)> FiguresAsync(UserScope coordinator, string country, int year)
    {
        var dashboard = new DashboardService(_database.Contexts, new FakeTimeProvider(Now), _world.AuditFor(coordinator), _database.Service<ReminderPolicy>(), _world.ScopeFor(coordinator));
        var annual = await dashboard.GetAnnualAsync(coordinator, year, country);
        var export = await new DashboardExporter(dashboard, _world.AuditFor(coordinator), Localizers.For<DashboardText>(), Localizers.For<SharedResource>())
            .BuildAsync(coordinator, new DashboardFilter(country, DashboardPeriod.Year, year), ExportFormat.Csv);
        Assert.Contains(export, row => row.Value > 0);
        var listed = await new QueueService(_database.Contexts, new FakeTimeProvider(Now), _database.Service<ReminderPolicy>(), _world.AnyViewersScope)
            .GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, new QueueFilter { CountryCode = country }, PageSize: 100));
        Assert.NotEmpty(listed.Rows);
        return (annual.CasesOpened.Value, annual.CasesClosed.Value, string.Join("\n", export), listed.TotalCount);
    }

    private async Task<string> ReferenceCodeAsync(Guid caseId)
    {
        await using var db = _database.NewContext();
        return await db.IntakeSubmissions.Where(s => s.CaseId == caseId).Select(s => s.ReferenceCode).SingleAsync();
    }

    /// <summary>What the status page shows for the code and the submission's passphrase; null as for an unknown code.</summary>
    private async Task<StatusView?> StatusAsync(string referenceCode)
    {
        using var scope = _database.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IntakeService>().CheckStatusAsync(referenceCode, RetentionCases.Passphrase, CancellationToken.None);
    }

    private async Task<string> StoredAsync(string table, string column, string caseColumn, Guid caseId) =>
        Assert.IsType<string>(Assert.Single(await _database.QueryAsync($"""SELECT "{column}" FROM "{table}" WHERE "{caseColumn}" = @id""", ("@id", _database.Id(caseId)))));

    private bool DatabaseFilesContain(string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return new[] { _database.DatabaseFile, _database.DatabaseFile + "-wal" }.Where(File.Exists).Any(path =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray().AsSpan().IndexOf(needle) >= 0;
        });
    }
}

/// <summary>Cases as retention finds them.</summary>
internal static class RetentionCases
{
    /// <summary>The passphrase of every submission made here, for the status page.</summary>
    public const string Passphrase = "amber-river-seven-lantern";

    /// <summary>A case from a public submission, with an identity, worked and closed at <paramref name="closedAtUtc"/>.</summary>
    public static async Task<Case> ClosedAsync(TestDatabase database, string country, DateTime closedAtUtc, UserScope advocate, UserScope coordinator)
    {
        var clock = new FakeTimeProvider(closedAtUtc.AddDays(-30));
        await using var db = database.NewContext();
        var submission = IntakeSubmission.Receive(
            new IntakeDetails("fr", country, "Quartier Nord", "Il m'a menacée près du camp", [HelpKind.Medical], [ContactChannel.Phone], "Phone: +211 91 000 0000", "le soir", ChildBornAnswer.No),
            clock);
        submission.SetPassphraseHash(database.Service<PassphraseHasher>().Hash(Passphrase));
        submission.AddInformation("Mon nouveau numéro est le +211 92 000 0000", null, clock);
        var number = await database.Service<CaseNumbers>().NextAsync(db, country, clock);
        var survivorCase = Case.OpenFromIntake(number, country, RiskLevel.Medium, "fr", null, clock, submission.Id,
            SurvivorProfile.Create(Sex.Female, AgeGroup.Adult, null, 1995, ["fr"], true, "Uses a wheelchair", "Quartier Nord", false, clock));
        submission.LinkToCase(survivorCase.Id);
        survivorCase.Claim(advocate.UserId, clock);
        clock.SetUtcNow(closedAtUtc.AddDays(-1));
        survivorCase.RequestClosure(CaseClosureReason.AssistanceCompleted, null, OpenWork.Of(survivorCase.Id, [], [], [], null), advocate.UserId, clock);
        clock.SetUtcNow(closedAtUtc);
        survivorCase.ApproveClosure(coordinator.UserId, null, OpenWork.Of(survivorCase.Id, [], [], [], null), clock);
        db.Add(submission);
        db.Add(survivorCase);
        db.Add(IdentityRecord.Create(survivorCase.Id, new IdentityDetails("Amina", "Deng", null, "+211 91 000 0000", null, ContactChannel.Phone, "le soir", "Bloc 4, Juba")));
        db.Add(PersonMessage.Write(survivorCase.Id, "Bonjour Amina, votre rendez-vous est confirmé.", advocate.UserId, null, clock));
        await db.SaveChangesAsync();
        return survivorCase;
    }
}
