using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Portal.Resources;

namespace Portal.Components.Shared;

public static partial class EnumText
{
    /// <summary>
    /// An enumeration value in the user's language: the translation "Enum_{Type}_{Value}" where one exists, else
    /// the value's own name split into words ("PeacekeepingMission" → "Peacekeeping mission").
    /// </summary>
    public static string Of<TEnum>(this IStringLocalizer<SharedResource> text, TEnum value)
        where TEnum : struct, Enum
    {
        var translated = text[$"Enum_{typeof(TEnum).Name}_{value}"];
        if (!translated.ResourceNotFound)
        {
            return translated.Value;
        }

        var words = Words().Replace(value.ToString(), " $1").Trim();
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..].ToLowerInvariant();
    }

    /// <summary>A feature's own translation of the value ("Enum_{Type}_{Value}" in its resources) where it has one, else the shared one.</summary>
    public static string Of<TEnum>(this IStringLocalizer featureText, IStringLocalizer<SharedResource> shared, TEnum value)
        where TEnum : struct, Enum
    {
        var translated = featureText[$"Enum_{typeof(TEnum).Name}_{value}"];
        return translated.ResourceNotFound ? shared.Of(value) : translated.Value;
    }

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex Words();
}
