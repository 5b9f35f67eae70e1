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

    private readonly TestDatabase _database;

    public FieldEncryptionTests(TestDatabase database) => _database = database;

    [Fact]
    public async Task Identifying_fields_never_reach_the_database_file_in_clear_and_read_back_decrypted()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 10, 0, 0, TimeSpan.Zero));
        Case survivorCase;
        string referenceCode;
        await using (var db = _database.NewContext())
        {
            var submission = IntakeSubmission.Receive(
                new IntakeDetails("fr", "CF", "Bangui", IntakeStory, [HelpKind.Safety], [ContactChannel.TrustedPerson], IntakeContact, SafeTimes, ChildBornAnswer.No),
                clock);
            submission.AddInformation($"My new number is {Phone}", clock);
            referenceCode = submission.ReferenceCode;
            var number = await _database.Service<CaseNumbers>().NextAsync(db, "CF", clock);
            survivorCase = Case.OpenFromIntake(number, "CF", RiskLevel.High, "fr", null, clock, submission.Id);
            submission.LinkToCase(survivorCase.Id);
            db.IntakeSubmissions.Add(submission);
            db.Cases.Add(survivorCase);
            db.IdentityRecords.Add(IdentityRecord.Create(survivorCase.Id, new IdentityDetails(
                GivenName, FamilyName, GivenName + " Junior", Phone, Email, ContactChannel.Phone, SafeTimes, Address)));
            await db.SaveChangesAsync();
        }

        await using (var db = _database.NewContext())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        var files = ReadDatabaseFiles();
        Assert.True(Contains(files, survivorCase.Number), "sanity: unprotected values such as the case number are found by the scan");
        foreach (var secret in new[] { GivenName, FamilyName, Phone, Email, Address, SafeTimes, IntakeContact, IntakeStory, "Wombatcrescent", "31337", "27182" })
        {
            Assert.False(Contains(files, secret), $"'{secret}' appears in clear in the database files");
        }

        await using var fresh = _database.NewContext();
        var identity = await fresh.IdentityRecords.SingleAsync(i => i.CaseId == survivorCase.Id);
        var loadedSubmission = await fresh.IntakeSubmissions.SingleAsync(s => s.ReferenceCode == referenceCode);
        Assert.Equal((GivenName, FamilyName, Phone, Email, SafeTimes, Address), (identity.GivenName, identity.FamilyName, identity.Phone, identity.Email, identity.SafeContactTimes, identity.ExactAddress));
        Assert.Equal(GivenName + " Junior", identity.OtherNames);
        Assert.Equal((IntakeContact, IntakeStory, SafeTimes), (loadedSubmission.ContactDetails, loadedSubmission.WhatHappened, loadedSubmission.SafeTimes));
        Assert.Equal($"My new number is {Phone}", Assert.Single(loadedSubmission.AdditionalInformation).Text);

        var stored = await _database.QueryAsync("""SELECT "Phone" FROM "IdentityRecords" WHERE "CaseId" = @id""", ("@id", survivorCase.Id.ToString().ToUpperInvariant()));
        Assert.DoesNotContain("7777", (string)Assert.Single(stored)!, StringComparison.Ordinal);
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
