using System.Globalization;
using System.Text;

namespace Portal.Features.Localization;

/// <summary>
/// Formats a resource string whose counts follow the language's plural rules, written in the ICU MessageFormat way
/// translators know: <c>{0, plural, one {# day overdue} other {# days overdue}}</c>, where <c>#</c> is the number.
/// The form is chosen by the UI language's CLDR cardinal rule (French says "0 jour", English "0 days"); the rest of the
/// string is an ordinary composite format. Every localizer of the portal formats through here
/// (<see cref="PluralStringLocalizerFactory"/>), so a count is never pluralised by hand.
/// </summary>
public static class PluralFormat
{
    public static string Format(string pattern, CultureInfo uiCulture, CultureInfo numberCulture, params object?[] arguments)
    {
        var chosen = pattern.Contains(", plural,", StringComparison.Ordinal) ? ChoosePlurals(pattern, uiCulture, numberCulture, arguments) : pattern;
        return arguments.Length == 0 ? chosen : string.Format(numberCulture, chosen, arguments);
    }

    /// <summary>The CLDR cardinal category of a whole number in a language: zero, one, two, few, many or other.</summary>
    public static string Category(CultureInfo culture, long n)
    {
        var i = Math.Abs(n);
        return culture.TwoLetterISOLanguageName switch
        {
            "en" or "sw" => i == 1 ? "one" : "other",
            "fr" => i is 0 or 1 ? "one" : i % 1_000_000 == 0 ? "many" : "other",
            "ln" => i is 0 or 1 ? "one" : "other",
            "ar" => i switch
            {
                0 => "zero",
                1 => "one",
                2 => "two",
                _ when i % 100 is >= 3 and <= 10 => "few",
                _ when i % 100 is >= 11 and <= 99 => "many",
                _ => "other",
            },
            _ => "other", // Sango and Haitian Creole do not inflect nouns for number
        };
    }

    private static string ChoosePlurals(string pattern, CultureInfo uiCulture, CultureInfo numberCulture, object?[] arguments)
    {
        var result = new StringBuilder(pattern.Length);
        var at = 0;
        while (at < pattern.Length)
        {
            var open = pattern.IndexOf('{', at);
            var comma = open < 0 ? -1 : pattern.IndexOf(", plural,", open, StringComparison.Ordinal);
            if (open < 0 || comma < 0 || !int.TryParse(pattern.AsSpan(open + 1, comma - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                // Not a plural block: copy through the next brace (and any escaped pair) unchanged.
                var next = open < 0 ? pattern.Length : open + 1;
                result.Append(pattern, at, next - at);
                at = next;
                continue;
            }

            result.Append(pattern, at, open - at);
            var (forms, end) = Forms(pattern, comma + ", plural,".Length);
            var count = index < arguments.Length ? CountOf(arguments[index], numberCulture) : null;
            var form = count is { } n ? forms.GetValueOrDefault($"={n}") ?? forms.GetValueOrDefault(Category(uiCulture, n)) : null;
            form ??= forms.GetValueOrDefault("other") ?? "";
            result.Append(count is { } shown ? form.Replace("#", shown.ToString("N0", numberCulture), StringComparison.Ordinal) : form);
            at = end;
        }

        return result.ToString();
    }

    /// <summary>The whole number a count argument holds; a number already written as text is read back in the number culture.</summary>
    private static long? CountOf(object? argument, CultureInfo numberCulture) => argument switch
    {
        null => null,
        string text => long.TryParse(text, NumberStyles.Integer | NumberStyles.AllowThousands, numberCulture, out var parsed) ? parsed : null,
        IConvertible number => Convert.ToInt64(number, CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The forms of one plural block ("one {...} other {...}") and the position after its closing brace.</summary>
    private static (Dictionary<string, string> Forms, int End) Forms(string pattern, int at)
    {
        var forms = new Dictionary<string, string>(StringComparer.Ordinal);
        while (at < pattern.Length)
        {
            while (at < pattern.Length && char.IsWhiteSpace(pattern[at]))
            {
                at++;
            }

            if (at >= pattern.Length || pattern[at] == '}')
            {
                return (forms, at + 1);
            }

            var brace = pattern.IndexOf('{', at);
            if (brace < 0)
            {
                throw new FormatException($"A plural form has no text in \"{pattern}\".");
            }

            var selector = pattern[at..brace].Trim();
            var depth = 1;
            var close = brace + 1;
            for (; close < pattern.Length && depth > 0; close++)
            {
                depth += pattern[close] switch { '{' => 1, '}' => -1, _ => 0 };
            }

            if (depth != 0)
            {
                throw new FormatException($"A plural form is not closed in \"{pattern}\".");
            }

            forms[selector] = pattern[(brace + 1)..(close - 1)];
            at = close;
        }

        throw new FormatException($"A plural block is not closed in \"{pattern}\".");
    }
}
