using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Scenarios;

namespace Portal.Benchmarks.Tests;

/// <summary>Scenario 9 tiny: the journey once unthrottled and once on a fast emulated link, in Chromium on the published portal.</summary>
public sealed class SlowLinkScenarioTests
{
    [Fact]
    public async Task Each_step_of_both_visits_is_timed_and_weighed_and_the_report_sets_them_side_by_side()
    {
        await using var portal = await ServerProcess.StartPublishedPortalAsync(RepositoryPaths.Configuration, SlowLinkScenario.PortalSettings(), environmentName: "Development");

        var visits = await SlowLinkScenario.RunAsync(portal.BaseUri, portal.CertificatePin!, [LinkProfile.Loopback, LinkProfile.Quick], _ => { }, typingDelayMs: 50);

        Assert.Equal(4, visits.Count);
        Assert.All(visits, visit =>
        {
            Assert.Equal(6, visit.Steps.Count);
            Assert.All(visit.Steps, step => Assert.True(step.Ms > 0 && step.BytesDown > 0, step.ToString()));
            // Every in-page action goes over the circuit's WebSocket, both ways, and loads no page.
            Assert.All(visit.Steps.Where(s => s.InPage), step => Assert.True(step.FramesSent > 0 && step.FramesReceived > 0 && step.BytesUp > 0, step.ToString()));
        });
        foreach (var profile in new[] { LinkProfile.Loopback, LinkProfile.Quick })
        {
            var first = visits.Single(v => v.Profile == profile && !v.Repeat);
            var repeat = visits.Single(v => v.Profile == profile && v.Repeat);
            // The published build serves its static files compressed and immutable, so the repeat visit, in a new tab, takes every one from the disk cache.
            Assert.True(first.StaticAssets > 0 && first.CompressedImmutable == first.StaticAssets, first.ToString());
            Assert.Equal(0, repeat.StaticAssets);
        }

        var quick = visits.Single(v => v.Profile == LinkProfile.Quick && !v.Repeat);
        // The emulated link is the relay: every step of its visits crossed it, the loopback's did not.
        Assert.All(visits.Where(v => v.Profile == LinkProfile.Quick).SelectMany(v => v.Steps), step => Assert.True(step.WireDown > 0 && step.WireUp > 0, step.ToString()));
        Assert.All(visits.Where(v => v.Profile == LinkProfile.Loopback).SelectMany(v => v.Steps), step => Assert.Equal((0, 0), (step.WireDown, step.WireUp)));
        Assert.All(quick.Steps.Where(s => s.InPage), step => Assert.NotNull(SlowLinkScenario.RoundTrips(step, quick, visits)));
        // The sign-in's timeline names the circuit's start. (Whether the prefetch is still under way when the typing starts
        // depends on the link, so the bytes during the typing are reported, not asserted.)
        Assert.All(visits, visit => Assert.Contains(visit.SignInTimeline!, line => line.Contains("StartCircuit", StringComparison.Ordinal)));
        Assert.All(visits.Where(v => v.Profile == LinkProfile.Quick).SelectMany(v => v.Steps.Take(2)), step => Assert.Equal("h2", step.Protocols));
        var report = SlowLinkScenario.Report(visits);
        Assert.StartsWith("9. ", report.Title, StringComparison.Ordinal);
        Assert.Contains("sign-in page to a usable new-intakes queue", report.Summary.Figures, StringComparison.Ordinal);
        Assert.Contains("save a note: round trips", report.Summary.Figures, StringComparison.Ordinal);
        Assert.Contains("of 2 sign-in goals met", report.Summary.Verdict, StringComparison.Ordinal);
        Assert.Contains("in-page actions answered in one round trip", report.Summary.Verdict, StringComparison.Ordinal);
        Assert.All(quick.Steps, step => Assert.Contains($"| {step.Name} | first |", report.Figures, StringComparison.Ordinal));
    }
}
