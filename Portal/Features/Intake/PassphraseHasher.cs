using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Portal.Features.Intake;

/// <summary>
/// Passphrases are stored only as salted key-derivation hashes (Identity's PBKDF2, HMAC-SHA512, configurable
/// iterations; see <see cref="IntakeOptions.PassphraseIterations"/> for why the count is modest). Checking an unknown reference code still runs one full verification against a stand-in hash,
/// so a wrong code and a wrong passphrase take about as long and get the same answer.
/// </summary>
public sealed class PassphraseHasher
{
    private readonly PasswordHasher<object> _hasher;
    private readonly Lazy<string> _standIn;

    public PassphraseHasher(IOptions<IntakeOptions> options)
    {
        _hasher = new PasswordHasher<object>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = Math.Max(10_000, options.Value.PassphraseIterations),
        }));
        _standIn = new Lazy<string>(() => Hash(IntakeSecrets.NewPassphrase()));
    }

    public string Hash(string passphrase) => _hasher.HashPassword(Owner, IntakeSecrets.Normalize(passphrase));

    /// <summary>Pass null for an unknown code: the work is the same and the answer is false.</summary>
    public bool Verify(string? storedHash, string? typed)
    {
        var result = _hasher.VerifyHashedPassword(Owner, storedHash ?? _standIn.Value, IntakeSecrets.Normalize(typed));
        return storedHash is not null && result != PasswordVerificationResult.Failed;
    }

    private static readonly object Owner = new();
}
