using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Scenarios;

namespace Portal.Benchmarks.Tests;

/// <summary>Scenario 10 tiny: a few case pages connected, dropped and ended, each state read after a full GC and reported.</summary>
public sealed class RetainedCircuitScenarioTests
{
    [Fact]
    public async Task Case_pages_are_read_connected_retained_and_ended_and_reported_per_circuit_and_for_the_configured_maximum()
    {
        var reading = await RetainedCircuitScenario.RunAsync(RepositoryPaths.Configuration, circuits: 3, _ => { });

        Assert.Equal(3, reading.Circuits);
        Assert.StartsWith("CF-", reading.CaseNumber, StringComparison.Ordinal);
        Assert.All([reading.Baseline, reading.Connected, reading.Retained, reading.Ended], m => Assert.True(m.ManagedHeapBytes > 0 && m.ResidentBytes > 0, m.ToString()));
        var report = RetainedCircuitScenario.Report(reading);
        Assert.StartsWith("10. ", report.Title, StringComparison.Ordinal);
        Assert.Contains("| connection dropped, retained |", report.Summary.Figures, StringComparison.Ordinal);
        Assert.Contains($"{RetainedCircuitScenario.ConfiguredMaximum} retained pages", report.Summary.Verdict, StringComparison.Ordinal);
        Assert.Contains("ended (POST /_blazor/disconnect)", report.Figures, StringComparison.Ordinal);
    }
}
