using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Intake;
using Portal.Infrastructure.Data;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Persistence;

/// <summary>A copy of the database file alone must not reveal who a survivor is or how to reach them.</summary>
public sealed class FieldEncryptionTests : IClassFixture<TestDatabase>
{
    private const string GivenName = "Quokkabelle";
    private const string FamilyName = "Zanzibarova-Tesst";
    private const string Phone = "+999 7777 31337";
    private const string Email = "quokkabelle.zanzibarova@example.org";
    private const string Address = "Rue Xylophonique 4321";
    private const string SafeTimes = "Only Thursdays at dusk";
    private const string IntakeContact = "+999 4444 27182 via my aunt";
    private const string IntakeStory = "Wombatcrescent happened near the river";
    private const string NewSafeTimes = "After the Tapirwalk market closes";
    private const string Message = "Dear Numbatine, we will call after the Kinkajou hour";

    // Quasi-identifiers: a place below the country, and what is said of a disability, identify a person with a date.
    private const string Area = "Village Okapimbele";
    private const string District = "Quartier Pangolinville";
    private const string Disability = "Walks with a Xerusian cane";

    private readonly TestDatabase _database;

    public FieldEncryptionTests(TestDatabase database) => _database = database;

    private static readonly string[] Secrets =
        [GivenName, FamilyName, Phone, Email, Address, SafeTimes, IntakeContact, IntakeStory, "Wombatcrescent", "31337", "27182",
         Area, "Okapimbele", District, "Pangolinville", Disability, "Xerusian", NewSafeTimes, "Tapirwalk", Message, "Numbatine", "Kinkajou"];

    [Fact]
    [Trait(TestPostgres.DatabaseTrait, TestPostgres.SqliteOnly)]
    public async Task Identifying_fields_never_reach_the_database_file_in_clear_and_read_back_decrypted()
    {
        var (survivorCase, referenceCode) = await SaveSurvivorAsync();

        await using (var db = _database.NewContext())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        var files = ReadDatabaseFiles();
        Assert.True(Contains(files, survivorCase.Number), "sanity: unprotected values such as the case number are found by the scan");
        foreach (var secret in Secrets)
        {
            Assert.False(Contains(files, secret), $"'{secret}' appears in clear in the database files");
        }

        await AssertReadsBackDecryptedAsync(survivorCase, referenceCode);
    }

    /// <summary>The same on any engine, asked through SQL: every protected column holds ciphertext only.</summary>
    [Fact]
    public async Task Identifying_columns_hold_only_ciphertext_and_read_back_decrypted()
    {
        var (survivorCase, referenceCode) = await SaveSurvivorAsync();

        var id = ("@id", _database.Id(survivorCase.Id));
        var stored = new List<object?>();
        foreach (var column in new[] { "GivenName", "FamilyName", "OtherNames", "Phone", "Email", "SafeContactTimes", "ExactAddress" })
        {
            stored.AddRange(await _database.QueryAsync($"""SELECT "{column}" FROM "IdentityRecords" WHERE "CaseId" = @id""", id));
        }

        foreach (var column in new[] { "ContactDetails", "WhatHappened", "SafeTimes", "Area" })
        {
            stored.AddRange(await _database.QueryAsync($"""SELECT "{column}" FROM "IntakeSubmissions" WHERE "CaseId" = @id""", id));
        }

        foreach (var column in new[] { "Profile_District", "Profile_DisabilityDetails" })
        {
            stored.AddRange(await _database.QueryAsync($"""SELECT "{column}" FROM "Cases" WHERE "Id" = @id""", id));
        }

        foreach (var column in new[] { "Text", "SafeTimes" })
        {
            stored.AddRange(await _database.QueryAsync(
                $"""SELECT a."{column}" FROM "IntakeAdditions" a JOIN "IntakeSubmissions" s ON s."Id" = a."IntakeSubmissionId" WHERE s."CaseId" = @id""", id));
        }

        stored.AddRange(await _database.QueryAsync("""SELECT "Text" FROM "PersonMessages" WHERE "CaseId" = @id""", id));

        Assert.Equal(16, stored.Count);
        var sanity = await _database.QueryAsync("""SELECT "Number" FROM "Cases" WHERE "Id" = @id""", id);
        Assert.Equal(survivorCase.Number, Assert.Single(sanity));
        foreach (var value in stored)
        {
            var text = Assert.IsType<string>(value);
            Assert.All(Secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain("7777", text, StringComparison.Ordinal);
        }

        await AssertReadsBackDecryptedAsync(survivorCase, referenceCode);
    }

    private async Task<(Case Case, string ReferenceCode)> SaveSurvivorAsync()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 10, 0, 0, TimeSpan.Zero));
        await using var db = _database.NewContext();
        var submission = IntakeSubmission.Receive(
            new IntakeDetails("fr", "CF", Area, IntakeStory, [HelpKind.Safety], [ContactChannel.TrustedPerson], IntakeContact, SafeTimes, ChildBornAnswer.No),
            clock);
        submission.AddInformation($"My new number is {Phone}", NewSafeTimes, clock);
        var number = await _database.Service<CaseNumbers>().NextAsync(db, "CF", clock);
        var survivorCase = Case.OpenFromIntake(number, "CF", RiskLevel.High, "fr", null, clock, submission.Id,
            SurvivorProfile.Create(Sex.Female, AgeGroup.Adult, null, 1990, ["fr"], true, Disability, District, false, clock));
        submission.LinkToCase(survivorCase.Id);
        db.IntakeSubmissions.Add(submission);
        db.Cases.Add(survivorCase);
        db.IdentityRecords.Add(IdentityRecord.Create(survivorCase.Id, new IdentityDetails(
            GivenName, FamilyName, GivenName + " Junior", Phone, Email, ContactChannel.Phone, SafeTimes, Address)));
        db.PersonMessages.Add(PersonMessage.Write(survivorCase.Id, Message, "test-user", "Amina", clock));
        await db.SaveChangesAsync();
        return (survivorCase, submission.ReferenceCode);
    }

    private async Task AssertReadsBackDecryptedAsync(Case survivorCase, string referenceCode)
    {
        await using var fresh = _database.NewContext();
        var identity = await fresh.IdentityRecords.SingleAsync(i => i.CaseId == survivorCase.Id);
        var loadedSubmission = await fresh.IntakeSubmissions.SingleAsync(s => s.ReferenceCode == referenceCode);
        Assert.Equal((GivenName, FamilyName, Phone, Email, SafeTimes, Address), (identity.GivenName, identity.FamilyName, identity.Phone, identity.Email, identity.SafeContactTimes, identity.ExactAddress));
        Assert.Equal(GivenName + " Junior", identity.OtherNames);
        Assert.Equal((IntakeContact, IntakeStory, SafeTimes), (loadedSubmission.ContactDetails, loadedSubmission.WhatHappened, loadedSubmission.SafeTimes));
        var addition = Assert.Single(loadedSubmission.AdditionalInformation);
        Assert.Equal(($"My new number is {Phone}", NewSafeTimes), (addition.Text, addition.SafeTimes));
        Assert.Equal(Message, (await fresh.PersonMessages.SingleAsync(m => m.CaseId == survivorCase.Id)).Text);
        Assert.Equal(Area, loadedSubmission.Area);
        var loadedCase = await fresh.Cases.SingleAsync(c => c.Id == survivorCase.Id);
        Assert.Equal((District, Disability), (loadedCase.Profile.District, loadedCase.Profile.DisabilityDetails));
        Assert.Equal((Sex.Female, 1990), (loadedCase.Profile.Sex, loadedCase.Profile.BirthYear)); // coarse values stay in clear for the dashboard
    }

    private List<byte[]> ReadDatabaseFiles() =>
        new[] { _database.DatabaseFile, _database.DatabaseFile + "-wal", _database.DatabaseFile + "-journal" }
            .Where(File.Exists)
            .Select(path =>
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            })
            .ToList();

    private static bool Contains(List<byte[]> files, string text) =>
        new[] { Encoding.UTF8, Encoding.Unicode, Encoding.BigEndianUnicode }
            .Select(encoding => encoding.GetBytes(text))
            .Any(needle => files.Any(file => file.AsSpan().IndexOf(needle) >= 0));
}
