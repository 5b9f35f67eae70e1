using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Consents;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Domain.Documents;
using Portal.Features.Documents;
using Portal.Features.ProviderDesk;
using Portal.Features.Shared;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;
using ServiceProvider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Tests.Features.ProviderDesk;

/// <summary>
/// A provider's users against the real services and a real SQLite file: they read only the referrals sent to their
/// organisation, only what the consent shares with it, and their answers reach the case through the command path.
/// </summary>
public sealed class ProviderDeskServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly ReferralWorld _world = new(database);

    [Fact]
    public async Task A_provider_lists_only_the_referrals_sent_to_it_and_another_provider_reaches_none_of_them()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var clinic = await _world.ProviderAsync("CF", "Legal clinic", ReferralType.Legal);
        var hospital = await _world.ProviderAsync("CF", "Hospital", ReferralType.Medical, ReferralType.Legal);
        await ConsentAsync(survivorCase.Id, advocate.UserId, SharedFieldSet.All, clinic.Id, hospital.Id);
        var sent = await SentAsync(advocate, survivorCase.Id, clinic, ReferralType.Legal);
        var draft = await _world.DraftAsync(advocate, survivorCase.Id, clinic, ReferralType.Legal);
        var toHospital = await SentAsync(advocate, survivorCase.Id, hospital, ReferralType.Medical);
        var clinicUser = await ProviderUserAsync(clinic);
        var hospitalUser = await ProviderUserAsync(hospital);

        var clinicList = await DeskFor(clinicUser).ListAsync(clinicUser);
        var hospitalList = await DeskFor(hospitalUser).ListAsync(hospitalUser);

        Assert.Equal([sent], clinicList.Select(r => r.Id));
        Assert.Equal([toHospital], hospitalList.Select(r => r.Id));
        Assert.Null(await DeskFor(hospitalUser).GetAsync(hospitalUser, sent));
        Assert.Null(await DeskFor(clinicUser).GetAsync(clinicUser, draft));
        Assert.Equal(1, await _world.AuditCountAsync(sent.ToString(), AuditAction.AccessDenied, hospitalUser.UserId));

        // Nor by any other service: the case is out of every provider's scope, and so is answering another's referral.
        Assert.Null(await _world.Cases.CasesFor(hospitalUser).GetWorkspaceAsync(hospitalUser, survivorCase.Number));
        var refused = await _world.ReferralsFor(hospitalUser).AcceptAsync(hospitalUser, await _world.SeenAsync(sent), null);
        Assert.Equal(CommandOutcome.NotFound, refused.Outcome);
        Assert.Equal(ReferralStatus.Sent, (await _world.ReferralAsync(sent)).Status);

        // The office's staff see nothing on the desk.
        Assert.Empty(await DeskFor(advocate).ListAsync(advocate));
        Assert.Null(await DeskFor(advocate).GetAsync(advocate, sent));
    }

    [Fact]
    public async Task A_provider_reads_of_the_person_only_what_the_consent_shares_with_it_and_each_look_is_audited()
    {
        var (survivorCase, advocate, clinic, sent, clinicUser) = await SentToClinicAsync(SharedField.Languages);
        await IdentityAsync(survivorCase.Id);
        var desk = DeskFor(clinicUser);

        var withoutIdentity = (await desk.GetAsync(clinicUser, sent))!.Copy;
        await ConsentAsync(survivorCase.Id, advocate.UserId, SharedField.Name | SharedField.Contact, clinic.Id);
        var withIdentity = (await desk.GetAsync(clinicUser, sent))!.Copy;
        await RevokeAsync(survivorCase.Id, advocate.UserId);
        var afterRevoking = (await desk.GetAsync(clinicUser, sent))!.Copy;

        Assert.Equal((SharedField.Languages, (string?)null, (string?)null, (Sex?)null), (withoutIdentity.Shared, withoutIdentity.Name, withoutIdentity.Phone, withoutIdentity.Sex));
        Assert.Equal(["fr"], withoutIdentity.Languages);
        Assert.Equal(("Amina Kolingba", "+236 70 00 00 01", "mornings"), (withIdentity.Name, withIdentity.Phone, withIdentity.SafeContactTimes));
        Assert.Empty(withIdentity.Languages);
        Assert.Equal((SharedField.None, (string?)null), (afterRevoking.Shared, afterRevoking.Name));
        Assert.Equal("Needs support (test)", afterRevoking.Reason);
        Assert.Equal(3, await _world.AuditCountAsync(sent.ToString(), AuditAction.ViewedReferral, clinicUser.UserId));
    }

    [Fact]
    public async Task A_provider_schedules_moves_and_completes_and_the_case_follows_with_one_appointment_check()
    {
        var (survivorCase, advocate, clinic, sent, clinicUser) = await SentToClinicAsync(SharedField.None);
        var otherProviderUser = await ProviderUserAsync(await _world.ProviderAsync("CF", "Other clinic", ReferralType.Legal));
        var referrals = _world.ReferralsFor(clinicUser);
        var seenBy = new Dictionary<string, List<LiveEvent>> { ["clinic"] = [], ["other"] = [], ["advocate"] = [] };
        using var a = Watch(clinicUser, seenBy["clinic"]);
        using var b = Watch(otherProviderUser, seenBy["other"]);
        using var c = Watch(advocate, seenBy["advocate"]);
        // Whole minutes, as people give appointments (and as PostgreSQL, keeping microseconds, gives them back).
        var first = DateTime.UtcNow.Date.AddDays(3).AddHours(9);
        var moved = DateTime.UtcNow.Date.AddDays(5).AddHours(14).AddMinutes(30);

        var scheduled = await referrals.ScheduleAsync(clinicUser, await _world.SeenAsync(sent), first, "Bring the birth certificate.");
        var again = await referrals.ScheduleAsync(clinicUser, await _world.SeenAsync(sent), moved, null);
        var inPast = await referrals.ScheduleAsync(clinicUser, await _world.SeenAsync(sent), DateTime.UtcNow.AddHours(-1), null);
        var withdraw = await referrals.WithdrawAsync(clinicUser, await _world.SeenAsync(sent), "Not theirs to do");
        var completed = await referrals.CompleteAsync(clinicUser, await _world.SeenAsync(sent), ReferralOutcome.ServiceProvided, null);

        Assert.True(scheduled.Succeeded, scheduled.Message);
        Assert.True(again.Succeeded, again.Message);
        Assert.Equal(ErrorCodes.AppointmentInPast, inPast.Code);
        Assert.Equal(CommandOutcome.Forbidden, withdraw.Outcome);
        Assert.True(completed.Succeeded, completed.Message);
        var referral = await _world.ReferralAsync(sent);
        Assert.Equal((ReferralStatus.Completed, moved), (referral.Status, referral.AppointmentAtUtc!.Value));
        Assert.All(referral.History.Where(h => h.Sequence > 2), h => Assert.Equal(clinicUser.UserId, h.ByUserId));
        await using var db = _world.Database.NewContext();
        var checks = await db.FollowUps.AsNoTracking().Where(f => f.ReferralId == sent).ToListAsync();
        var appointment = Assert.Single(checks, f => f.Kind == FollowUpKind.AppointmentCheck);
        Assert.Equal(moved, appointment.EffectiveDueAtUtc, TimeSpan.FromMilliseconds(1));
        Assert.DoesNotContain(checks, f => f.Kind == FollowUpKind.AcceptanceCheck && f.IsOpen);
        Assert.Equal(1, await _world.AuditCountAsync(sent.ToString(), AuditAction.AccessDenied, clinicUser.UserId));

        lock (seenBy)
        {
            Assert.Equal(3, seenBy["clinic"].Count(e => e.Kind == LiveEventKind.ReferralChanged && e.RecordId == sent));
            Assert.Equal(3, seenBy["advocate"].Count(e => e.Kind == LiveEventKind.ReferralChanged && e.RecordId == sent));
            Assert.Empty(seenBy["other"]);
            Assert.DoesNotContain(seenBy["clinic"], e => e.Kind == LiveEventKind.FollowUpChanged);
        }
    }

    [Fact]
    public async Task The_letter_goes_to_the_provider_and_the_cases_staff_only_with_the_consented_fields_and_is_audited()
    {
        var (survivorCase, advocate, clinic, sent, clinicUser) = await SentToClinicAsync(SharedField.Languages);
        await IdentityAsync(survivorCase.Id);
        var otherProviderUser = await ProviderUserAsync(await _world.ProviderAsync("CF", "Other clinic", ReferralType.Legal));
        var advocateElsewhere = await _world.Cases.StaffAsync(Roles.Advocate, "HT");

        var forProvider = await DeskFor(clinicUser).LetterAsync(clinicUser, sent);
        var forAdvocate = await DeskFor(advocate).LetterAsync(advocate, sent);
        await ConsentAsync(survivorCase.Id, advocate.UserId, SharedField.Name, clinic.Id);
        var withName = await DeskFor(clinicUser).LetterAsync(clinicUser, sent);

        Assert.Null(await DeskFor(otherProviderUser).LetterAsync(otherProviderUser, sent));
        Assert.Null(await DeskFor(advocateElsewhere).LetterAsync(advocateElsewhere, sent));
        var text = PdfText(forProvider!.Content);
        Assert.Contains(Referral.ReferenceOf(survivorCase.Number, sent), text, StringComparison.Ordinal);
        Assert.DoesNotContain("Kolingba", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Kolingba", PdfText(forAdvocate!.Content), StringComparison.Ordinal);
        Assert.Contains("Amina Kolingba", PdfText(withName!.Content), StringComparison.Ordinal);
        Assert.DoesNotContain("+236 70 00 00 01", PdfText(withName.Content), StringComparison.Ordinal);
        Assert.Equal(2, await _world.AuditCountAsync(sent.ToString(), AuditAction.PrintedReferralLetter, clinicUser.UserId));
        Assert.Equal(1, await _world.AuditCountAsync(sent.ToString(), AuditAction.PrintedReferralLetter, advocate.UserId));
        Assert.Equal(1, await _world.AuditCountAsync(sent.ToString(), AuditAction.AccessDenied, otherProviderUser.UserId));
    }

    [Fact]
    public async Task A_provider_gets_the_referrals_documents_only_when_the_consent_shares_them_and_never_the_cases_others()
    {
        var (survivorCase, advocate, clinic, sent, clinicUser) = await SentToClinicAsync(SharedField.AgeAndSex);
        var advocateDocuments = DocumentsFor(advocate);
        var certificate = Portal.Tests.Features.Documents.TestFiles.Pdf("birth certificate (test)");
        Assert.True((await advocateDocuments.AttachAsync(advocate, survivorCase.Id, new DocumentUpload(DocumentKind.Legal, null, sent, "Amina birth certificate.pdf", certificate))).Succeeded);
        Assert.True((await advocateDocuments.AttachAsync(advocate, survivorCase.Id, new DocumentUpload(DocumentKind.Medical, null, null, "case only.pdf", Portal.Tests.Features.Documents.TestFiles.Pdf("medical (test)")))).Succeeded);
        var caseOnly = (await advocateDocuments.GetForCaseAsync(advocate, survivorCase.Id))!.Documents.Single(d => d.ReferralId is null).Id;
        var otherProviderUser = await ProviderUserAsync(await _world.ProviderAsync("CF", "Other clinic", ReferralType.Legal));
        var documents = DocumentsFor(clinicUser);

        var withoutConsent = await documents.SharedWithProviderAsync(clinicUser, sent);
        await ConsentAsync(survivorCase.Id, advocate.UserId, SharedField.Documents, clinic.Id);
        var shared = Assert.Single(await documents.SharedWithProviderAsync(clinicUser, sent));
        var file = await documents.OpenAsync(clinicUser, shared.Id);

        Assert.Empty(withoutConsent);
        Assert.Equal(DocumentKind.Legal, shared.Kind);
        Assert.Equal(certificate, file!.Content);
        Assert.DoesNotContain("Amina", file.FileName, StringComparison.Ordinal);
        Assert.Null(await documents.OpenAsync(clinicUser, caseOnly));
        Assert.Empty(await DocumentsFor(otherProviderUser).SharedWithProviderAsync(otherProviderUser, sent));
        Assert.Null(await DocumentsFor(otherProviderUser).OpenAsync(otherProviderUser, shared.Id));
        Assert.Equal(1, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.DownloadedDocument, clinicUser.UserId));
        Assert.Equal(1, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.AccessDenied, otherProviderUser.UserId));
    }

    [Fact]
    public void A_providers_users_are_kept_to_the_provider_desk()
    {
        var provider = new UserScope("p", "p@example.org", "P", [Roles.Provider], [], "s", providerId: Guid.NewGuid());
        var advocate = new UserScope("a", "a@example.org", "A", [Roles.Advocate], ["CF"], "s");
        var roleWithoutProvider = new UserScope("x", "x@example.org", "X", [Roles.Provider], [], "s");

        Assert.True(PublicPaths.AllowsStaff(provider, "/provider/referrals/1"));
        Assert.True(PublicPaths.AllowsStaff(provider, "/"));
        Assert.False(PublicPaths.AllowsStaff(provider, "/cases/CF-2026-0001"));
        Assert.False(PublicPaths.AllowsStaff(provider, "/providers"));
        Assert.False(PublicPaths.AllowsStaff(provider, "/referrals"));
        Assert.True(PublicPaths.AllowsStaff(provider, "/not-found"));
        Assert.True(PublicPaths.AllowsStaff(advocate, "/referrals"));
        Assert.False(provider.CanSee("CF"));
        Assert.False(roleWithoutProvider.IsProvider);
        Assert.False(ScopedSubscriptions.IsVisibleTo(new LiveEvent(LiveEventKind.CaseCreated, "CF"), provider));
        Assert.True(ScopedSubscriptions.IsVisibleTo(new LiveEvent(LiveEventKind.ReferralChanged, "CF", ProviderId: provider.ProviderId), provider));
        Assert.False(ScopedSubscriptions.IsVisibleTo(new LiveEvent(LiveEventKind.ReferralChanged, "CF", ProviderId: Guid.NewGuid()), provider));
    }

    private ProviderDeskService DeskFor(UserScope scope) =>
        new(_world.Database.Contexts, TimeProvider.System, _world.Cases.ScopeFor(scope), _world.Cases.AuditFor(scope), _world.Database.Service<ReferralLetter>());

    private DocumentService DocumentsFor(UserScope scope) => _world.DocumentsFor(scope);

    private static string PdfText(byte[] pdf)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        return string.Join(" ", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    private IDisposable Watch(UserScope viewer, List<LiveEvent> into) =>
        _world.Cases.LiveEvents.SubscribeFor(viewer, _ => true, e =>
        {
            lock (into)
            {
                into.Add(e);
            }

            return Task.CompletedTask;
        });

    /// <summary>A claimed case whose person consented to share <paramref name="fields"/> with a legal clinic, a legal referral sent to it, and a user of the clinic.</summary>
    private async Task<(Case Case, UserScope Advocate, ServiceProvider Clinic, Guid Sent, UserScope ClinicUser)> SentToClinicAsync(SharedField fields)
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var clinic = await _world.ProviderAsync("CF", "Legal clinic", ReferralType.Legal);
        await ConsentAsync(survivorCase.Id, advocate.UserId, fields, clinic.Id);
        var sent = await SentAsync(advocate, survivorCase.Id, clinic, ReferralType.Legal);
        return (survivorCase, advocate, clinic, sent, await ProviderUserAsync(clinic));
    }

    private async Task<UserScope> ProviderUserAsync(ServiceProvider provider)
    {
        var staff = await _world.Cases.StaffAsync(Roles.Provider);
        await using var db = _world.Database.NewContext();
        var user = await db.Users.SingleAsync(u => u.Id == staff.UserId);
        user.ProviderId = provider.Id;
        (await db.ServiceProviders.SingleAsync(p => p.Id == provider.Id)).SetAnswersInPortal(true); // as it must be to have staff accounts
        await db.SaveChangesAsync();
        return new UserScope(staff.UserId, staff.UserName, staff.DisplayName, staff.Roles, [], staff.SessionId, providerId: provider.Id);
    }

    private async Task<Guid> SentAsync(UserScope advocate, Guid caseId, ServiceProvider provider, ReferralType type)
    {
        var id = await _world.DraftAsync(advocate, caseId, provider, type);
        var sent = await _world.ReferralsFor(advocate).SendAsync(advocate, await _world.SeenAsync(id));
        Assert.True(sent.Succeeded, sent.Message);
        return id;
    }

    private async Task ConsentAsync(Guid caseId, string by, SharedField fields, params Guid[] providers)
    {
        await using var db = _world.Database.NewContext(by);
        var survivorCase = await db.Cases.SingleAsync(c => c.Id == caseId);
        survivorCase.UpdateProfile(SurvivorProfile.Create(Sex.Female, AgeGroup.Adult, null, 1994, ["fr"], false, null, "Bimbo", false, TimeProvider.System));
        survivorCase.RecordConsent(ConsentGiver.Person, true, false, providers, fields, null, by, TimeProvider.System);
        await db.SaveChangesAsync();
    }

    private async Task RevokeAsync(Guid caseId, string by)
    {
        await using var db = _world.Database.NewContext(by);
        var survivorCase = await db.Cases.SingleAsync(c => c.Id == caseId);
        survivorCase.RevokeConsent(by, TimeProvider.System);
        await db.SaveChangesAsync();
    }

    private async Task IdentityAsync(Guid caseId)
    {
        await using var db = _world.Database.NewContext();
        db.IdentityRecords.Add(IdentityRecord.Create(caseId, new IdentityDetails("Amina", "Kolingba", null, "+236 70 00 00 01", null, ContactChannel.Phone, "mornings", "Near the market")));
        await db.SaveChangesAsync();
    }
}
