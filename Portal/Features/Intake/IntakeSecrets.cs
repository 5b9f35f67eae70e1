using System.Security.Cryptography;
using System.Text;

namespace Portal.Features.Intake;

/// <summary>
/// Reference codes and passphrases handed to a person once, to check on their request later. Random, from an
/// alphabet without look-alikes (no 0/O, 1/I/L), grouped so they can be copied by hand or read over a phone.
/// </summary>
public static class IntakeSecrets
{
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// <summary>10 symbols, about 49 bits: unguessable, and not the case number (which reveals country and count).</summary>
    public static string NewReferenceCode() => Group(RandomNumberGenerator.GetString(Alphabet, 10), 5);

    /// <summary>16 symbols, about 79 bits.</summary>
    public static string NewPassphrase() => Group(RandomNumberGenerator.GetString(Alphabet, 16), 4);

    /// <summary>Upper case without spaces or dashes, so "k7qf3 mxr9w" finds "K7QF3-MXR9W".</summary>
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
