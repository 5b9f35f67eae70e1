using System.Text;
using Portal.Benchmarks.Driver;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;

namespace Portal.Benchmarks.Scenarios;

/// <summary>The portal's memory with N case pages open, with their connections dropped, and after they were ended.</summary>
public sealed record RetainedReading(string CaseNumber, int Circuits, MemoryReading Baseline, MemoryReading Connected, MemoryReading Retained, MemoryReading Ended)
{
    public double ConnectedPerCircuit => (Connected.ManagedHeapBytes - Baseline.ManagedHeapBytes) / (double)Circuits;

    public double RetainedPerCircuit => (Retained.ManagedHeapBytes - Baseline.ManagedHeapBytes) / (double)Circuits;

    public double RetainedResidentPerCircuit => (Retained.ResidentBytes - Baseline.ResidentBytes) / (double)Circuits;
}

/// <summary>
/// Scenario 10: what the portal's retention of disconnected circuits costs. When a field link drops, the server keeps the
/// page (its circuit) for the browser to rejoin: <c>Portal:Connections</c> keeps up to <see cref="ConfiguredMaximum"/>
/// for 15 minutes. N staff circuits on a case page are opened, their sockets dropped without the browser's goodbye (as a
/// lost link leaves them), and the server's memory read after a full GC in each state.
/// </summary>
public static class RetainedCircuitScenario
{
    /// <summary>Portal:Connections:MaxRetainedCircuits as shipped (docs/configuration.md).</summary>
    public const int ConfiguredMaximum = 500;

    public static async Task<RetainedReading> RunAsync(string configuration, int circuits, Action<string> log)
    {
        await using var portal = await ServerProcess.StartPortalAsync(configuration);
        using var session = await PortalAccounts.SignInAsync(portal.BaseUri, PortalAccounts.AdvocateCf);
        CircuitDriverOptions Options(int _) => session.DriverOptions("circuit-ready", TimeSpan.FromSeconds(60));
        string number;
        await using (var queue = await CircuitDriver.OpenAsync(new Uri(portal.BaseUri, "queues/all"), Options(0)))
        {
            await queue.WaitForAsync(t => t.FindByTestId("case-link") is not null, TimeSpan.FromSeconds(60));
            number = queue.Tree.FindByTestId("case-link")!.TextContent().Trim();
        }

        var page = new Uri(portal.BaseUri, $"cases/{number}");
        await using (var warmup = new CircuitPool(page, Options))
        {
            await warmup.GrowToAsync(5);
        }

        var baseline = await ProcessMemory.AfterFullGcAsync(portal.ProcessId);
        await using var pool = new CircuitPool(page, Options);
        await pool.GrowToAsync(circuits);
        await Task.WhenAll(pool.Drivers.Select(d => d.WaitForQuietAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(120))));
        if (pool.Drivers.SelectMany(d => d.Errors).FirstOrDefault() is { } error)
        {
            throw new InvalidOperationException($"A circuit on /cases/{number} failed: {error}");
        }

        var connected = await ProcessMemory.AfterFullGcAsync(portal.ProcessId);
        await Task.WhenAll(pool.Drivers.Select(d => d.DropConnectionAsync()));
        var retained = await ProcessMemory.AfterFullGcAsync(portal.ProcessId);

        // Ending them (the browser's goodbye, which reaches retained circuits too) shows the memory was theirs.
        await pool.DisposeAsync();
        var ended = await ProcessMemory.AfterFullGcAsync(portal.ProcessId);
        var reading = new RetainedReading(number, circuits, baseline, connected, retained, ended);
        log($"/cases/{number}, {circuits} circuits: heap per circuit connected {Format.Kb(reading.ConnectedPerCircuit)}, retained {Format.Kb(reading.RetainedPerCircuit)}; " +
            $"heap baseline {Format.Mb(baseline.ManagedHeapBytes)}, connected {Format.Mb(connected.ManagedHeapBytes)}, retained {Format.Mb(retained.ManagedHeapBytes)}, ended {Format.Mb(ended.ManagedHeapBytes)}");
        return reading;
    }

    public static ScenarioReport Report(RetainedReading reading)
    {
        var full = ConfiguredMaximum * reading.RetainedPerCircuit;
        var summary = new StringBuilder();
        summary.AppendLine("| case page, one CF advocate | managed heap per circuit | RSS per circuit | " + $"{ConfiguredMaximum} circuits |");
        summary.AppendLine("|---|---:|---:|---:|");
        summary.AppendLine($"| connected | {Format.Kb(reading.ConnectedPerCircuit)} | {Format.Kb((reading.Connected.ResidentBytes - reading.Baseline.ResidentBytes) / (double)reading.Circuits)} | {Format.Mb(ConfiguredMaximum * reading.ConnectedPerCircuit)} |");
        summary.AppendLine($"| connection dropped, retained | {Format.Kb(reading.RetainedPerCircuit)} | {Format.Kb(reading.RetainedResidentPerCircuit)} | **{Format.Mb(full)}** |");

        var figures = new StringBuilder();
        figures.AppendLine($"/cases/{reading.CaseNumber}, {reading.Circuits} circuits:");
        figures.AppendLine();
        figures.AppendLine("| state | managed heap | RSS |");
        figures.AppendLine("|---|---:|---:|");
        foreach (var (state, memory) in new[] { ("baseline (started, 5 warm-up circuits ended)", reading.Baseline), ($"{reading.Circuits} circuits connected", reading.Connected),
                     ("their connections dropped: retained", reading.Retained), ("ended (POST /_blazor/disconnect)", reading.Ended) })
        {
            figures.AppendLine($"| {state} | {Format.Mb(memory.ManagedHeapBytes)} | {Format.Mb(memory.ResidentBytes)} |");
        }

        figures.AppendLine();
        figures.AppendLine($"Ending the retained circuits freed {Format.Mb(reading.Retained.ManagedHeapBytes - reading.Ended.ManagedHeapBytes)} of the " +
                           $"{Format.Mb(reading.Retained.ManagedHeapBytes - reading.Baseline.ManagedHeapBytes)} they added; the rest stayed on the heap after the full GC " +
                           "(the POST returns before the server has disposed every circuit, and the process's caches grew with the pages opened).");
        return new ScenarioReport(
            "10. Retained circuits: the memory a dropped link leaves on the server",
            new ScenarioSummary(
                $"The retention of disconnected circuits (Portal:Connections: {ConfiguredMaximum} at most, 15 minutes) is sized knowingly: its memory per retained page and for the full {ConfiguredMaximum} is measured.",
                summary.ToString(),
                $"A retained case page holds {Format.Kb(reading.RetainedPerCircuit)} of managed heap ({Format.Ratio(reading.RetainedPerCircuit / reading.ConnectedPerCircuit)} of a connected one); " +
                $"{ConfiguredMaximum} retained pages, the configured maximum, hold {Format.Mb(full)}" +
                (reading.Circuits == ConfiguredMaximum ? " (measured at that number)." : $" (per circuit measured at N = {reading.Circuits}, times {ConfiguredMaximum}).")),
            "The portal as its own process (Release, Development demo data, shipped Portal:Connections). N headless circuits of one signed-in CF advocate " +
            "on a case page (the first case of the country's list: its header, actions and tabs, the shell and its live navigation), each fully " +
            "rendered. The managed heap and RSS after a full blocking GC induced through the diagnostic port (as scenario 2): after start-up and " +
            "5 warm-up circuits; with the N connected; after every socket was closed without the browser's POST /_blazor/disconnect, which is how " +
            "a lost link leaves a circuit (the server keeps it for the browser to rejoin); and after that POST ended them: what that frees " +
            "was the retained circuits' own. Per circuit = (reading − baseline) / N.",
            figures.ToString(),
            "A retained circuit keeps its components, their render trees and its renderer's state, and drops only the connection: " +
            "its memory stays close to a connected one's. The retention's limit bounds it; past the limit the oldest is dropped and, past 15 " +
            "minutes, the page reloads and the server-side drafts bring back what was typed.",
            "`./bench.sh --only retained`.");
    }
}
