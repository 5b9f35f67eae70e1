using System.Security.Cryptography;
using System.Text;

namespace Portal.Features.Intake;

/// <summary>
/// The passphrase handed to a person once, with the submission's reference code (which the domain issues), to
/// check on their request later. Random, from an alphabet without look-alikes (no 0/O, 1/I/L), grouped so it can
/// be copied by hand or read over a phone.
/// </summary>
public static class IntakeSecrets
{
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// <summary>16 symbols, about 79 bits.</summary>
    public static string NewPassphrase() => Group(RandomNumberGenerator.GetString(Alphabet, 16), 4);

    /// <summary>Upper case without spaces or dashes, so "k7qm 4hxp-r2td" finds "K7QM-4HXP-R2TD".</summary>
    public static string Normalize(string? typed)
    {
        if (string.IsNullOrEmpty(typed))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(typed.Length);
        foreach (var c in typed)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static string Group(string symbols, int size) =>
        string.Join('-', symbols.Chunk(size).Select(chunk => new string(chunk)));
}
