using Portal.Domain.Documents;
using Portal.Domain.Referrals;

namespace Portal.Features.Documents;

/// <summary>A file as the upload form hands it over. <paramref name="ReferralId"/> null: the document goes with the case.</summary>
public sealed record DocumentUpload(DocumentKind? Kind, string? Note, Guid? ReferralId, string FileName, byte[] Content);

/// <summary>A referral of the case that a document can go with.</summary>
public sealed record DocumentReferral(Guid Id, ReferralType Type, string ProviderName);

/// <summary>
/// A case's documents as its tab shows them, the deleted ones included (with who deleted them and why). Only those
/// working the case see them (<paramref name="MayWork"/>); they attach more unless retention has erased the case.
/// </summary>
public sealed record CaseDocumentList(
    Guid CaseId,
    bool MayWork,
    bool CanAttach,
    long MaxBytes,
    IReadOnlyList<CaseDocument> Documents,
    IReadOnlyList<DocumentReferral> Referrals,
    IReadOnlyDictionary<string, string> Names);

/// <summary>A document a provider may download with a referral: what kind it is and when it came, not its name.</summary>
public sealed record SharedDocument(Guid Id, DocumentKind Kind, DocumentFormat Format, DateTime UploadedAtUtc);
