namespace Portal.Domain.Documents;

/// <summary>The kinds of file a case can hold.</summary>
public enum DocumentFormat
{
    Pdf,
    Jpeg,
    Png,
}

/// <summary>What a file is, told by its first bytes, never by its name: a name costs nothing to change.</summary>
public static class DocumentFormats
{
    /// <summary>Enough of the file's start to tell every accepted format.</summary>
    public const int SignatureLength = 8;

    private static ReadOnlySpan<byte> Pdf => "%PDF-"u8;

    private static ReadOnlySpan<byte> Jpeg => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The format the content starts like, or null when it is none of those accepted.</summary>
    public static DocumentFormat? Detect(ReadOnlySpan<byte> start) =>
        start.StartsWith(Pdf) ? DocumentFormat.Pdf
        : start.StartsWith(Png) ? DocumentFormat.Png
        : start.StartsWith(Jpeg) ? DocumentFormat.Jpeg
        : null;

    public static string ContentType(DocumentFormat format) => format switch
    {
        DocumentFormat.Pdf => "application/pdf",
        DocumentFormat.Jpeg => "image/jpeg",
        DocumentFormat.Png => "image/png",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string Extension(DocumentFormat format) => format switch
    {
        DocumentFormat.Pdf => ".pdf",
        DocumentFormat.Jpeg => ".jpg",
        DocumentFormat.Png => ".png",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static bool IsImage(DocumentFormat format) => format is DocumentFormat.Jpeg or DocumentFormat.Png;

    /// <summary>The name with the extension of what the file is, so that a download opens in the right program.</summary>
    public static string NameFor(string fileName, DocumentFormat format)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name).ToLowerInvariant();
        var fits = extension == Extension(format) || (format == DocumentFormat.Jpeg && extension == ".jpeg");
        return fits ? name : (stem.Length > 0 ? stem : "document") + Extension(format);
    }
}
