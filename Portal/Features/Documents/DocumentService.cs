using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Components.Shared;
using Portal.Domain.Audit;
using Portal.Domain.Common;
using Portal.Domain.Consents;
using Portal.Domain.Referrals;
using Portal.Domain.Documents;
using Portal.Features.Shared;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using SkiaSharp;
using Provider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Features.Documents;

/// <summary>
/// Files kept with a case (a signed consent form, a medical certificate, a court document). Only those working the case
/// (its advocate or a coordinator) see them, like the person's identity; every download is audited. A file is accepted
/// by what its content is, never by its name; images lose their metadata; each file is sealed with a key of its own,
/// kept sealed by the case's key. Deleting a document destroys the file and keeps the record of it, with the reason.
/// </summary>
public sealed class DocumentService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    CaseScope cases,
    CommandPath path,
    FieldProtector protector,
    IAuditLog audit,
    IOptions<DocumentOptions> options)
{
    public const string DownloadPath = "/documents";

    private const int FileKeyBytes = 32;

    public static string RecordType => Records.Document.Type;

    public static string DownloadLink(Guid documentId) => $"{DownloadPath}/{documentId}";

    public long MaxBytes => options.Value.MaxBytes;

    /// <summary>The case's documents, or null when the case is out of scope; an empty list for those not working the case.</summary>
    public async Task<CaseDocumentList?> GetForCaseAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await cases.FindCaseAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return null;
        }

        if (!CasePermission.MayWork(scope, survivorCase))
        {
            return new CaseDocumentList(caseId, false, false, MaxBytes, [], [], new Dictionary<string, string>());
        }

        var documents = await db.Documents.AsNoTracking().Where(d => d.CaseId == caseId).OrderByDescending(d => d.UploadedAtUtc).ToListAsync(cancellationToken);
        var referrals = await db.Referrals.AsNoTracking().Where(r => r.CaseId == caseId).OrderBy(r => r.CreatedAtUtc)
            .Join(db.Set<Provider>(), r => r.ProviderId, p => p.Id, (r, p) => new DocumentReferral(r.Id, r.Type, p.Name))
            .ToListAsync(cancellationToken);
        var userIds = documents.SelectMany(d => new[] { d.UploadedBy, d.DeletedBy }).OfType<string>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return new CaseDocumentList(caseId, true, !survivorCase.IsErased, MaxBytes, documents, referrals, names);
    }

    /// <summary>
    /// Attaches a file. The same file attached to the case again (an upload retried after the link dropped) answers with
    /// the document already there instead of a second copy.
    /// </summary>
    public Task<CommandResult> AttachAsync(UserScope scope, Guid caseId, DocumentUpload upload, CancellationToken cancellationToken = default) =>
        path.AddToCaseAsync(scope, caseId, "attach a document", CasePermission.WorkOnCase, async work =>
        {
            var kind = work.Problems.Defined("Kind", upload.Kind, "The document's type");
            var note = work.Problems.Text("Note", upload.Note, "The note", CaseDocument.NoteMaxLength, required: false);
            var content = Accept(work.Problems, upload);
            if (upload.ReferralId is { } referralId && !await work.Db.Referrals.AnyAsync(r => r.Id == referralId && r.CaseId == caseId, cancellationToken))
            {
                work.Problems.Add("Referral", DocumentErrors.WrongReferral, "The referral is not one of this case's.");
            }

            if (work.Problems.Any || content is not { } accepted)
            {
                return;
            }

            var hash = Convert.ToHexStringLower(SHA256.HashData(upload.Content));
            var already = await work.Db.Documents.AsNoTracking()
                .Where(d => d.CaseId == caseId && d.ContentHash == hash && d.DeletedAtUtc == null)
                .Select(d => (Guid?)d.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (already is { } existing)
            {
                work.Created = existing;
                return;
            }

            // A name's direction controls could make "…\u202Efdp.exe" read as "…exe.pdf"; they go before its extension is checked.
            var document = CaseDocument.Attach(caseId, upload.ReferralId, kind!.Value, UserText.Clean(upload.FileName), note, accepted.Format, accepted.Bytes.Length, hash, scope.UserId, clock);
            var fileKey = RandomNumberGenerator.GetBytes(FileKeyBytes);
            var sealedKey = await protector.SealForCaseAsync(work.Db, caseId, fileKey, cancellationToken);
            work.Db.Documents.Add(document);
            work.Db.DocumentContents.Add(DocumentContent.Of(document.Id, sealedKey, protector.Seal(accepted.Bytes, document.Id, fileKey)));
            work.Created = document.Id;
            work.Audit(AuditAction.Created, RecordType, document.Id, $"{document.Kind}, {document.Format}, {document.SizeBytes} bytes");
            work.Publish(LiveEventKind.DocumentChanged, document.Id);
        }, cancellationToken);

    /// <summary>
    /// The file, for someone working its case; null when it does not exist, was deleted, or is out of reach (an attempt
    /// out of scope or by someone not working the case is audited). Written to the case's audit trail before it is returned.
    /// </summary>
    public async Task<DownloadFile?> OpenAsync(UserScope scope, Guid documentId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (scope.IsProvider)
        {
            return await OpenForProviderAsync(db, scope, documentId, cancellationToken);
        }

        var caseId = await db.Documents.Where(d => d.Id == documentId).Select(d => (Guid?)d.CaseId).FirstOrDefaultAsync(cancellationToken);
        if (caseId is null || await cases.FindCaseToShowAsync(db, scope, caseId.Value, cancellationToken) is not { } survivorCase)
        {
            return null;
        }

        // Looks at a document are entries of its case, like a reveal of the identity, so the case's access log shows them.
        if (!CasePermission.MayWork(scope, survivorCase))
        {
            await audit.RecordAsync(AuditAction.AccessDenied, Records.Case.Type, survivorCase.Id.ToString(), $"download document {documentId}", cancellationToken);
            return null;
        }

        var document = await db.Documents.AsNoTracking().FirstAsync(d => d.Id == documentId, cancellationToken);
        var stored = await db.DocumentContents.AsNoTracking().FirstOrDefaultAsync(c => c.DocumentId == documentId, cancellationToken);
        if (document.IsDeleted || stored is null)
        {
            return null;
        }

        var content = protector.Open(stored.Sealed, protector.Open(stored.SealedKey));
        await audit.RecordAsync(AuditAction.DownloadedDocument, Records.Case.Type, survivorCase.Id.ToString(), $"document {documentId}: {document.Kind}, {document.Format}", cancellationToken);
        return new DownloadFile(content, DocumentFormats.ContentType(document.Format), document.FileName);
    }

    /// <summary>
    /// The documents attached to a referral, for the provider it is addressed to when the consent in force shares
    /// documents with it (<see cref="SharedField.Documents"/>); otherwise none. Listed by kind and date, never by the
    /// name they were uploaded with, which may name the person.
    /// </summary>
    public async Task<IReadOnlyList<SharedDocument>> SharedWithProviderAsync(UserScope scope, Guid referralId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await SharedReferralAsync(db, scope, referralId, cancellationToken) is null)
        {
            return [];
        }

        return await db.Documents.AsNoTracking().Where(d => d.ReferralId == referralId && d.DeletedAtUtc == null)
            .OrderBy(d => d.UploadedAtUtc)
            .Select(d => new SharedDocument(d.Id, d.Kind, d.Format, d.UploadedAtUtc))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Where a provider's user downloads a document shared with them: under their desk, the only pages open to them.</summary>
    public static string ProviderDownloadLink(Guid documentId) => $"{PublicPaths.ProviderDesk}{DownloadPath}/{documentId}";

    private async Task<DownloadFile?> OpenForProviderAsync(PortalDbContext db, UserScope scope, Guid documentId, CancellationToken cancellationToken)
    {
        var document = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return null;
        }

        var stored = document.ReferralId is { } referralId && await SharedReferralAsync(db, scope, referralId, cancellationToken) is not null && !document.IsDeleted
            ? await db.DocumentContents.AsNoTracking().FirstOrDefaultAsync(c => c.DocumentId == documentId, cancellationToken)
            : null;
        if (stored is null)
        {
            await audit.RecordAsync(AuditAction.AccessDenied, Records.Case.Type, document.CaseId.ToString(), $"provider download of document {documentId}", cancellationToken);
            return null;
        }

        var content = protector.Open(stored.Sealed, protector.Open(stored.SealedKey));
        await audit.RecordAsync(AuditAction.DownloadedDocument, Records.Case.Type, document.CaseId.ToString(), $"document {documentId}: {document.Kind}, {document.Format}, by the provider", cancellationToken);
        var extension = Path.GetExtension(document.FileName);
        return new DownloadFile(content, DocumentFormats.ContentType(document.Format), $"{document.Kind}-{documentId.ToString("N")[^6..]}{extension}");
    }

    /// <summary>The referral when it is addressed to the viewer's provider and the consent shares documents with it.</summary>
    private async Task<Referral?> SharedReferralAsync(PortalDbContext db, UserScope scope, Guid referralId, CancellationToken cancellationToken)
    {
        if (!scope.IsProvider || !await cases.SessionOpenAsync(scope, Records.Referral.Type, cancellationToken))
        {
            return null;
        }

        var referral = await db.Referrals.AsNoTracking().FirstOrDefaultAsync(r => r.Id == referralId, cancellationToken);
        if (referral is null || !ProviderCopy.IsFor(referral, scope.ProviderId!.Value))
        {
            return null;
        }

        var survivorCase = await db.Cases.AsNoTracking().FirstAsync(c => c.Id == referral.CaseId, cancellationToken);
        return ProviderCopy.SharedWith(survivorCase, referral.ProviderId, clock.GetUtcDateTime()).HasFlag(SharedField.Documents) ? referral : null;
    }

    /// <summary>Destroys the file; the record stays, with who deleted it, when and why.</summary>
    public Task<CommandResult> DeleteAsync(UserScope scope, Seen<CaseDocument> document, string? reason, CancellationToken cancellationToken = default) =>
        path.ChangeAsync(scope, document, "delete a document", CasePermission.WorkOnCase, work =>
        {
            var text = work.Problems.Text("Reason", reason, "The reason for deleting the document", CaseDocument.ReasonMaxLength, required: true);
            if (work.Problems.Any)
            {
                return;
            }

            work.Record.Delete(text!, scope.UserId, clock);
            work.Db.DocumentContents.Remove(DocumentContent.Of(work.Record.Id, [], []));
            work.Audit(AuditAction.Deleted, "file destroyed");
            work.Publish(LiveEventKind.DocumentChanged, work.Record.Id);
        }, cancellationToken);

    /// <summary>The file as it will be stored, or null with the problem said on the "File" field.</summary>
    private (DocumentFormat Format, byte[] Bytes)? Accept(FormProblems problems, DocumentUpload upload)
    {
        if (upload.Content.Length == 0)
        {
            problems.Add("File", DocumentErrors.Empty, "The file is empty.");
            return null;
        }

        if (upload.Content.Length > MaxBytes)
        {
            problems.Add("File", DocumentErrors.TooLarge, $"The file is larger than {options.Value.MaxFileSizeMegabytes} MB.", options.Value.MaxFileSizeMegabytes);
            return null;
        }

        if (problems.Text("FileName", upload.FileName, "The file's name", CaseDocument.FileNameMaxLength, required: true) is null)
        {
            return null;
        }

        if (DocumentFormats.Detect(upload.Content.AsSpan(0, Math.Min(upload.Content.Length, DocumentFormats.SignatureLength))) is not { } format)
        {
            problems.Add("File", DocumentErrors.NotAccepted, "This file is not a PDF, JPEG or PNG file, whatever its name says. Scan or save it as one of those.");
            return null;
        }

        if (!DocumentFormats.IsImage(format))
        {
            return (format, upload.Content);
        }

        var cleaned = ImageCleaner.Clean(upload.Content, format == DocumentFormat.Png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg);
        if (cleaned is null)
        {
            problems.Add("File", DocumentErrors.UnreadableImage, "The image cannot be read: it is damaged, or too large to process.");
            return null;
        }

        return (format, cleaned);
    }
}

/// <summary>Refusal codes of the documents' forms (translated as Field_{code} in CommandText).</summary>
public static class DocumentErrors
{
    public const string Empty = "document.empty";
    public const string TooLarge = "document.too-large";
    public const string NotAccepted = "document.not-accepted";
    public const string UnreadableImage = "document.unreadable-image";
    public const string WrongReferral = "document.wrong-referral";
}
