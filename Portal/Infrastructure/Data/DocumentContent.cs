namespace Portal.Infrastructure.Data;

/// <summary>
/// A document's bytes at rest. The file has a key of its own (AES-256-GCM); that key is kept sealed by the case's key,
/// which the Data Protection key ring wraps in turn. Destroying the case key (retention) makes every copy of the file
/// unreadable, backups included; deleting one document deletes this row.
/// </summary>
public sealed class DocumentContent
{
    private DocumentContent()
    {
    }

    public Guid DocumentId { get; private set; }

    /// <summary>The file's key, sealed with the case's key (see <see cref="Security.FieldProtector.SealForCaseAsync"/>).</summary>
    public byte[] SealedKey { get; private set; } = [];

    /// <summary>The file, sealed with its own key.</summary>
    public byte[] Sealed { get; private set; } = [];

    public static DocumentContent Of(Guid documentId, byte[] sealedKey, byte[] sealedContent) =>
        new() { DocumentId = documentId, SealedKey = sealedKey, Sealed = sealedContent };
}
