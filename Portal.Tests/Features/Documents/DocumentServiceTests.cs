using System.Security.Cryptography;
using System.Text;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Documents;
using Portal.Domain.Referrals;
using Portal.Features.Cases;
using Portal.Features.Documents;
using Portal.Features.Shared;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;
using SkiaSharp;

namespace Portal.Tests.Features.Documents;

public sealed class DocumentServiceTests : IClassFixture<TestDatabase>
{
    private readonly ReferralWorld _world;

    public DocumentServiceTests(TestDatabase database) => _world = new ReferralWorld(database);

    private DocumentService DocumentsFor(UserScope scope, int maxMegabytes = 10) => _world.DocumentsFor(scope, maxMegabytes);

    private static DocumentUpload Upload(string fileName, byte[] content, DocumentKind? kind = DocumentKind.Medical, string? note = null, Guid? referralId = null) =>
        new(kind, note, referralId, fileName, content);

    [Fact]
    public async Task A_pdf_is_sealed_at_rest_comes_back_as_it_was_and_each_download_is_audited()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var documents = DocumentsFor(advocate);
        var pdf = TestFiles.Pdf("certificate of Ms Example, Bangui");

        var attached = await documents.AttachAsync(advocate, survivorCase.Id, Upload("certificat médical Example.pdf", pdf, note: "Signed by the doctor at the clinic"));

        Assert.True(attached.Succeeded, attached.Message);
        var document = Assert.Single((await documents.GetForCaseAsync(advocate, survivorCase.Id))!.Documents);
        Assert.Equal(("certificat médical Example.pdf", DocumentKind.Medical, DocumentFormat.Pdf, (long)pdf.Length), (document.FileName, document.Kind, document.Format, document.SizeBytes));
        Assert.Equal("Signed by the doctor at the clinic", document.Note);
        Assert.Equal(1, await _world.AuditCountAsync(document.Id.ToString(), AuditAction.Created, advocate.UserId));

        var stored = await _world.Database.QueryAsync("SELECT \"Sealed\" FROM \"DocumentContents\" WHERE \"DocumentId\" = @id", ("id", _world.Database.Id(document.Id)));
        var sealedContent = Assert.IsType<byte[]>(Assert.Single(stored));
        Assert.Equal(-1, sealedContent.AsSpan().IndexOf("Ms Example"u8));
        Assert.Equal(-1, sealedContent.AsSpan().IndexOf("%PDF"u8));
        var names = await _world.Database.QueryAsync("SELECT \"FileName\" FROM \"CaseDocuments\" WHERE \"Id\" = @id UNION ALL SELECT \"Note\" FROM \"CaseDocuments\" WHERE \"Id\" = @id", ("id", _world.Database.Id(document.Id)));
        Assert.Equal(2, names.OfType<string>().Count());
        Assert.All(names.OfType<string>(), text => Assert.DoesNotContain("Example", text));
        Assert.All(names.OfType<string>(), text => Assert.DoesNotContain("doctor", text));

        var file = await documents.OpenAsync(advocate, document.Id);
        await documents.OpenAsync(advocate, document.Id);

        Assert.NotNull(file);
        Assert.Equal(pdf, file.Content);
        Assert.Equal(("certificat médical Example.pdf", "application/pdf"), (file.FileName, file.ContentType));
        // Each look is an entry of the case, so the case's access log shows it.
        Assert.Equal(2, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.DownloadedDocument, advocate.UserId));
    }

    [Fact]
    public async Task The_stored_file_cannot_be_opened_without_the_key_ring()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var documents = DocumentsFor(advocate);
        Assert.True((await documents.AttachAsync(advocate, survivorCase.Id, Upload("scan.pdf", TestFiles.Pdf("court order")))).Succeeded);

        // The file's key is sealed by the case key, and the case key is wrapped by the key ring: another key ring (a copy
        // of the database without the portal's keys) cannot unwrap it, so neither key nor file can be had.
        var wrapped = await _world.Database.QueryAsync("SELECT \"WrappedKey\" FROM \"CaseKeys\" WHERE \"CaseId\" = @id", ("id", _world.Database.Id(survivorCase.Id)));
        var otherRing = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(Path.GetTempPath(), "other-ring-" + Guid.NewGuid()))).CreateProtector("Portal.CaseKey.v1");
        Assert.ThrowsAny<CryptographicException>(() => otherRing.Unprotect(Convert.FromBase64String(Assert.IsType<string>(Assert.Single(wrapped)))));

        // And the portal's own key ring opens it.
        var document = Assert.Single((await documents.GetForCaseAsync(advocate, survivorCase.Id))!.Documents);
        Assert.Contains("court order", Encoding.ASCII.GetString((await documents.OpenAsync(advocate, document.Id))!.Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_named_pdf_that_is_not_a_pdf_is_refused_with_a_clear_message_and_nothing_is_stored()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var documents = DocumentsFor(advocate);

        var result = await documents.AttachAsync(advocate, survivorCase.Id, Upload("consent.pdf", Encoding.UTF8.GetBytes("MZ\u0090 this is a program, renamed")));

        Assert.False(result.Succeeded);
        Assert.Equal(DocumentErrors.NotAccepted, result.For("File")!.Code);
        Assert.Equal("This file is not a PDF, JPEG or PNG file, whatever its name says. Scan or save it as one of those.", result.For("File")!.Message);
        Assert.Empty((await documents.GetForCaseAsync(advocate, survivorCase.Id))!.Documents);
    }

    [Fact]
    public async Task A_photo_with_a_gps_position_comes_back_without_any_metadata_and_turned_upright()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var documents = DocumentsFor(advocate);
        var photo = TestFiles.JpegWithGps(width: 64, height: 48);
        var before = ImageMetadataReader.ReadMetadata(new MemoryStream(photo));
        Assert.NotNull(before.OfType<GpsDirectory>().Single().GetGeoLocation());

        // Named .png by the phone's app: the content says JPEG, so it is stored as one.
        Assert.True((await documents.AttachAsync(advocate, survivorCase.Id, Upload("IMG_0042.png", photo, DocumentKind.IdentityDocument))).Succeeded);
        var document = Assert.Single((await documents.GetForCaseAsync(advocate, survivorCase.Id))!.Documents);
        var file = (await documents.OpenAsync(advocate, document.Id))!;

        Assert.Equal(("IMG_0042.jpg", "image/jpeg"), (file.FileName, file.ContentType));
        var after = ImageMetadataReader.ReadMetadata(new MemoryStream(file.Content));
        Assert.Empty(after.OfType<GpsDirectory>());
        Assert.Empty(after.OfType<ExifIfd0Directory>());
        Assert.Empty(after.OfType<ExifSubIfdDirectory>());
        Assert.Equal(-1, file.Content.AsSpan().IndexOf("Exif\0\0"u8));
        using var image = SKBitmap.Decode(file.Content);
        Assert.Equal((48, 64), (image.Width, image.Height));
    }

    [Fact]
    public async Task The_same_file_sent_again_after_a_dropped_link_is_the_same_document_not_a_second_copy()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var documents = DocumentsFor(advocate);
        var png = TestFiles.Png();

        var first = await documents.AttachAsync(advocate, survivorCase.Id, Upload("form.png", png, DocumentKind.ConsentForm));
        var again = await documents.AttachAsync(advocate, survivorCase.Id, Upload("form.png", png, DocumentKind.ConsentForm));

        Assert.True(again.Succeeded, again.Message);
        Assert.Equal(first.Id, again.Id);
        Assert.Single((await documents.GetForCaseAsync(advocate, survivorCase.Id))!.Documents);
        Assert.Equal(1, await _world.AuditCountAsync(first.Id!.Value.ToString(), AuditAction.Created));
    }

    [Fact]
    public async Task The_same_file_sent_several_times_at_once_is_stored_once_and_every_sender_gets_that_document()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var pdf = TestFiles.Pdf("sent from two tabs at once");

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Task.Run(() => DocumentsFor(advocate).AttachAsync(advocate, survivorCase.Id, Upload("report.pdf", pdf)))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Message));
        var stored = Assert.Single((await DocumentsFor(advocate).GetForCaseAsync(advocate, survivorCase.Id))!.Documents);
        Assert.All(results, r => Assert.Equal(stored.Id, r.Id));
        Assert.Equal(1, await _world.AuditCountAsync(stored.Id.ToString(), AuditAction.Created));
    }

    [Fact]
    public async Task The_database_holds_one_live_copy_of_a_file_per_case_and_takes_it_again_once_deleted()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var pdf = TestFiles.Pdf("one live copy");
        var first = await DocumentsFor(advocate).AttachAsync(advocate, survivorCase.Id, Upload("a.pdf", pdf));
        var hash = Convert.ToHexStringLower(SHA256.HashData(pdf));

        // As a second upload would if it read before the first was saved: the check is the database's, not only the read's.
        await using (var db = _world.Database.NewContext())
        {
            db.Documents.Add(CaseDocument.Attach(survivorCase.Id, null, DocumentKind.Medical, "b.pdf", null, DocumentFormat.Pdf, pdf.Length, hash, advocate.UserId, TimeProvider.System));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        var document = Assert.Single((await DocumentsFor(advocate).GetForCaseAsync(advocate, survivorCase.Id))!.Documents);
        Assert.True((await DocumentsFor(advocate).DeleteAsync(advocate, Seen.Of(document), "Wrong file")).Succeeded);
        var again = await DocumentsFor(advocate).AttachAsync(advocate, survivorCase.Id, Upload("a.pdf", pdf));

        Assert.True(again.Succeeded, again.Message);
        Assert.NotEqual(first.Id, again.Id);
    }

    [Fact]
    public async Task Deleting_destroys_the_file_keeps_the_record_with_the_reason_and_asks_for_one()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var documents = DocumentsFor(advocate);
        await documents.AttachAsync(advocate, survivorCase.Id, Upload("wrong.pdf", TestFiles.Pdf("another person's file")));
        var document = Assert.Single((await documents.GetForCaseAsync(advocate, survivorCase.Id))!.Documents);

        var withoutReason = await documents.DeleteAsync(advocate, Seen.Of(document), "  ");
        Assert.Equal("Reason", Assert.Single(withoutReason.Fields).Key);

        var deleted = await documents.DeleteAsync(advocate, Seen.Of(document), "Uploaded to the wrong case");

        Assert.True(deleted.Succeeded, deleted.Message);
        var kept = Assert.Single((await documents.GetForCaseAsync(advocate, survivorCase.Id))!.Documents);
        Assert.True(kept.IsDeleted);
        Assert.Equal(("Uploaded to the wrong case", advocate.UserId), (kept.DeleteReason, kept.DeletedBy));
        await using (var db = _world.Database.NewContext())
        {
            Assert.False(await db.DocumentContents.AnyAsync(c => c.DocumentId == document.Id));
        }

        Assert.Null(await documents.OpenAsync(advocate, document.Id));
        Assert.Equal(1, await _world.AuditCountAsync(document.Id.ToString(), AuditAction.Deleted, advocate.UserId));
        Assert.False((await documents.DeleteAsync(advocate, Seen.Of(kept), "twice")).Succeeded);

        // The timeline, which everyone in the country sees, says what happened by the document's type, never its name.
        var timeline = (await _world.Cases.CasesFor(advocate).GetTimelineAsync(advocate, survivorCase.Id))!.Entries.Where(e => e.Kind == TimelineKind.Document).ToList();
        Assert.Equal([(true, "Uploaded to the wrong case"), (false, null)], timeline.Select(e => (e.DocumentDeleted, e.Text)));
        Assert.All(timeline, e => Assert.Equal((DocumentKind?)DocumentKind.Medical, e.DocumentKind));
        Assert.All(timeline, e => Assert.DoesNotContain("wrong.pdf", e.Title, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_those_working_the_case_see_or_download_its_documents_and_other_attempts_are_audited()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var colleague = await _world.Cases.StaffAsync(Roles.Advocate, "CF");
        var elsewhere = await _world.Cases.StaffAsync(Roles.Advocate, "CD");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator, "CF");
        await DocumentsFor(advocate).AttachAsync(advocate, survivorCase.Id, Upload("id card.jpg", TestFiles.JpegWithGps(20, 10), DocumentKind.IdentityDocument));
        var document = Assert.Single((await DocumentsFor(advocate).GetForCaseAsync(advocate, survivorCase.Id))!.Documents);

        var colleagueList = (await DocumentsFor(colleague).GetForCaseAsync(colleague, survivorCase.Id))!;
        Assert.Empty(colleagueList.Documents);
        Assert.False(colleagueList.MayWork);
        Assert.Null(await DocumentsFor(colleague).OpenAsync(colleague, document.Id));
        Assert.Equal(1, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.AccessDenied, colleague.UserId));
        Assert.False((await DocumentsFor(colleague).AttachAsync(colleague, survivorCase.Id, Upload("x.pdf", TestFiles.Pdf("x")))).Succeeded);
        Assert.Equal(2, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.AccessDenied, colleague.UserId));

        Assert.Null(await DocumentsFor(elsewhere).GetForCaseAsync(elsewhere, survivorCase.Id));
        Assert.Null(await DocumentsFor(elsewhere).OpenAsync(elsewhere, document.Id));
        Assert.Equal(2, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.AccessDenied, elsewhere.UserId));

        Assert.NotNull(await DocumentsFor(coordinator).OpenAsync(coordinator, document.Id));
        Assert.Equal(1, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.DownloadedDocument, coordinator.UserId));
        Assert.Equal(0, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.DownloadedDocument, elsewhere.UserId));
    }

    [Fact]
    public async Task A_file_over_the_configured_size_and_a_referral_of_another_case_are_refused()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var (otherCase, otherAdvocate) = await _world.ClaimedCaseAsync("CF");
        var provider = await _world.ProviderAsync("CF", "Clinique Example", ReferralType.Medical);
        var otherReferral = await _world.DraftAsync(otherAdvocate, otherCase.Id, provider, ReferralType.Medical);
        var documents = DocumentsFor(advocate, maxMegabytes: 1);
        var large = TestFiles.Pdf(new string('x', 1024 * 1024));

        var tooLarge = await documents.AttachAsync(advocate, survivorCase.Id, Upload("large.pdf", large));
        var wrongReferral = await documents.AttachAsync(advocate, survivorCase.Id, Upload("small.pdf", TestFiles.Pdf("small"), referralId: otherReferral));
        var noKind = await documents.AttachAsync(advocate, survivorCase.Id, Upload("small.pdf", TestFiles.Pdf("small"), kind: null));

        Assert.Equal((DocumentErrors.TooLarge, "The file is larger than 1 MB."), (tooLarge.For("File")!.Code, tooLarge.For("File")!.Message));
        Assert.Equal(DocumentErrors.WrongReferral, wrongReferral.For("Referral")!.Code);
        Assert.Equal("Kind", Assert.Single(noKind.Fields).Key);
        Assert.Empty((await documents.GetForCaseAsync(advocate, survivorCase.Id))!.Documents);
    }

    [Fact]
    public async Task Retention_removes_the_case_documents_files_and_records_alike()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var (otherCase, otherAdvocate) = await _world.ClaimedCaseAsync("CF");
        await DocumentsFor(advocate).AttachAsync(advocate, survivorCase.Id, Upload("a.pdf", TestFiles.Pdf("a")));
        await DocumentsFor(advocate).AttachAsync(advocate, survivorCase.Id, Upload("b.png", TestFiles.Png(), DocumentKind.Legal));
        await DocumentsFor(otherAdvocate).AttachAsync(otherAdvocate, otherCase.Id, Upload("c.pdf", TestFiles.Pdf("c")));
        var eraser = Assert.Single(_world.Database.Services.GetServices<ICaseEraser>(), e => e.GetType() == typeof(DocumentEraser));

        await using (var db = _world.Database.NewContext())
        {
            await eraser.EraseAsync(db, survivorCase, CancellationToken.None);
        }

        await using var check = _world.Database.NewContext();
        Assert.False(await check.Documents.AnyAsync(d => d.CaseId == survivorCase.Id));
        Assert.Empty(await _world.Database.QueryAsync("SELECT 1 FROM \"DocumentContents\" WHERE \"DocumentId\" NOT IN (SELECT \"Id\" FROM \"CaseDocuments\")"));
        Assert.Single(await check.Documents.Where(d => d.CaseId == otherCase.Id).ToListAsync());
    }
}
