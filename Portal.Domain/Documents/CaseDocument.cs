using Portal.Domain.Common;

namespace Portal.Domain.Documents;

/// <summary>What a document is, as the advocate files it.</summary>
public enum DocumentKind
{
    ConsentForm,
    Medical,
    Legal,
    IdentityDocument,
    Other,
}

/// <summary>
/// A file attached to a case, or to one of its referrals. The record outlives the file: deleting a document destroys
/// its content and keeps who deleted it, when and why. Its file name and note are protected like any case text; the
/// content itself is stored apart, sealed with a key of its own.
/// </summary>
public sealed class CaseDocument : VersionedEntity
{
    public const int FileNameMaxLength = 200;
    public const int NoteMaxLength = 2_000;
    public const int ReasonMaxLength = 1_000;

    private CaseDocument()
    {
    }

    public Guid Id { get; private set; }

    public Guid CaseId { get; private set; }

    /// <summary>The referral the document goes with (a medical certificate for a medical referral); null for the case itself.</summary>
    public Guid? ReferralId { get; private set; }

    public DocumentKind Kind { get; private set; }

    /// <summary>The name it was uploaded with, its extension made to match what the content is.</summary>
    public string FileName { get; private set; } = string.Empty;

    public string? Note { get; private set; }

    public DocumentFormat Format { get; private set; }

    public long SizeBytes { get; private set; }

    /// <summary>SHA-256 of the file as uploaded (hex): the same file attached twice to a case is the same document.</summary>
    public string ContentHash { get; private set; } = string.Empty;

    public string UploadedBy { get; private set; } = string.Empty;

    public DateTime UploadedAtUtc { get; private set; }

    public DateTime? DeletedAtUtc { get; private set; }

    public string? DeletedBy { get; private set; }

    public string? DeleteReason { get; private set; }

    public bool IsDeleted => DeletedAtUtc is not null;

    public static CaseDocument Attach(
        Guid caseId, Guid? referralId, DocumentKind kind, string fileName, string? note, DocumentFormat format, long sizeBytes, string contentHash, string by, TimeProvider clock)
    {
        var document = new CaseDocument
        {
            Id = Guid.CreateVersion7(),
            CaseId = caseId,
            ReferralId = referralId,
            Kind = Guard.Defined(kind, "Document type"),
            FileName = DocumentFormats.NameFor(Guard.Required(fileName, "File name", FileNameMaxLength), Guard.Defined(format, "File format")),
            Note = Guard.Optional(note, "Note", NoteMaxLength),
            Format = format,
            SizeBytes = sizeBytes > 0 ? sizeBytes : throw new DomainException(ErrorCodes.InvalidValue, "The file is empty."),
            ContentHash = Guard.Required(contentHash, "Content hash", 64),
            UploadedBy = Guard.UserId(by, "The person attaching the document"),
            UploadedAtUtc = clock.GetUtcDateTime(),
        };
        document.Touch();
        return document;
    }

    /// <summary>The content goes (the caller destroys it); the record stays, saying who deleted it and why.</summary>
    public void Delete(string reason, string by, TimeProvider clock)
    {
        if (IsDeleted)
        {
            throw new DomainException(ErrorCodes.DocumentDeleted, $"The document was already deleted on {DeletedAtUtc:yyyy-MM-dd}.");
        }

        DeleteReason = Guard.Required(reason, "The reason for deleting the document", ReasonMaxLength);
        DeletedBy = Guard.UserId(by, "The person deleting the document");
        DeletedAtUtc = clock.GetUtcDateTime();
        Touch();
    }
}
