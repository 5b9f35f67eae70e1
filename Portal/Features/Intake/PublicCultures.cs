using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Portal.Features.Intake;

/// <summary>One language of the public pages.</summary>
/// <param name="Code">BCP 47 language tag, also the resource culture.</param>
/// <param name="NativeName">The language's name in itself, as shown in the switch.</param>
/// <param name="RightToLeft">Written right to left (sets dir="rtl").</param>
/// <param name="Draft">Translated but not yet reviewed by a native speaker; the pages say so.</param>
public sealed record PublicLanguage(string Code, string NativeName, bool RightToLeft = false, bool Draft = false)
{
    public CultureInfo Culture => CultureInfo.GetCultureInfo(Code);
}

/// <summary>
/// The languages of the public help pages, which are more than the staff pages speak (en, fr). They are
/// resolved here, for /help only, so that a staff page can never pick up a language it has no translation for.
/// </summary>
public static class PublicCultures
{
    /// <summary>The public pages' own cookie; the staff culture cookie is left alone.</summary>
    public const string CookieName = ".Portal.HelpLanguage";

    public static readonly IReadOnlyList<PublicLanguage> All =
    [
        new("en", "English"),
        new("fr", "Français"),
        new("ht", "Kreyòl ayisyen"),
        new("sw", "Kiswahili"),
        new("ar", "العربية", RightToLeft: true),
        new("ln", "Lingála", Draft: true),
        new("sg", "Sängö", Draft: true),
    ];

    public static PublicLanguage Default => All[0];

    public static PublicLanguage? Find(string? code) =>
        string.IsNullOrWhiteSpace(code) ? null : All.FirstOrDefault(l => string.Equals(l.Code, code.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The current request's language (set by the public pages' middleware before any page renders).</summary>
    public static PublicLanguage Current => Find(CultureInfo.CurrentUICulture.Name) ?? Default;

    /// <summary>The remembered choice first, then the browser's Accept-Language, then English.</summary>
    public static PublicLanguage Resolve(HttpRequest request)
    {
        if (Find(request.Cookies[CookieName]) is { } chosen)
        {
            return chosen;
        }

        return FromAcceptLanguage(request.Headers.AcceptLanguage.ToString()) ?? Default;
    }

    /// <summary>Best supported language by quality; "fr-CD" matches "fr", "*" matches nothing in particular.</summary>
    internal static PublicLanguage? FromAcceptLanguage(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || !StringWithQualityHeaderValue.TryParseList(header.Split(','), out var values))
        {
            return null;
        }

        return values
            .Select((value, index) => (value, index))
            .Where(v => (v.value.Quality ?? 1) > 0)
            .OrderByDescending(v => v.value.Quality ?? 1)
            .ThenBy(v => v.index)
            .Select(v => Find(v.value.Value.Value?.Split('-')[0]))
            .FirstOrDefault(l => l is not null);
    }
}
