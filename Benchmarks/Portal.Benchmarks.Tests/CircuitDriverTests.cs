using Portal.Benchmarks.Driver;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Scenarios;

namespace Portal.Benchmarks.Tests;

/// <summary>
/// The benchmarks' headless circuit driver against the real portal process, and checked against Chromium. The
/// portal needs a signed-in user: the tests share one coordinator session (one sign-in, as the sign-in form is
/// rate limited per address), as the benchmarks share one cookie among many circuits.
/// </summary>
[Collection(DemoPortalCollection.Name)]
public sealed class CircuitDriverTests
{
    private static readonly SemaphoreSlim SessionGate = new(1, 1);
    private static BrowserSession? _session;
    private static Uri? _sessionPortal;

    private readonly DemoPortalFixture _fixture;

    public CircuitDriverTests(DemoPortalFixture fixture) => _fixture = fixture;

    private Uri Home => _fixture.Home;

    private async Task<BrowserSession> SessionAsync()
    {
        await SessionGate.WaitAsync();
        try
        {
            if (_session is null || _sessionPortal != _fixture.Home)
            {
                _session = await PortalAccounts.SignInAsync(Home, PortalAccounts.Coordinator);
                _sessionPortal = _fixture.Home;
            }

            return _session;
        }
        finally
        {
            SessionGate.Release();
        }
    }

    private async Task<CircuitDriverOptions> SignedInAsync() => (await SessionAsync()).DriverOptions(readyTestId: "circuit-ready");

    [Fact]
    public async Task An_anonymous_driver_is_told_to_sign_in_first()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => CircuitDriver.OpenAsync(Home, new CircuitDriverOptions { ReadyTestId = "circuit-ready" }));

        Assert.Contains("/account/login", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_sign_in_fails_the_benchmark_instead_of_measuring_the_login_page()
    {
        // An unknown user, so no demo account moves towards lockout.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PortalAccounts.SignInAsync(Home, "nobody.benchmark@example.org"));

        Assert.Contains("nobody.benchmark@example.org", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Driver_starts_a_circuit_on_the_home_page_and_mirrors_the_rendered_shell()
    {
        await using var driver = await CircuitDriver.OpenAsync(Home, await SignedInAsync());

        Assert.Equal("Victims' Rights Portal", driver.Tree.FindByTestId("app-title")?.TextContent());
        Assert.Equal("Welcome", driver.Tree.FindByTestId("home-title")?.TextContent());
        Assert.Contains("click", driver.Tree.FindByTestId("theme-toggle")!.EventHandlers.Keys);
        Assert.Contains(driver.JsCalls, c => c.Identifier == "Blazor._internal.attachWebRendererInterop");
        Assert.Empty(driver.Errors);
    }

    [Fact]
    public async Task A_click_on_the_theme_toggle_brings_a_render_batch_that_changes_the_theme()
    {
        await using var driver = await CircuitDriver.OpenAsync(Home, await SignedInAsync());
        await driver.WaitForQuietAsync(TimeSpan.FromMilliseconds(300));
        var themeBefore = ThemeCss(driver);
        var batchesBefore = driver.BatchesReceived;

        var latency = await driver.ClickAsync("theme-toggle");

        Assert.True(latency > TimeSpan.Zero);
        Assert.True(driver.BatchesReceived > batchesBefore);
        Assert.NotEqual(themeBefore, ThemeCss(driver));
        Assert.Empty(driver.Errors);
    }

    [Fact]
    public async Task A_click_on_the_nav_toggle_flips_the_drawer_and_a_second_flips_it_back()
    {
        await using var driver = await CircuitDriver.OpenAsync(Home, await SignedInAsync());
        await driver.WaitForQuietAsync(TimeSpan.FromMilliseconds(300));
        var openAtFirst = DrawerIsOpen(driver);

        await driver.ClickAsync("nav-toggle");
        await driver.WaitForAsync(_ => DrawerIsOpen(driver) != openAtFirst);
        await driver.ClickAsync("nav-toggle");
        await driver.WaitForAsync(_ => DrawerIsOpen(driver) == openAtFirst);

        Assert.Empty(driver.Errors);
    }

    [Fact]
    public async Task Driver_and_chromium_time_the_same_click_and_the_harness_reports_both()
    {
        var result = await BrowserParityScenario.RunAsync(Home, rounds: 1, clicksPerRound: 2, log: _ => { }, session: await SessionAsync());

        Assert.Equal(2, result.Browser.Count);
        Assert.Equal(2, result.Driver.Count);
        Assert.True(result.Browser.P50 > 0 && result.Driver.P50 > 0);
        Assert.True(result.BrowserRoundTrip.Count > 0, "the page's WebSocket probe saw the event go out and the batch come back");
        Assert.Contains("driver: event sent", BrowserParityScenario.Report([result]).Figures, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paging_a_queue_is_timed_in_both_clients_until_the_pager_shows_the_page_asked_for()
    {
        // Next page, then back to the first: each click must change the pager's range in Chromium and in the
        // driver, or the round times out instead of timing an unrelated render.
        var result = await BrowserParityScenario.RunAsync(Home, rounds: 1, clicksPerRound: 2, log: _ => { }, ParityAction.QueuePaging, session: await SessionAsync());

        Assert.Equal(2, result.Browser.Count);
        Assert.Equal(2, result.Driver.Count);
        Assert.True(result.Browser.P50 > 0 && result.Driver.P50 > 0);
        var report = BrowserParityScenario.Report([result]);
        Assert.Contains("pager-range", report.What, StringComparison.Ordinal);
        Assert.Contains("answering render batch", report.Figures, StringComparison.Ordinal);
        Assert.Contains("`pager-next` on /queues/all", report.Summary.Figures, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Interaction_latency_under_load_measures_every_click_of_every_circuit()
    {
        var run = await InteractionLatencyScenario.RunAsync(Home, circuits: 2, duration: TimeSpan.FromSeconds(2), log: _ => { }, minimumClicks: 0, session: await SessionAsync());

        Assert.Equal(0, run.Failures);
        Assert.True(run.Attempts >= 2, $"{run.Attempts} clicks measured");
        Assert.Equal(run.Attempts, run.Latency.Count);
    }

    [Fact]
    public async Task The_queue_page_live_target_sees_one_advocates_claim_reach_the_other_advocates_open_pages()
    {
        // Two claims of the demo data's unclaimed CF intakes: the warm-up round and one measured round.
        using var target = await LiveUpdateTargets.QueueClaimAsync(Home);

        var run = await LiveUpdateScenario.RunAsync(Home, target, observers: 2, rounds: 1, TimeSpan.FromSeconds(60), intervalMs: 50);

        Assert.Equal(2, run.Expected);
        Assert.Equal(2, run.Delivered);
        Assert.Equal(2, run.SecondaryDelivered);
        Assert.Equal(1, run.ActorLatency?.Count);
        Assert.True(run.Latency.P50 > 0);
    }

    private static string? ThemeCss(CircuitDriver driver) =>
        driver.Tree.AllNodes().FirstOrDefault(n => n.Text?.Contains("mud-theme-provider", StringComparison.Ordinal) == true)?.Text;

    private static bool DrawerIsOpen(CircuitDriver driver)
    {
        lock (driver.Tree.SyncRoot)
        {
            return driver.Tree.FindByTestId("nav-drawer")?.Attribute("class")?.Contains("mud-drawer--open", StringComparison.Ordinal) == true;
        }
    }
}
