using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Portal.Benchmarks.Scenarios;
using Portal.Features.Intake;
using Portal.Features.Intake.Abuse;

namespace Portal.Benchmarks.Queues;

/// <summary>
/// Portal.Benchmarks.Queues pow-flood OUTPUT.json [--per-second N] [--addresses N] [--seconds N]: the public forms'
/// proof of work under a flood, computed by the portal's own <see cref="SubmissionPressure"/> and
/// <see cref="ProofOfWork"/> with the options the portal ships with, on a clock this program moves: N accepted
/// submissions a second from many addresses, then an hour of quiet. Each accepted submission is charged the work of
/// the cheapest challenge the portal would still accept at that moment (its level less the grace bit).
/// </summary>
public static class PowFloodRunner
{
    public static async Task<int> MainAsync(string[] args)
    {
        var perSecond = 100;
        var addresses = 10_000;
        var seconds = 60;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--per-second":
                    perSecond = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--addresses":
                    addresses = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--seconds":
                    seconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown option '{args[i]}'.");
                    return 2;
            }
        }

        var result = Run(new IntakeOptions(), perSecond, addresses, seconds);
        Console.WriteLine($"flood of {perSecond}/s from {addresses:N0} addresses: the level went from {result.RestBits} to {result.FloodBits} bits; " +
                          $"the attacker's work per accepted submission {result.AttackerTriesPerSubmission:N0} tries, {result.Ratio:0} times the person's at rest");
        await using var output = File.Create(args[0]);
        await JsonSerializer.SerializeAsync(output, result, QueueScaleScenario.Json);
        return 0;
    }

    public static PowFloodResult Run(IntakeOptions options, int perSecond, int addresses, int seconds)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var monitor = new FixedOptions(options);
        var pressure = new SubmissionPressure(clock, monitor);
        var proofOfWork = new ProofOfWork(new EphemeralDataProtectionProvider(), clock, monitor, new OneTimeTokens(clock), pressure);
        var person = IPAddress.Parse("203.0.113.7");
        var puzzles = options.ProofOfWork.Puzzles;
        double Tries(int bits) => puzzles * Math.Pow(2, bits - 1);

        var rest = proofOfWork.BitsFor(person);
        var duringFlood = new List<PowLevel>();
        var tries = 0.0;
        var steadyTries = 0.0;
        var steadyCount = 0;
        var step = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / perSecond);
        for (var n = 0; n < perSecond * seconds; n++)
        {
            var sender = new IPAddress(BitConverter.GetBytes(0x0A000000 + (n % addresses)).Reverse().ToArray());
            var paid = Math.Max(rest, proofOfWork.BitsFor(sender) - ProofOfWork.GraceBits);
            tries += Tries(paid);
            if (n >= perSecond * seconds / 2)
            {
                steadyTries += Tries(paid);
                steadyCount++;
            }

            pressure.Record(sender);
            clock.Advance(step);
            if ((n + 1) % perSecond == 0 && (n + 1) / perSecond is var second && (second <= 10 || second % 10 == 0))
            {
                duringFlood.Add(new PowLevel(second, proofOfWork.BitsFor(person)));
            }
        }

        var afterFlood = new List<PowLevel>();
        for (var minute = 1; minute <= 60; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            afterFlood.Add(new PowLevel(minute * 60, proofOfWork.BitsFor(person)));
        }

        return new PowFloodResult(
            perSecond, addresses, seconds, rest, duringFlood[^1].Bits, puzzles, options.ProofOfWork.MaxExtraBits, ProofOfWork.GraceBits,
            Tries(rest), tries / (perSecond * seconds), steadyTries / steadyCount, duringFlood, afterFlood);
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class FixedOptions(IntakeOptions value) : IOptionsMonitor<IntakeOptions>
    {
        public IntakeOptions CurrentValue => value;

        public IntakeOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<IntakeOptions, string?> listener) => null;
    }
}
