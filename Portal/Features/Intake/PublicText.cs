using System.Text;

namespace Portal.Features.Intake;

/// <summary>
/// What the public pages do to text before storing it: drop NUL and other control characters (which some
/// tools and databases truncate at or choke on) and trim, and nothing else. Markup, "javascript:" and
/// right-to-left overrides are kept exactly as written: they are harmless as data because every page renders
/// them as text, isolated from the surrounding layout.
/// </summary>
public static class PublicText
{
    public static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            // "\r\n" and "\n" are stored alike, so \r goes with the other control characters.
            if (!char.IsControl(c) || c is '\n' or '\t')
            {
                builder.Append(c);
            }
        }

        var cleaned = builder.ToString().Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }
}
