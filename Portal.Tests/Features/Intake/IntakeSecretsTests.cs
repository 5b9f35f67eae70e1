using Microsoft.Extensions.Options;
using Portal.Domain.Intake;
using Portal.Features.Intake;

namespace Portal.Tests.Features.Intake;

public sealed class IntakeSecretsTests
{
    [Fact]
    public void Passphrases_are_long_random_and_free_of_look_alike_characters()
    {
        var passphrases = Enumerable.Range(0, 200).Select(_ => IntakeSecrets.NewPassphrase()).ToList();

        Assert.Equal(passphrases.Count, passphrases.Distinct().Count());
        Assert.All(passphrases, p =>
        {
            Assert.Matches("^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$", p);
            Assert.DoesNotContain('O', p);
            Assert.DoesNotContain('I', p);
            Assert.DoesNotContain('L', p);
        });
    }

    [Theory]
    [InlineData(" k7qm-4hxp r2td ", "K7QM4HXPR2TD")]
    [InlineData("K7QM4HXPR2TD", "K7QM4HXPR2TD")]
    [InlineData(null, "")]
    public void Typed_codes_are_compared_without_case_spaces_or_dashes(string? typed, string expected) =>
        Assert.Equal(expected, IntakeSecrets.Normalize(typed));

    [Fact]
    public void A_passphrase_is_stored_only_as_a_slow_salted_hash_that_accepts_it_as_typed()
    {
        var hasher = new PassphraseHasher(Options.Create(new IntakeOptions { PassphraseIterations = 10_000 }));
        var passphrase = IntakeSecrets.NewPassphrase();

        var hash = hasher.Hash(passphrase);
        var again = hasher.Hash(passphrase);

        Assert.DoesNotContain(IntakeSecrets.Normalize(passphrase), hash, StringComparison.Ordinal);
        Assert.NotEqual(hash, again); // salted
        Assert.True(hasher.Verify(hash, passphrase.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal)));
        Assert.False(hasher.Verify(hash, IntakeSecrets.NewPassphrase()));
        Assert.False(hasher.Verify(null, passphrase)); // unknown code: same work, same answer
        Assert.True(hash.Length <= IntakeSubmission.PassphraseHashMaxLength);
    }

    [Fact]
    public void The_configured_iteration_count_is_what_the_hash_records()
    {
        var hash = Convert.FromBase64String(new PassphraseHasher(Options.Create(new IntakeOptions { PassphraseIterations = 210_000 })).Hash("X"));

        // Identity v3 format: 0x01, PRF (4 bytes), iteration count (4 bytes, big-endian), ...
        Assert.Equal(0x01, hash[0]);
        Assert.Equal(210_000, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(5, 4)));
    }
}
