using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Features.Intake;
using Portal.Features.Intake.Abuse;

namespace Portal.Tests.Features.Intake;

public sealed class ProofOfWorkTests
{
    private const int RestBits = 6;
    private static readonly IPAddress Person = IPAddress.Parse("197.242.1.10");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
    private readonly IntakeOptions _options = new()
    {
        ProofOfWork = new ProofOfWorkOptions
        {
            RestBits = RestBits,
            Puzzles = 4,
            MaxExtraBits = 8,
            NormalInTotal = 6,
            NormalPerAddress = 3,
            Window = TimeSpan.FromMinutes(3),
            Lifetime = TimeSpan.FromMinutes(30),
        },
    };

    private readonly SubmissionPressure _pressure;
    private readonly ProofOfWork _proofOfWork;

    public ProofOfWorkTests()
    {
        var options = new StaticOptions(_options);
        _pressure = new SubmissionPressure(_clock, options);
        _proofOfWork = new ProofOfWork(new EphemeralDataProtectionProvider(), _clock, options, new OneTimeTokens(_clock), _pressure);
    }

    [Fact]
    public void A_solved_challenge_is_accepted_once_and_then_refused_as_reused()
    {
        var challenge = _proofOfWork.Issue(Person);
        var answer = Solve(challenge);

        Assert.Equal(RestBits, challenge.Bits);
        Assert.Equal(4, challenge.Targets.Count);
        Assert.Equal(ProofOfWorkOutcome.Valid, _proofOfWork.Verify(challenge.Token, answer, Person));
        Assert.Equal(ProofOfWorkOutcome.Reused, _proofOfWork.Verify(challenge.Token, answer, Person));
    }

    [Fact]
    public void The_answer_must_name_every_puzzles_number_in_order()
    {
        var challenge = _proofOfWork.Issue(Person);
        var numbers = Solve(challenge).Split(',').Select(int.Parse).ToArray();

        var offByOne = string.Join(',', numbers.Select((n, i) => i == 2 ? (n + 1) % (1 << RestBits) : n));
        var fewer = string.Join(',', numbers.Take(3));
        var reversed = string.Join(',', numbers.Reverse());

        Assert.All(numbers, n => Assert.InRange(n, 0, challenge.Max));
        Assert.Equal(ProofOfWorkOutcome.WrongAnswer, _proofOfWork.Verify(challenge.Token, offByOne, Person));
        Assert.Equal(ProofOfWorkOutcome.WrongAnswer, _proofOfWork.Verify(challenge.Token, fewer, Person));
        Assert.Equal(ProofOfWorkOutcome.WrongAnswer, _proofOfWork.Verify(challenge.Token, "a,b,c,d", Person));
        if (!numbers.SequenceEqual(numbers.Reverse()))
        {
            Assert.Equal(ProofOfWorkOutcome.WrongAnswer, _proofOfWork.Verify(challenge.Token, reversed, Person));
        }

        Assert.Equal(ProofOfWorkOutcome.Valid, _proofOfWork.Verify(challenge.Token, string.Join(',', numbers), Person));
    }

    [Fact]
    public void A_forged_or_altered_challenge_is_refused()
    {
        var challenge = _proofOfWork.Issue(Person);
        var answer = Solve(challenge);
        var altered = challenge.Token[..^2] + (challenge.Token[^2] == 'A' ? "B" : "A") + challenge.Token[^1];

        Assert.Equal(ProofOfWorkOutcome.Forged, _proofOfWork.Verify(altered, answer, Person));
        Assert.Equal(ProofOfWorkOutcome.Forged, _proofOfWork.Verify("CfDJ8InventedChallengeThatTheServerNeverSigned", answer, Person));
        Assert.Equal(ProofOfWorkOutcome.Missing, _proofOfWork.Verify(null, answer, Person));
    }

    [Fact]
    public void An_expired_challenge_is_refused_even_when_solved()
    {
        var challenge = _proofOfWork.Issue(Person);
        var answer = Solve(challenge);

        _clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(ProofOfWorkOutcome.Expired, _proofOfWork.Verify(challenge.Token, answer, Person));
        Assert.Null(_proofOfWork.Resume(challenge.Token, answer));
    }

    [Fact]
    public void A_form_refused_for_another_reason_keeps_its_challenge_and_a_right_answer_but_not_a_wrong_one()
    {
        var challenge = _proofOfWork.Issue(Person);
        var answer = Solve(challenge);

        var kept = _proofOfWork.Resume(challenge.Token, answer);
        var unsolved = _proofOfWork.Resume(challenge.Token, "1,2,3");

        Assert.NotNull(kept);
        Assert.Equal(answer, kept.Answer);
        Assert.Equal(challenge.Targets, kept.Targets);
        Assert.Null(unsolved!.Answer);
        Assert.Equal(challenge.Token, unsolved.Token);
        Assert.Null(_proofOfWork.Resume("forged", answer));
    }

    [Fact]
    public void Without_JavaScript_a_form_is_accepted_at_normal_load_and_refused_while_more_arrive()
    {
        var atRest = _proofOfWork.Issue(Person);
        Assert.Equal(ProofOfWorkOutcome.Valid, _proofOfWork.Verify(atRest.Token, answer: null, Person));

        FloodFromManyAddresses(perSecond: 10, seconds: 5);
        var busy = _proofOfWork.Issue(Person);

        Assert.Equal(ProofOfWorkOutcome.Busy, _proofOfWork.Verify(busy.Token, answer: "", Person));
        Assert.Equal(ProofOfWorkOutcome.Valid, _proofOfWork.Verify(busy.Token, Solve(busy), Person)); // not used up by the refusal
    }

    [Fact]
    public void A_flood_from_many_addresses_raises_the_level_within_seconds_and_it_falls_back_afterwards()
    {
        var person = IPAddress.Parse("41.223.8.9");
        Assert.Equal(RestBits, _proofOfWork.BitsFor(person));

        FloodFromManyAddresses(perSecond: 100, seconds: 1);
        var afterOneSecond = _proofOfWork.BitsFor(person);
        FloodFromManyAddresses(perSecond: 100, seconds: 9);
        var flood = _proofOfWork.BitsFor(person);

        Assert.True(afterOneSecond >= RestBits + 4, $"after 1 s of 100/s: {afterOneSecond} bits");
        Assert.Equal(RestBits + _options.ProofOfWork.MaxExtraBits, flood);
        // The attacker's work per accepted submission, from the difficulties: every puzzle's range is 2^bits.
        Assert.True(Math.Pow(2, flood - ProofOfWork.GraceBits - RestBits) >= 100, "at least 100 times the resting work, even with the grace bit");

        var levels = new List<int>();
        for (var minute = 0; minute < 30; minute++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            levels.Add(_proofOfWork.BitsFor(person));
        }

        Assert.Equal(levels.OrderByDescending(l => l), levels); // never rises again without submissions
        Assert.True(levels[0] > RestBits, "still raised a minute after the flood");
        Assert.Equal(RestBits, levels[^1]);
        Assert.Equal(RestBits, levels[20]); // back at rest within about 20 minutes
    }

    [Fact]
    public void A_challenge_from_before_the_flood_is_refused_as_outdated_and_a_fresh_one_costs_more()
    {
        var beforeFlood = _proofOfWork.Issue(Person);
        var answer = Solve(beforeFlood);

        FloodFromManyAddresses(perSecond: 100, seconds: 10);
        var fresh = _proofOfWork.Issue(Person);

        Assert.Equal(ProofOfWorkOutcome.Outdated, _proofOfWork.Verify(beforeFlood.Token, answer, Person));
        Assert.Equal(RestBits + 8, fresh.Bits);
        Assert.Equal(ProofOfWorkOutcome.Valid, _proofOfWork.Verify(fresh.Token, Solve(fresh), Person));
    }

    [Fact]
    public void A_challenge_one_level_below_the_current_one_is_still_accepted()
    {
        var issued = _proofOfWork.Issue(Person);
        var answer = Solve(issued);

        // Seven accepted in a moment against six normal: one bit more.
        FloodFromManyAddresses(perSecond: 7, seconds: 1);

        Assert.Equal(RestBits + 1, _proofOfWork.BitsFor(Person));
        Assert.Equal(ProofOfWorkOutcome.Valid, _proofOfWork.Verify(issued.Token, answer, Person));
    }

    [Fact]
    public void One_address_sending_more_than_normal_raises_its_own_level_and_no_one_elses()
    {
        var busy = IPAddress.Parse("102.68.1.1");
        for (var i = 0; i < 5; i++)
        {
            _pressure.Record(busy);
        }

        Assert.Equal(RestBits + 1, _proofOfWork.BitsFor(busy)); // 5 against 3 normal
        Assert.Equal(RestBits, _proofOfWork.BitsFor(Person));

        for (var i = 0; i < 20; i++)
        {
            _pressure.Record(busy);
        }

        Assert.True(_proofOfWork.BitsFor(busy) >= RestBits + 3);
        Assert.True(_proofOfWork.BitsFor(Person) <= RestBits + 3, "the total rose too, but less");
    }

    [Fact]
    public void An_IPv6_network_of_one_household_counts_as_one_sender()
    {
        Assert.Equal(SubmissionPressure.Key(IPAddress.Parse("2001:db8:1:2:aaaa::1")), SubmissionPressure.Key(IPAddress.Parse("2001:db8:1:2:bbbb::9")));
        Assert.NotEqual(SubmissionPressure.Key(IPAddress.Parse("2001:db8:1:2::1")), SubmissionPressure.Key(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("197.242.1.10", SubmissionPressure.Key(IPAddress.Parse("::ffff:197.242.1.10")));
    }

    [Fact]
    public void Addresses_are_forgotten_once_their_count_has_decayed()
    {
        FloodFromManyAddresses(perSecond: 50, seconds: 2);
        Assert.Equal(100, _pressure.AddressesFollowed);

        _clock.Advance(TimeSpan.FromHours(1));
        _pressure.Record(Person);

        Assert.Equal(1, _pressure.AddressesFollowed);
    }

    /// <summary>Accepted submissions, each from an address of its own, spread evenly over the seconds.</summary>
    private void FloodFromManyAddresses(int perSecond, int seconds)
    {
        for (var s = 0; s < seconds; s++)
        {
            for (var i = 0; i < perSecond; i++)
            {
                _pressure.Record(new IPAddress([10, (byte)(s % 250), (byte)(i / 250), (byte)(i % 250)]));
                _clock.Advance(TimeSpan.FromSeconds(1.0 / perSecond));
            }
        }
    }

    private static string Solve(ProofOfWorkChallenge challenge) => ProofOfWork.Solve(challenge.Salt, challenge.Targets, challenge.Bits);

    private sealed class StaticOptions(IntakeOptions value) : IOptionsMonitor<IntakeOptions>
    {
        public IntakeOptions CurrentValue => value;

        public IntakeOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<IntakeOptions, string?> listener) => null;
    }
}
