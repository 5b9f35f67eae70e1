using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Queues;
using Portal.Benchmarks.Scenarios;
using Portal.Features.Intake;

namespace Portal.Benchmarks.Tests;

/// <summary>Scenario 8 tiny: one open of /help per CPU rate in Chromium on the published portal in Production, and the flood model.</summary>
public sealed class PublicPageScenarioTests
{
    [Fact]
    public void The_flood_raises_the_level_to_its_ceiling_costs_the_attacker_over_100_times_the_resting_work_and_falls_back()
    {
        var options = new IntakeOptions();

        var flood = PowFloodRunner.Run(options, perSecond: 100, addresses: 10_000, seconds: 60);

        Assert.Equal(options.ProofOfWork.RestBits, flood.RestBits);
        Assert.Equal(options.ProofOfWork.RestBits + options.ProofOfWork.MaxExtraBits, flood.FloodBits);
        Assert.True(flood.DuringFlood[0].Bits > flood.RestBits, "the level rose within the first second");
        Assert.True(flood.Ratio >= PublicPageScenario.GoalRatio, $"{flood.Ratio:0}x");
        // At the ceiling the attacker pays 2^(extra bits - grace bit) times the resting work; the flood's second half may
        // still be rising towards it.
        Assert.InRange(flood.SteadyRatio, flood.Ratio, Math.Pow(2, options.ProofOfWork.MaxExtraBits - flood.GraceBits));
        Assert.Equal(flood.AfterFlood.Select(l => l.Bits).OrderDescending(), flood.AfterFlood.Select(l => l.Bits));
        Assert.Equal(flood.RestBits, flood.AfterFlood[^1].Bits);
    }

    [Fact]
    public async Task Chromium_opens_the_page_at_each_rate_finds_the_proof_sends_and_counts_the_bytes()
    {
        await using var portal = await ServerProcess.StartPublishedPortalAsync(RepositoryPaths.Configuration, new Dictionary<string, string>
        {
            ["Portal:Intake:ProofOfWork:RestBits"] = "12",
            ["Portal:Intake:ProofOfWork:NormalInTotal"] = "100000",
            ["Portal:Intake:ProofOfWork:NormalPerAddress"] = "100000",
            ["Portal:SeedDemoData"] = "false",
        });

        var (runs, weight, calibration) = await PublicPageScenario.RunAsync(portal.BaseUri, opens: 1, _ => { }, calibrationBits: 20);

        Assert.Equal("https", portal.BaseUri.Scheme);
        Assert.Equal(PublicPageScenario.Rates, runs.Select(r => r.Rate));
        Assert.All(runs, run =>
        {
            Assert.Equal(12, run.Bits);
            var open = Assert.Single(run.Opens);
            Assert.True(open.RunningMs > 0 && open.SolvedMs >= open.RunningMs && open.Tries > 0 && open.ReceiptMs > 0, open.ToString());
            // The worker's thread was found and timed: it ran at least its script and a search.
            Assert.True(open.WorkerCpuMs > 0 && open.WorkerCpuMs < open.SolvedMs, open.ToString());
            Assert.Equal(open.SolvedMs + ((run.Rate - 1) * open.WorkerCpuMs), open.SolvedAt(run.Rate));
            Assert.True(open.SendMs >= PublicPageScenario.Typing.TotalMilliseconds);
        });
        Assert.Equal(1 << 20, calibration.Tries);
        // One thread cannot spend more CPU time than the wall clock gave it.
        Assert.True(calibration.CpuSeconds > 0 && calibration.CpuSeconds <= calibration.WallSeconds, calibration.ToString());

        // Production serves the published brotli files, and the page compressed for the browser that asked for it itself.
        Assert.Contains(weight, w => w.Path == "/help" && w.Encoding == "br");
        Assert.Contains(weight, w => w.Path.StartsWith("/help/pow-worker", StringComparison.Ordinal) && w.Encoding == "br");
        Assert.All(weight, w => Assert.True(w.BodyBytes > 0 && w.HeaderBytes > 0, w.ToString()));
        Assert.True(weight.Sum(w => w.Bytes) < PublicPageScenario.GoalBytes, string.Join(", ", weight));

        var report = PublicPageScenario.Report(runs, weight, calibration, PowFloodRunner.Run(new IntakeOptions(), 100, 1000, 10));
        Assert.StartsWith("8. ", report.Title, StringComparison.Ordinal);
        Assert.Contains("of 4 goals met", report.Summary.Verdict, StringComparison.Ordinal);
        Assert.Contains("worker's CPU time", report.Figures, StringComparison.Ordinal);
        Assert.Contains("wait after Send", report.Figures, StringComparison.Ordinal);
    }
}
