using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Portal.Features.Intake.Abuse;

public enum ProofOfWorkOutcome
{
    Valid,
    Missing,
    Forged,
    Expired,
    WrongAnswer,
    Reused,
}

/// <summary>A challenge as rendered into a form: the signed token and the difficulty the browser must meet.</summary>
public sealed record ProofOfWorkChallenge(string Token, int Difficulty);

/// <summary>
/// A self-hosted proof-of-work: the server signs a random challenge (Data Protection: authenticated
/// encryption, so it cannot be forged or altered), the browser searches for a nonce such that
/// SHA-256(token ":" nonce) starts with the required number of zero bits, and the server accepts each
/// challenge once before it expires. No third party, works offline, costs a bot far more than a person.
/// </summary>
public sealed class ProofOfWork(IDataProtectionProvider dataProtection, TimeProvider time, IOptionsMonitor<IntakeOptions> options, OneTimeTokens used)
{
    private const int MaxNonceLength = 32;
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Portal.Intake.ProofOfWork.v1");

    public ProofOfWorkChallenge Issue()
    {
        var settings = options.CurrentValue;
        var difficulty = Math.Clamp(settings.ProofOfWorkDifficulty, 0, 32);
        var expires = time.GetUtcNow().Add(settings.ProofOfWorkLifetime).ToUnixTimeSeconds();
        var payload = string.Create(CultureInfo.InvariantCulture, $"{RandomNumberGenerator.GetHexString(32, lowercase: true)}|{expires}|{difficulty}");
        return new ProofOfWorkChallenge(_protector.Protect(payload), difficulty);
    }

    public ProofOfWorkOutcome Verify(string? token, string? nonce)
    {
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(nonce) || nonce.Length > MaxNonceLength)
        {
            return ProofOfWorkOutcome.Missing;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return ProofOfWorkOutcome.Forged;
        }

        var parts = payload.Split('|');
        if (parts.Length != 3
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresUnix)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var difficulty))
        {
            return ProofOfWorkOutcome.Forged;
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(expiresUnix);
        if (expires <= time.GetUtcNow())
        {
            return ProofOfWorkOutcome.Expired;
        }

        if (LeadingZeroBits(token, nonce) < difficulty)
        {
            return ProofOfWorkOutcome.WrongAnswer;
        }

        return used.TryUse("pow:" + parts[0], expires) ? ProofOfWorkOutcome.Valid : ProofOfWorkOutcome.Reused;
    }

    /// <summary>Zero bits at the start of SHA-256(token ":" nonce), as the browser's solver counts them.</summary>
    internal static int LeadingZeroBits(string token, string nonce)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token + ":" + nonce));
        var bits = 0;
        for (var i = 0; i < hash.Length; i += 4)
        {
            var word = BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(i, 4));
            if (word != 0)
            {
                return bits + System.Numerics.BitOperations.LeadingZeroCount(word);
            }

            bits += 32;
        }

        return bits;
    }

    /// <summary>Finds a nonce the way the browser does; for tests and tools, never for the server's own forms.</summary>
    internal static string Solve(string token, int difficulty)
    {
        for (var n = 0L; ; n++)
        {
            var nonce = n.ToString(CultureInfo.InvariantCulture);
            if (LeadingZeroBits(token, nonce) >= difficulty)
            {
                return nonce;
            }
        }
    }
}
