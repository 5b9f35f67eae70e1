using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Persistence;

/// <summary>
/// Every case's protected fields are sealed with a key of the case's own, so that destroying that one key (retention)
/// makes every field of the case unreadable, wherever a copy of it lies, and leaves every other case as it was.
/// </summary>
public sealed class CaseKeyTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _database;

    public CaseKeyTests(TestDatabase database) => _database = database;

    private FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 5, 4, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Each_case_has_a_key_of_its_own_and_destroying_it_leaves_the_other_cases_readable()
    {
        var first = await CaseWithIdentityAsync("Amadou", "+236 70 11 11 11");
        var second = await CaseWithIdentityAsync("Béatrice", "+236 70 22 22 22");
        var firstStored = await StoredAsync(first.Id, "GivenName");
        var secondStored = await StoredAsync(second.Id, "GivenName");

        // The stored value names the key that sealed it: the case's own live key, a different one for each case.
        Assert.Equal(await LiveKeyIdAsync(first.Id), KeyIdOf(firstStored));
        Assert.Equal(await LiveKeyIdAsync(second.Id), KeyIdOf(secondStored));
        Assert.NotEqual(KeyIdOf(firstStored), KeyIdOf(secondStored));
        Assert.Equal(KeyIdOf(firstStored), KeyIdOf(await StoredAsync(first.Id, "Phone")));

        await using (var db = _database.NewContext())
        {
            Assert.Equal(1, await _database.Service<CaseKeyRing>().DestroyAsync(db, first.Id, Clock.GetUtcNow().UtcDateTime, CancellationToken.None));
        }

        var protector = _database.Service<FieldProtector>();
        Assert.Throws<ProtectedDataUnreadableException>(() => protector.Open(firstStored));
        Assert.Equal("Béatrice", protector.Open(secondStored));
        await using var fresh = _database.NewContext();
        await Assert.ThrowsAsync<ProtectedDataUnreadableException>(() => fresh.IdentityRecords.AsNoTracking().SingleAsync(i => i.CaseId == first.Id));
        Assert.Equal("+236 70 22 22 22", (await fresh.IdentityRecords.AsNoTracking().SingleAsync(i => i.CaseId == second.Id)).Phone);
    }

    [Fact]
    public async Task A_changed_protected_field_is_sealed_again_and_an_unchanged_one_is_not_written()
    {
        var survivorCase = await CaseWithIdentityAsync("Chantal", "+236 70 33 33 33");
        var before = await StoredAsync(survivorCase.Id, "Phone");

        await using (var db = _database.NewContext())
        {
            var identity = await db.IdentityRecords.SingleAsync(i => i.CaseId == survivorCase.Id);
            identity.Update(Details("Chantal", "+236 70 33 33 33"));
            Assert.Equal(0, await db.SaveChangesAsync());
        }

        Assert.Equal(before, await StoredAsync(survivorCase.Id, "Phone"));

        await using (var db = _database.NewContext())
        {
            var identity = await db.IdentityRecords.SingleAsync(i => i.CaseId == survivorCase.Id);
            identity.Update(Details("Chantal", "+236 75 44 44 44"));
            Assert.Equal(1, await db.SaveChangesAsync());
        }

        var after = await StoredAsync(survivorCase.Id, "Phone");
        Assert.NotEqual(before, after);
        Assert.DoesNotContain("44 44", after, StringComparison.Ordinal);
        await using var fresh = _database.NewContext();
        var reloaded = await fresh.IdentityRecords.SingleAsync(i => i.CaseId == survivorCase.Id);
        Assert.Equal(("Chantal", "+236 75 44 44 44"), (reloaded.GivenName, reloaded.Phone));
        Assert.NotNull(reloaded.ChangedAtUtc);
    }

    [Fact]
    public async Task A_file_key_sealed_with_the_case_key_opens_until_the_case_key_is_destroyed()
    {
        var survivorCase = await CaseAsync();
        var fileKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var protector = _database.Service<FieldProtector>();
        byte[] sealedKey;
        await using (var db = _database.NewContext())
        {
            sealedKey = await protector.SealForCaseAsync(db, survivorCase.Id, fileKey);
            await db.SaveChangesAsync(); // the case had no key: the one just made is saved
        }

        Assert.Equal(fileKey, protector.Open(sealedKey));
        Assert.Equal(await LiveKeyIdAsync(survivorCase.Id), new Guid(sealedKey.AsSpan(1, 16)));
        await using (var db = _database.NewContext())
        {
            await _database.Service<CaseKeyRing>().DestroyAsync(db, survivorCase.Id, Clock.GetUtcNow().UtcDateTime, CancellationToken.None);
        }

        Assert.Throws<ProtectedDataUnreadableException>(() => protector.Open(sealedKey));
    }

    [Fact]
    public async Task A_stored_value_that_was_altered_is_refused_not_shown()
    {
        var survivorCase = await CaseWithIdentityAsync("Dieudonné", "+236 70 55 55 55");
        var stored = Convert.FromBase64String(await StoredAsync(survivorCase.Id, "GivenName"));
        stored[^1] ^= 0x01;
        await using (var db = _database.NewContext())
        {
            await db.Database.ExecuteSqlAsync($"""UPDATE "IdentityRecords" SET "GivenName" = {Convert.ToBase64String(stored)} WHERE "CaseId" = {survivorCase.Id}""");
        }

        await using var fresh = _database.NewContext();
        var refusal = await Assert.ThrowsAsync<ProtectedDataUnreadableException>(() => fresh.IdentityRecords.AsNoTracking().SingleAsync(i => i.CaseId == survivorCase.Id));
        Assert.Contains("altered", refusal.Message, StringComparison.Ordinal);
    }

    private static IdentityDetails Details(string name, string phone) => new(name, "Test", null, phone, null, ContactChannel.Phone, "evenings", null);

    private async Task<Case> CaseAsync()
    {
        await using var db = _database.NewContext();
        var number = await _database.Service<CaseNumbers>().NextAsync(db, "CF", Clock);
        var survivorCase = Case.OpenFromIntake(number, "CF", RiskLevel.Medium, "fr", null, Clock);
        db.Add(survivorCase);
        await db.SaveChangesAsync();
        return survivorCase;
    }

    private async Task<Case> CaseWithIdentityAsync(string name, string phone)
    {
        await using var db = _database.NewContext();
        var number = await _database.Service<CaseNumbers>().NextAsync(db, "CF", Clock);
        var survivorCase = Case.OpenFromIntake(number, "CF", RiskLevel.Medium, "fr", null, Clock);
        db.Add(survivorCase);
        db.Add(IdentityRecord.Create(survivorCase.Id, Details(name, phone)));
        await db.SaveChangesAsync();
        return survivorCase;
    }

    private async Task<string> StoredAsync(Guid caseId, string column) =>
        Assert.IsType<string>(Assert.Single(await _database.QueryAsync($"""SELECT "{column}" FROM "IdentityRecords" WHERE "CaseId" = @id""", ("@id", _database.Id(caseId)))));

    private async Task<Guid> LiveKeyIdAsync(Guid caseId)
    {
        await using var db = _database.NewContext();
        return await db.Set<CaseKey>().Where(k => k.CaseId == caseId && k.DestroyedAtUtc == null).Select(k => k.Id).SingleAsync();
    }

    private static Guid KeyIdOf(string stored) => new(Convert.FromBase64String(stored).AsSpan(1, 16));
}
