using PdfSharp.Fonts;

namespace Portal.Features.ProviderDesk;

/// <summary>
/// The letter's fonts come from the assembly, so a server or container with no fonts installed still renders it.
/// DejaVu Sans writes French and the accented names of the countries served; its licence is in Fonts/LICENSE.
/// </summary>
internal sealed class LetterFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    /// <summary>Every family asked for (PDFsharp asks for its own defaults too) resolves to DejaVu Sans, the only face on board.</summary>
    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName)
    {
        if (faceName is not (RegularFace or BoldFace))
        {
            return null;
        }

        using var stream = typeof(LetterFonts).Assembly.GetManifestResourceStream($"Portal.ProviderDesk.{faceName}.ttf")
            ?? throw new InvalidOperationException($"The font {faceName} is not embedded in the portal.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
