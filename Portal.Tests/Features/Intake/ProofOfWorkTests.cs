using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Features.Intake;
using Portal.Features.Intake.Abuse;

namespace Portal.Tests.Features.Intake;

public sealed class ProofOfWorkTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
    private readonly ProofOfWork _proofOfWork;

    public ProofOfWorkTests()
    {
        var options = new IntakeOptions { ProofOfWorkDifficulty = 8, ProofOfWorkLifetime = TimeSpan.FromMinutes(30) };
        _proofOfWork = new ProofOfWork(new EphemeralDataProtectionProvider(), _clock, new StaticOptions(options), new OneTimeTokens(_clock));
    }

    [Fact]
    public void A_solved_challenge_is_accepted_once_and_then_refused_as_reused()
    {
        var challenge = _proofOfWork.Issue();
        var nonce = ProofOfWork.Solve(challenge.Token, challenge.Difficulty);

        Assert.Equal(8, challenge.Difficulty);
        Assert.Equal(ProofOfWorkOutcome.Valid, _proofOfWork.Verify(challenge.Token, nonce));
        Assert.Equal(ProofOfWorkOutcome.Reused, _proofOfWork.Verify(challenge.Token, nonce));
    }

    [Fact]
    public void A_nonce_that_does_not_meet_the_difficulty_is_refused()
    {
        var challenge = _proofOfWork.Issue();
        var wrong = Enumerable.Range(0, 10_000).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .First(n => ProofOfWork.LeadingZeroBits(challenge.Token, n) < challenge.Difficulty);

        Assert.Equal(ProofOfWorkOutcome.WrongAnswer, _proofOfWork.Verify(challenge.Token, wrong));
    }

    [Fact]
    public void A_forged_or_altered_challenge_is_refused()
    {
        var challenge = _proofOfWork.Issue();
        var altered = challenge.Token[..^2] + (challenge.Token[^2] == 'A' ? "B" : "A") + challenge.Token[^1];
        const string invented = "CfDJ8InventedChallengeThatTheServerNeverSigned";

        Assert.Equal(ProofOfWorkOutcome.Forged, _proofOfWork.Verify(altered, ProofOfWork.Solve(altered, challenge.Difficulty)));
        Assert.Equal(ProofOfWorkOutcome.Forged, _proofOfWork.Verify(invented, ProofOfWork.Solve(invented, challenge.Difficulty)));
    }

    [Fact]
    public void An_expired_challenge_is_refused_even_when_solved()
    {
        var challenge = _proofOfWork.Issue();
        var nonce = ProofOfWork.Solve(challenge.Token, challenge.Difficulty);

        _clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(ProofOfWorkOutcome.Expired, _proofOfWork.Verify(challenge.Token, nonce));
    }

    [Theory]
    [InlineData(null, "1")]
    [InlineData("token", null)]
    [InlineData("token", "123456789012345678901234567890123")]
    public void A_missing_answer_is_refused(string? token, string? nonce) =>
        Assert.Equal(ProofOfWorkOutcome.Missing, _proofOfWork.Verify(token, nonce));

    [Fact]
    public void Used_challenge_ids_are_forgotten_only_after_they_expire()
    {
        var tokens = new OneTimeTokens(_clock);
        var expires = _clock.GetUtcNow().AddMinutes(5);

        Assert.True(tokens.TryUse("a", expires));
        Assert.False(tokens.TryUse("a", expires));
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.False(tokens.TryUse("a", expires)); // expired: still refused, and swept
        Assert.Equal(0, tokens.Count);
    }

    [Fact]
    public void Leading_zero_bits_are_counted_across_bytes()
    {
        // SHA-256("t:n") for some n; the count must match a direct bit-by-bit reading of the hash.
        for (var n = 0; n < 200; n++)
        {
            var nonce = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("t:" + nonce));
            var expected = 0;
            while (expected < 256 && (hash[expected / 8] & (0x80 >> (expected % 8))) == 0)
            {
                expected++;
            }

            Assert.Equal(expected, ProofOfWork.LeadingZeroBits("t", nonce));
        }
    }

    private sealed class StaticOptions(IntakeOptions value) : IOptionsMonitor<IntakeOptions>
    {
        public IntakeOptions CurrentValue => value;

        public IntakeOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<IntakeOptions, string?> listener) => null;
    }
}
