using System.Globalization;
using System.Net;
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

    /// <summary>Solved, but issued at a level well below the one the pressure now asks for.</summary>
    Outdated,

    /// <summary>Sent without an answer (no JavaScript) while more than the usual number of submissions arrive.</summary>
    Busy,
}

/// <summary>
/// A challenge as rendered into a form: the signed token, and for each puzzle i the SHA-256 of
/// <c>salt ":" i ":" number</c> whose number, below 2^<see cref="Bits"/>, the browser must find.
/// </summary>
/// <param name="Answer">The numbers, comma-separated, when the form is rendered again with a proof already found.</param>
public sealed record ProofOfWorkChallenge(string Token, string Salt, IReadOnlyList<string> Targets, int Bits, string? Answer = null)
{
    /// <summary>The largest number a puzzle may hide.</summary>
    public long Max => (1L << Bits) - 1;
}

/// <summary>
/// A self-hosted proof of work. The server picks a secret number per puzzle and signs them into the challenge
/// (Data Protection: authenticated encryption, so they can be neither read nor altered); the browser finds each
/// by trying every number from 0 against its hash, on average half the range and never more than all of it, so
/// the time has a hard ceiling. The range grows with <see cref="SubmissionPressure"/>; each challenge is accepted
/// once, before it expires. No third party, and a form sent without JavaScript is accepted without an answer only
/// while submissions run at their usual level.
/// </summary>
public sealed class ProofOfWork(IDataProtectionProvider dataProtection, TimeProvider time, IOptionsMonitor<IntakeOptions> options, OneTimeTokens used, SubmissionPressure pressure)
{
    /// <summary>A challenge one level below the current one is still accepted: a small rise while the person writes does not send them back.</summary>
    public const int GraceBits = 1;

    private const int MaxAnswerLength = 200;
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Portal.Intake.ProofOfWork.v2");

    /// <summary>The current level for <paramref name="address"/>: the resting bits plus what the pressure adds.</summary>
    public int BitsFor(IPAddress? address)
    {
        var settings = options.CurrentValue.ProofOfWork;
        return Math.Clamp(settings.RestBits + pressure.ExtraBits(address), 1, 30);
    }

    public ProofOfWorkChallenge Issue(IPAddress? address)
    {
        var settings = options.CurrentValue.ProofOfWork;
        var bits = BitsFor(address);
        var salt = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var numbers = Enumerable.Range(0, Math.Clamp(settings.Puzzles, 1, 16)).Select(_ => RandomNumberGenerator.GetInt32(0, 1 << bits)).ToArray();
        var expires = time.GetUtcNow().Add(settings.Lifetime).ToUnixTimeSeconds();
        var token = _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{salt}|{expires}|{bits}|{string.Join(',', numbers)}"));
        return new ProofOfWorkChallenge(token, salt, Targets(salt, numbers), bits);
    }

    /// <summary>
    /// The posted challenge again, for a form refused for another reason: with its answer when that answer is right,
    /// so the person's device does not do the work twice. Null when the challenge is not genuine or has expired.
    /// </summary>
    public ProofOfWorkChallenge? Resume(string? token, string? answer)
    {
        if (Read(token) is not { } challenge || challenge.Expires <= time.GetUtcNow())
        {
            return null;
        }

        return new ProofOfWorkChallenge(token!, challenge.Salt, Targets(challenge.Salt, challenge.Numbers), challenge.Bits,
            Answers(answer) is { } numbers && numbers.SequenceEqual(challenge.Numbers) ? answer : null);
    }

    /// <summary>Checks the posted challenge and answer from <paramref name="address"/>, uses the challenge up, and counts an accepted one.</summary>
    public ProofOfWorkOutcome Verify(string? token, string? answer, IPAddress? address)
    {
        if (string.IsNullOrEmpty(token))
        {
            return ProofOfWorkOutcome.Missing;
        }

        if (Read(token) is not { } challenge)
        {
            return ProofOfWorkOutcome.Forged;
        }

        if (challenge.Expires <= time.GetUtcNow())
        {
            return ProofOfWorkOutcome.Expired;
        }

        if (string.IsNullOrEmpty(answer))
        {
            // Without JavaScript: accepted only while neither the total nor this address runs above normal.
            if (pressure.ExtraBits(address) > 0)
            {
                return ProofOfWorkOutcome.Busy;
            }
        }
        else if (Answers(answer) is not { } numbers || !numbers.SequenceEqual(challenge.Numbers))
        {
            return ProofOfWorkOutcome.WrongAnswer;
        }
        else if (challenge.Bits < BitsFor(address) - GraceBits)
        {
            return ProofOfWorkOutcome.Outdated;
        }

        if (!used.TryUse("pow:" + challenge.Salt, challenge.Expires))
        {
            return ProofOfWorkOutcome.Reused;
        }

        pressure.Record(address);
        return ProofOfWorkOutcome.Valid;
    }

    /// <summary>Finds the numbers the way the browser does (help/pow-worker.js); for tests and tools, never for the server's own forms.</summary>
    internal static string Solve(string salt, IReadOnlyList<string> targets, int bits)
    {
        var answers = new List<int>();
        for (var i = 0; i < targets.Count; i++)
        {
            var n = 0;
            while (n < 1 << bits && Hash(salt, i, n) != targets[i])
            {
                n++;
            }

            answers.Add(n);
        }

        return string.Join(',', answers);
    }

    private static string[] Targets(string salt, IReadOnlyList<int> numbers) => numbers.Select((n, i) => Hash(salt, i, n)).ToArray();

    private static string Hash(string salt, int puzzle, int number) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{salt}:{puzzle}:{number}"))));

    private static int[]? Answers(string? answer)
    {
        if (string.IsNullOrEmpty(answer) || answer.Length > MaxAnswerLength)
        {
            return null;
        }

        var parts = answer.Split(',');
        var numbers = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return null;
            }
        }

        return numbers;
    }

    private Signed? Read(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('|');
        return parts.Length == 4
               && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
               && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
               && Answers(parts[3]) is { } numbers
            ? new Signed(parts[0], DateTimeOffset.FromUnixTimeSeconds(expires), bits, numbers)
            : null;
    }

    private sealed record Signed(string Salt, DateTimeOffset Expires, int Bits, int[] Numbers);
}
