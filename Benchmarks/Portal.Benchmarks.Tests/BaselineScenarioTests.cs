using Portal.Benchmarks.Driver;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Scenarios;

namespace Portal.Benchmarks.Tests;

/// <summary>Tiny runs of the benchmark scenarios that need no portal: the bare hub, the template app, sign-in.</summary>
public sealed class BaselineScenarioTests
{
    [Fact]
    public async Task Bare_hub_baseline_delivers_every_broadcast_to_every_client()
    {
        var runs = await HubBroadcastScenario.RunAsync(new HubBroadcastOptions([2], Broadcasts: 3, IntervalMs: 50), _ => { });

        var run = Assert.Single(runs);
        Assert.Equal(6, run.Expected);
        Assert.Equal(6, run.Delivered);
        Assert.Equal(6, run.Latency.Count);
    }

    [Fact]
    public async Task Blazor_live_page_baseline_reaches_every_observer_through_the_live_update_machinery()
    {
        await using var counter = await ServerProcess.StartBenchmarkServerAsync("serve-counter");

        var run = await LiveUpdateScenario.RunAsync(counter.BaseUri, LiveUpdateTargets.BaselineLivePage, observers: 2, rounds: 3, TimeSpan.FromSeconds(10), intervalMs: 50, serverProcessId: counter.ProcessId);

        Assert.Equal(6, run.Delivered);
        Assert.True(run.Latency.P50 > 0);

        // Both processes' CPU is read (in the OS's 10 ms ticks: three small rounds may read zero, never less).
        Assert.InRange(run.ServerCpuMsPerChange, 0, 10_000);
        Assert.InRange(run.DriverCpuMsPerChange, 0, 10_000);
        var report = HubBroadcastScenario.Report([], [run], []);
        Assert.Contains("| Blazor floor: " + run.Target + " | 2 |", report.Figures, StringComparison.Ordinal);
        Assert.Contains("server CPU per change", report.Figures, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Circuit_density_reads_the_managed_heap_and_resident_memory_of_the_server_process()
    {
        var readings = await CircuitDensityScenario.RunAsync(CircuitDensityScenario.Counter(), [2], _ => { });

        var reading = Assert.Single(readings);
        Assert.Equal(2, reading.Circuits);
        Assert.InRange(reading.Memory.ManagedHeapBytes, 100_000, 2_000_000_000);
        Assert.InRange(reading.Memory.ResidentBytes, 10_000_000, 20_000_000_000);
        Assert.True(reading.Baseline.ManagedHeapBytes > 0);
    }

    [Fact]
    public async Task A_signed_in_browser_session_opens_circuits_as_that_user()
    {
        await using var counter = await ServerProcess.StartBenchmarkServerAsync("serve-counter", "--with-signin");
        var whoami = new Uri(counter.BaseUri, "whoami");
        using var session = new BrowserSession(counter.BaseUri);

        await using (var anonymous = await CircuitDriver.OpenAsync(whoami, new CircuitDriverOptions { ReadyTestId = "user" }))
        {
            Assert.Equal("anonymous", anonymous.Tree.FindByTestId("user")?.TextContent().Trim());
        }

        await session.SignInAsync("/signin", new Dictionary<string, string> { ["Input.Name"] = "alice" });
        await using var signedIn = await CircuitDriver.OpenAsync(whoami, session.DriverOptions(readyTestId: "user"));

        Assert.Equal("alice", signedIn.Tree.FindByTestId("user")?.TextContent().Trim());
    }
}
