using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Consents;
using Portal.Domain.Countries;
using Portal.Domain.FollowUps;
using Portal.Domain.Intake;
using Portal.Domain.Notes;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Infrastructure.Data;
using Portal.Tests.TestSupport;
using ServiceProvider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Tests.Integration.Persistence;

/// <summary>
/// Each aggregate saved with one context and loaded with a fresh one comes back equal in every public property,
/// owned collections and JSON columns included, with every instant still UTC.
/// </summary>
public sealed class RoundTripTests : IClassFixture<TestDatabase>
{
    private const string Advocate = "advocate-rt";
    private const string Coordinator = "coordinator-rt";

    private readonly TestDatabase _database;

    public RoundTripTests(TestDatabase database) => _database = database;

    /// <summary>
    /// Odd ticks on purpose: sub-second precision must survive SQLite's text dates, and PostgreSQL's microseconds must
    /// keep everything but the last tick digit.
    /// </summary>
    private static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));

    [Fact]
    public async Task A_case_with_profile_allegation_consents_and_history_round_trips()
    {
        var clock = NewClock();
        var (survivorCase, _) = await SaveNewCaseAsync(clock, fullHistory: true);

        await using var db = _database.NewContext();
        var loaded = await db.Cases.SingleAsync(c => c.Id == survivorCase.Id);

        Assert.Equal(Snapshot.Of(survivorCase), Snapshot.Of(loaded));
        Assert.Equal(2, loaded.Consents.Count);
        Assert.True(loaded.StatusHistory.Count >= 10);
        Assert.Equal(["fr", "ln"], loaded.Profile.Languages);
        Assert.Equal(2, loaded.Consents.Single(c => c.Sequence == 1).SharedWithProviderIds.Count);
        Assert.NotNull(loaded.Allegation);
        Assert.Equal(DateTimeKind.Utc, loaded.OpenedAtUtc.Kind);
        Assert.Equal(DateTimeKind.Utc, loaded.FirstContactAtUtc!.Value.Kind);
        Assert.Equal(DateTimeKind.Utc, loaded.CreatedAtUtc.Kind);
        Assert.All(loaded.StatusHistory, h => Assert.Equal(DateTimeKind.Utc, h.AtUtc.Kind));
        Assert.All(loaded.Consents, c => Assert.Equal(DateTimeKind.Utc, c.RecordedAtUtc.Kind));
        Assert.Equal(DateTimeKind.Utc, loaded.Consents.Single(c => c.Sequence == 1).RevokedAtUtc!.Value.Kind);
        Assert.Equal(TestPostgres.AsStored(survivorCase.OpenedAtUtc).Ticks, loaded.OpenedAtUtc.Ticks);
        Assert.Equal("test-user", loaded.CreatedBy);
    }

    [Fact]
    public async Task Replacing_the_profile_and_allegation_and_adding_consent_on_a_loaded_case_round_trips()
    {
        var clock = NewClock();
        var (saved, provider) = await SaveNewCaseAsync(clock, fullHistory: false);

        Case changed;
        await using (var db = _database.NewContext("advocate-edit"))
        {
            changed = await db.Cases.SingleAsync(c => c.Id == saved.Id);
            clock.Advance(TimeSpan.FromDays(2));
            changed.UpdateProfile(SurvivorProfile.Create(Sex.Female, AgeGroup.Adult, null, 1990, ["sw"], false, null, "Goma", false, clock));
            changed.UpdateAllegation(
                new AllegationDetails(
                    AllegationEntityType.AgencyFundOrProgramme, "Demo agency 03", PersonnelCategory.StaffMember, AllegationClass.Exploitation,
                    AllegationSubtype.TransactionalSex, null, new DateOnly(2026, 2, 20), InvestigationStatus.Substantiated, null),
                clock);
            changed.RecordConsent(ConsentGiver.Person, true, true, [provider.Id], SharedField.None, null, Advocate, clock);
            await db.SaveChangesAsync();
        }

        await using var fresh = _database.NewContext();
        var loaded = await fresh.Cases.SingleAsync(c => c.Id == saved.Id);

        Assert.Equal(Snapshot.Of(changed), Snapshot.Of(loaded));
        Assert.Equal(["sw"], loaded.Profile.Languages);
        Assert.Equal(InvestigationStatus.Substantiated, loaded.Allegation!.InvestigationStatus);
        Assert.Equal("advocate-edit", loaded.ChangedBy);
        Assert.Equal(DateTimeKind.Utc, loaded.ChangedAtUtc!.Value.Kind);
    }

    [Fact]
    public async Task Enums_are_stored_by_name_and_collections_as_json_arrays_on_sqlite_and_native_arrays_on_postgres()
    {
        var clock = NewClock();
        var (survivorCase, provider) = await SaveNewCaseAsync(clock, fullHistory: false);

        var status = await _database.QueryAsync("""SELECT "Status" FROM "Cases" WHERE "Id" = @id""", ("@id", _database.Id(survivorCase.Id)));
        var languages = await _database.QueryAsync("""SELECT "Profile_Languages" FROM "Cases" WHERE "Id" = @id""", ("@id", _database.Id(survivorCase.Id)));
        var services = await _database.QueryAsync("""SELECT "ServicesOffered" FROM "ServiceProviders" WHERE "Id" = @id""", ("@id", _database.Id(provider.Id)));
        var historyTo = await _database.QueryAsync("""SELECT "To" FROM "CaseStatusChanges" WHERE "CaseId" = @id ORDER BY "Sequence" DESC LIMIT 1""", ("@id", _database.Id(survivorCase.Id)));

        Assert.Equal("Assessment", Assert.Single(status));
        Assert.Equal("Assessment", Assert.Single(historyTo));
        if (_database.IsPostgres)
        {
            Assert.Equal(["fr", "ln"], Assert.IsType<string[]>(Assert.Single(languages)));
            Assert.Equal(["Medical", "Psychosocial", "Legal"], Assert.IsType<string[]>(Assert.Single(services)));
        }
        else
        {
            Assert.Equal("""["fr","ln"]""", Assert.Single(languages));
            Assert.Equal("""["Medical","Psychosocial","Legal"]""", Assert.Single(services));
        }

        // Both engines answer questions about the elements in the query, not after loading every row.
        await using var db = _database.NewContext();
        Assert.True(await db.ServiceProviders.AnyAsync(p => p.Id == provider.Id && p.ServicesOffered.Contains(ReferralType.Legal)));
        Assert.False(await db.ServiceProviders.AnyAsync(p => p.Id == provider.Id && p.ServicesOffered.Contains(ReferralType.Education)));
        Assert.True(await db.Cases.AnyAsync(c => c.Id == survivorCase.Id && c.Profile.Languages.Contains("ln")));
    }

    [Fact]
    public async Task An_identity_record_round_trips()
    {
        var clock = NewClock();
        var (survivorCase, _) = await SaveNewCaseAsync(clock, fullHistory: false);
        var identity = IdentityRecord.Create(survivorCase.Id, new IdentityDetails(
            "Test", "Person 9001", "Nick 9001", "+000 555 9001", "test.person.9001@example.org", ContactChannel.WhatsApp,
            "Evenings after 18:00", "Demo address 9001, Bunia"));
        await using (var db = _database.NewContext())
        {
            db.IdentityRecords.Add(identity);
            await db.SaveChangesAsync();
        }

        await using var fresh = _database.NewContext();
        var loaded = await fresh.IdentityRecords.SingleAsync(i => i.CaseId == survivorCase.Id);

        Assert.Equal(Snapshot.Of(identity), Snapshot.Of(loaded));
        Assert.Equal("+000 555 9001", loaded.Phone);
        Assert.Equal(DateTimeKind.Utc, loaded.CreatedAtUtc.Kind);
    }

    [Fact]
    public async Task Referrals_with_history_consent_override_and_their_follow_ups_round_trip()
    {
        var clock = NewClock();
        var (survivorCase, provider) = await SaveNewCaseAsync(clock, fullHistory: false);
        var other = ServiceProvider.Create("CD", "Legal Aid (round trip)", [ReferralType.Legal, ReferralType.Medical], ["fr"], null);
        var followUps = new List<FollowUp>();
        Referral overridden, withdrawn;
        await using (var db = _database.NewContext())
        {
            db.ServiceProviders.Add(other);
            await db.SaveChangesAsync();

            var tracked = await db.Cases.SingleAsync(c => c.Id == survivorCase.Id);
            tracked.RecordConsent(ConsentGiver.Person, true, true, [provider.Id], SharedField.None, null, Advocate, clock);
            overridden = Referral.Create(tracked, ReferralType.Legal, other, "Advice on a complaint", ReferralUrgency.Urgent, Advocate, clock);
            clock.Advance(TimeSpan.FromHours(2));
            followUps.AddRange(overridden.SendWithConsentOverride(tracked, other, ReminderPolicy.Default, Coordinator, "Life at risk; the person could not be reached", clock));
            clock.Advance(TimeSpan.FromDays(1));
            overridden.Accept(Advocate, clock, "Appointment on Monday");
            clock.Advance(TimeSpan.FromDays(9));
            overridden.Complete(ReferralOutcome.ServiceProvided, Advocate, clock, "Done");

            withdrawn = Referral.Create(tracked, ReferralType.Medical, provider, "Examination", ReferralUrgency.Emergency, Advocate, clock);
            followUps.AddRange(withdrawn.Send(tracked, provider, ReminderPolicy.Default, Advocate, clock));
            clock.Advance(TimeSpan.FromHours(1));
            withdrawn.Withdraw("Went elsewhere", Advocate, clock);

            db.Referrals.AddRange(overridden, withdrawn);
            db.FollowUps.AddRange(followUps);
            await db.SaveChangesAsync();
        }

        await using var fresh = _database.NewContext();
        var loaded = await fresh.Referrals.Where(r => r.CaseId == survivorCase.Id).ToDictionaryAsync(r => r.Id);
        var loadedFollowUps = await fresh.FollowUps.Where(f => f.CaseId == survivorCase.Id).ToDictionaryAsync(f => f.Id);

        Assert.Equal(Snapshot.Of(overridden), Snapshot.Of(loaded[overridden.Id]));
        Assert.Equal(Snapshot.Of(withdrawn), Snapshot.Of(loaded[withdrawn.Id]));
        Assert.NotNull(loaded[overridden.Id].ConsentOverride);
        Assert.Null(loaded[withdrawn.Id].ConsentOverride);
        Assert.Equal(4, loaded[overridden.Id].History.Count);
        Assert.Equal(DateTimeKind.Utc, loaded[overridden.Id].ConsentOverride!.AtUtc.Kind);
        Assert.Equal(followUps.Count, loadedFollowUps.Count);
        Assert.All(followUps, f => Assert.Equal(Snapshot.Of(f), Snapshot.Of(loadedFollowUps[f.Id])));
    }

    [Fact]
    public async Task A_service_provider_round_trips()
    {
        var provider = ServiceProvider.Create("HT", "Basket Weaving Collective (round trip)", [ReferralType.SkillsTrainingOrLivelihood, ReferralType.MaterialAssistance], ["fr", "ht"], "+000 555 0000");
        provider.Deactivate();
        await using (var db = _database.NewContext())
        {
            db.ServiceProviders.Add(provider);
            await db.SaveChangesAsync();
        }

        await using var fresh = _database.NewContext();
        var loaded = await fresh.ServiceProviders.SingleAsync(p => p.Id == provider.Id);

        Assert.Equal(Snapshot.Of(provider), Snapshot.Of(loaded));
        Assert.False(loaded.IsActive);
        Assert.True(loaded.Offers(ReferralType.MaterialAssistance));
    }

    [Fact]
    public async Task A_follow_up_with_moves_and_a_snooze_round_trips()
    {
        var clock = NewClock();
        var (survivorCase, _) = await SaveNewCaseAsync(clock, fullHistory: false);
        var followUp = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Call back", clock.GetUtcNow().UtcDateTime.AddDays(2), isUrgent: true);
        followUp.Move(clock.GetUtcNow().UtcDateTime.AddDays(4), "New appointment", Advocate, clock);
        clock.Advance(TimeSpan.FromMinutes(7));
        followUp.Move(clock.GetUtcNow().UtcDateTime.AddDays(5), "Moved again", Advocate, clock);
        followUp.Snooze(clock.GetUtcNow().UtcDateTime.AddDays(6), "Travelling", Advocate, clock);
        await using (var db = _database.NewContext())
        {
            db.FollowUps.Add(followUp);
            await db.SaveChangesAsync();
        }

        await using var fresh = _database.NewContext();
        var loaded = await fresh.FollowUps.SingleAsync(f => f.Id == followUp.Id);

        Assert.Equal(Snapshot.Of(followUp), Snapshot.Of(loaded));
        Assert.Equal(2, loaded.MovedHistory.Count);
        Assert.Equal(FollowUpStatus.Snoozed, loaded.Status);
        Assert.All(loaded.MovedHistory, m => Assert.Equal(DateTimeKind.Utc, m.ToDueAtUtc.Kind));
        Assert.Equal(DateTimeKind.Utc, loaded.SnoozedUntilUtc!.Value.Kind);
    }

    [Fact]
    public async Task A_child_and_a_paternity_claim_with_history_round_trip()
    {
        var clock = NewClock();
        var (survivorCase, _) = await SaveNewCaseAsync(clock, fullHistory: false);
        var legal = ServiceProvider.Create("CD", "Family law (round trip)", [ReferralType.PaternityAndChildSupport], ["fr"], null);
        var child = Child.Register(survivorCase.Id, "Child A", new DateOnly(2024, 6, 1), null, Sex.Male, "School fees", clock);
        PaternityClaim claim;
        await using (var db = _database.NewContext())
        {
            db.ServiceProviders.Add(legal);
            var tracked = await db.Cases.SingleAsync(c => c.Id == survivorCase.Id);
            var referral = Referral.Create(tracked, ReferralType.PaternityAndChildSupport, legal, "Claim", ReferralUrgency.Routine, Advocate, clock);
            claim = PaternityClaim.Open(child, "NPL", ["Bunia family court", "Nepal national courts"], Advocate, clock);
            claim.LinkLegalAidReferral(referral);
            clock.Advance(TimeSpan.FromDays(40));
            claim.MoveTo(PaternityClaimStatus.DnaSampleRequested, Advocate, clock, "Requested through the mission");
            clock.Advance(TimeSpan.FromDays(60));
            claim.MoveTo(PaternityClaimStatus.DnaSampleCollected, Advocate, clock);
            db.Referrals.Add(referral);
            db.Children.Add(child);
            db.PaternityClaims.Add(claim);
            await db.SaveChangesAsync();
        }

        await using var fresh = _database.NewContext();
        var loadedChild = await fresh.Children.SingleAsync(c => c.Id == child.Id);
        var loadedClaim = await fresh.PaternityClaims.SingleAsync(p => p.Id == claim.Id);

        Assert.Equal(Snapshot.Of(child), Snapshot.Of(loadedChild));
        Assert.Equal(Snapshot.Of(claim), Snapshot.Of(loadedClaim));
        Assert.Equal(["Bunia family court", "Nepal national courts"], loadedClaim.Jurisdictions);
        Assert.Equal(3, loadedClaim.History.Count);
        Assert.Equal(DateTimeKind.Utc, loadedClaim.LastMovementAtUtc.Kind);
    }

    [Fact]
    public async Task A_note_round_trips()
    {
        var clock = NewClock();
        var (survivorCase, _) = await SaveNewCaseAsync(clock, fullHistory: false);
        var note = Note.Create(survivorCase.Id, "Called at the agreed time.\nAll well.", Advocate, clock);
        await using (var db = _database.NewContext())
        {
            db.Notes.Add(note);
            await db.SaveChangesAsync();
        }

        await using var fresh = _database.NewContext();
        var loaded = await fresh.Notes.SingleAsync(n => n.Id == note.Id);

        Assert.Equal(Snapshot.Of(note), Snapshot.Of(loaded));
        Assert.Equal(DateTimeKind.Utc, loaded.CreatedAtUtc.Kind);
    }

    [Fact]
    public async Task Audit_entries_round_trip_with_their_hash_chain_intact()
    {
        var clock = NewClock();
        AuditEntry first, second;
        await using (var db = _database.NewContext())
        {
            var last = await db.AuditEntries.OrderByDescending(e => e.Id).FirstOrDefaultAsync();
            first = AuditEntry.Append(last, new AuditActor("user-1", "advocate@example.org", "Advocate", "10.0.0.1"), AuditAction.ViewedCase, "Case", "CD-2026-0001", null, clock);
            clock.Advance(TimeSpan.FromTicks(12_345));
            second = AuditEntry.Append(first, AuditActor.System("reminder-job"), AuditAction.Changed, "FollowUp", Guid.NewGuid().ToString(), "snoozed", clock);
            db.AuditEntries.AddRange(first, second);
            await db.SaveChangesAsync();
        }

        await using var fresh = _database.NewContext();
        var loaded = await fresh.AuditEntries.Where(e => e.Id >= first.Id).OrderBy(e => e.Id).ToListAsync();

        Assert.Equal([Snapshot.Of(first), Snapshot.Of(second)], loaded.Select(Snapshot.Of));
        Assert.True(AuditChain.Verify(loaded.Skip(1), loaded[0]).IsIntact);
        Assert.Equal(AuditChain.ComputeHash(loaded[0].PreviousHash, loaded[0]), loaded[0].Hash);
        Assert.Equal(DateTimeKind.Utc, loaded[0].AtUtc.Kind);
    }

    [Fact]
    public async Task An_intake_submission_with_additions_round_trips()
    {
        var clock = NewClock();
        var submission = IntakeSubmission.Receive(
            new IntakeDetails("fr", "CD", "Bunia", "What happened, in the person's words <b>not markup</b>", [HelpKind.Medical, HelpKind.LegalHelp],
                [ContactChannel.Phone, ContactChannel.TrustedPerson], "+000 555 0101", "After 17:00", ChildBornAnswer.PreferNotToSay),
            clock);
        submission.SetPassphraseHash("v1$hash$salt");
        clock.Advance(TimeSpan.FromDays(1));
        submission.AddInformation("One more thing.", null, clock);
        clock.Advance(TimeSpan.FromMinutes(3));
        submission.AddInformation("And another.", null, clock);
        await using (var db = _database.NewContext())
        {
            db.IntakeSubmissions.Add(submission);
            await db.SaveChangesAsync();
        }

        await using var fresh = _database.NewContext();
        var loaded = await fresh.IntakeSubmissions.SingleAsync(s => s.ReferenceCode == submission.ReferenceCode);

        Assert.Equal(Snapshot.Of(submission), Snapshot.Of(loaded));
        Assert.Equal(2, loaded.AdditionalInformation.Count);
        Assert.Equal([HelpKind.Medical, HelpKind.LegalHelp], loaded.HelpWanted);
        Assert.Equal(DateTimeKind.Utc, loaded.ReceivedAtUtc.Kind);
    }

    [Fact]
    public async Task A_country_round_trips_and_the_defaults_are_present()
    {
        var country = Country.Create("KE", "Kenya", ["Africa/Nairobi"], ["sw", "en"], isFieldCountry: false);
        await using (var db = _database.NewContext())
        {
            db.Countries.Add(country);
            await db.SaveChangesAsync();
        }

        await using var fresh = _database.NewContext();
        var loaded = await fresh.Countries.SingleAsync(c => c.Code == "KE");
        var codes = await fresh.Countries.Select(c => c.Code).ToListAsync();

        Assert.Equal(Snapshot.Of(country), Snapshot.Of(loaded));
        Assert.Subset(codes.ToHashSet(), Countries.Defaults.Select(c => c.Code).ToHashSet());
        Assert.Equal(["Africa/Kinshasa", "Africa/Lubumbashi"], (await fresh.Countries.SingleAsync(c => c.Code == "CD")).TimeZoneIds);
    }

    [Fact]
    public async Task A_case_number_sequence_round_trips()
    {
        var numbers = _database.Service<CaseNumbers>();
        await using (var db = _database.NewContext())
        {
            await numbers.NextAsync(db, "SS", 2041);
            await numbers.NextAsync(db, "SS", 2041);
        }

        await using var fresh = _database.NewContext();
        var sequence = await fresh.CaseNumberSequences.SingleAsync(s => s.CountryCode == "SS" && s.Year == 2041);

        Assert.Equal(2, sequence.LastNumber);
        Assert.Equal(new CaseNumber("SS", 2041, 3), sequence.Next());
    }

    /// <summary>A case in CD from the public form, with a provider, saved; with <paramref name="fullHistory"/> driven through every step.</summary>
    private async Task<(Case Case, ServiceProvider Provider)> SaveNewCaseAsync(FakeTimeProvider clock, bool fullHistory)
    {
        var provider = ServiceProvider.Create("CD", "Clinique Espoir (round trip)", [ReferralType.Medical, ReferralType.Psychosocial, ReferralType.Legal], ["fr", "sw"], "+000 555 0100");
        var submission = IntakeSubmission.Receive(
            new IntakeDetails("fr", "CD", "Bunia", "Demo", [HelpKind.Medical], [ContactChannel.Phone], "+000 555 0102", null, ChildBornAnswer.Yes), clock);
        await using var db = _database.NewContext();
        var number = await _database.Service<CaseNumbers>().NextAsync(db, "CD", clock);
        var profile = SurvivorProfile.Create(Sex.Female, AgeGroup.Child, new DateOnly(2010, 5, 17), null, ["fr", "ln"], true, "Hearing impairment", "Bunia", true, clock);
        var survivorCase = Case.OpenFromIntake(number, "CD", RiskLevel.High, "fr", null, clock, submission.Id, profile);
        submission.LinkToCase(survivorCase.Id);
        clock.Advance(TimeSpan.FromHours(3).Add(TimeSpan.FromTicks(7)));
        survivorCase.Claim(Advocate, clock);
        survivorCase.RecordAllegation(
            new AllegationDetails(
                AllegationEntityType.PeacekeepingMission, "Demo mission", PersonnelCategory.MilitaryContingent, AllegationClass.Abuse, AllegationSubtype.Rape,
                new DateOnly(2026, 1, 10), new DateOnly(2026, 2, 1), InvestigationStatus.UnderInvestigation, "Payments suspended"),
            clock);
        if (fullHistory)
        {
            survivorCase.RecordConsent(ConsentGiver.Caregiver, true, false, [provider.Id, Guid.NewGuid()], SharedField.None, "Nothing to the school", Advocate, clock);
            clock.Advance(TimeSpan.FromDays(1));
            survivorCase.RevokeConsent(Advocate, clock);
            survivorCase.RecordConsent(ConsentGiver.Caregiver, true, true, [provider.Id], SharedField.None, null, Advocate, clock);
            survivorCase.ChangeRisk(RiskLevel.Medium, Advocate, clock);
            clock.Advance(TimeSpan.FromDays(2));
            survivorCase.StartActionPlan(Advocate, clock, "Plan agreed");
            clock.Advance(TimeSpan.FromDays(3));
            survivorCase.StartAssistance(Advocate, clock);
            survivorCase.RequestClosure(CaseClosureReason.Other, "Moved to a national programme", OpenWork.Of(survivorCase.Id, [], [], [], null), Advocate, clock);
            clock.Advance(TimeSpan.FromHours(5));
            survivorCase.RejectClosure(Coordinator, "Not yet: a referral is open", clock);
            survivorCase.StartFollowUp(Advocate, clock);
            survivorCase.RequestClosure(CaseClosureReason.AssistanceCompleted, null, OpenWork.Of(survivorCase.Id, [], [], [], null), Advocate, clock);
            clock.Advance(TimeSpan.FromDays(1));
            survivorCase.ApproveClosure(Coordinator, "Agreed", OpenWork.Of(survivorCase.Id, [], [], [], null), clock);
            clock.Advance(TimeSpan.FromDays(30));
            survivorCase.Reopen("Came back", Advocate, clock);
        }

        db.ServiceProviders.Add(provider);
        db.IntakeSubmissions.Add(submission);
        db.Cases.Add(survivorCase);
        await db.SaveChangesAsync();
        return (survivorCase, provider);
    }
}
