using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Portal.Benchmarks.Driver;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;

namespace Portal.Benchmarks.Scenarios;

/// <summary>
/// A page that shows live data, and what changes it. For the portal's queue page: PagePath "/queues/new", an
/// advocate's circuit as the actor, Trigger = the actor clicks "claim" on a case, ShowsUpdate = the case's row has
/// left an observer's tree.
/// </summary>
/// <param name="Name">How the row is labelled in BENCHMARKS.md.</param>
/// <param name="PagePath">The page every observer opens.</param>
/// <param name="Trigger">The actor makes round <c>round</c>'s change (timing starts just before it).</param>
/// <param name="ShowsUpdate">True once an observer's tree shows round <c>round</c>'s change; must be false before the trigger.</param>
/// <param name="Observer">Options for observer <c>index</c> (a signed-in session); null for anonymous.</param>
/// <param name="Actor">Options for the actor's circuit (a signed-in session); null for anonymous.</param>
/// <param name="ActorPagePath">Where the actor works; PagePath when null.</param>
/// <param name="Prepare">Untimed, before each round: the actor picks what it will change (e.g. the case to claim).</param>
/// <param name="Secondary">A second sign of the same change, timed from the same trigger (e.g. a count in the navigation).</param>
public sealed record LiveUpdateTarget(
    string Name,
    string PagePath,
    Func<CircuitDriver, int, Task> Trigger,
    Func<RenderTree, int, bool> ShowsUpdate,
    Func<int, CircuitDriverOptions>? Observer = null,
    CircuitDriverOptions? Actor = null,
    string? ActorPagePath = null,
    Func<CircuitDriver, int, Task>? Prepare = null,
    LiveUpdateCheck? Secondary = null) : IDisposable
{
    /// <summary>What the target holds for its lifetime (signed-in sessions); disposed with it.</summary>
    public IReadOnlyList<IDisposable> Owned { get; init; } = [];

    public void Dispose()
    {
        foreach (var owned in Owned)
        {
            owned.Dispose();
        }
    }
}

public sealed record LiveUpdateCheck(string Name, Func<RenderTree, int, bool> Shows);

/// <param name="ActorLatency">Trigger → the actor's own tree showing the change (the actor's click, the commit and its own re-render).</param>
/// <param name="Secondary">Delivery and latency of the target's second sign, when it has one.</param>
/// <param name="ServerCpuMsPerChange">
/// CPU time the server process used over the measured rounds, per round: one change, its re-renders on every observing
/// page, their acknowledgements and the pause between rounds (NaN when the server's process was not given).
/// </param>
/// <param name="DriverCpuMsPerChange">The same for this process, whose circuits receive and decode every observer's batches.</param>
public sealed record LiveUpdateRun(
    string Target, int Observers, int Expected, int Delivered, LatencySummary Latency, LatencySummary? ActorLatency = null,
    string? SecondaryName = null, int SecondaryDelivered = 0, LatencySummary? SecondaryLatency = null,
    double ServerCpuMsPerChange = double.NaN, double DriverCpuMsPerChange = double.NaN)
{
    /// <summary>The server's CPU per observing page per change: what one more open page costs it when something changes.</summary>
    public double ServerCpuMsPerPage => ServerCpuMsPerChange / Observers;

    /// <summary>Both processes' CPU per change spread evenly over the machine's cores: how much of each core one change takes.</summary>
    public double CpuMsPerCorePerChange => (ServerCpuMsPerChange + DriverCpuMsPerChange) / Environment.ProcessorCount;
}

public static class LiveUpdateTargets
{
    /// <summary>
    /// Portal pages with live data. Each builds its target on a running portal (signing in the sessions it needs);
    /// the data a round consumes (one unclaimed CF intake per round) is seeded before the portal starts.
    /// </summary>
    public static IReadOnlyList<Func<Uri, Task<LiveUpdateTarget>>> Portal { get; } = [QueueClaimAsync];

    /// <summary>Unclaimed intakes a portal run of <paramref name="rounds"/> rounds per observer count needs (one per round, warm-up included).</summary>
    public static int IntakesNeeded(int rounds, int observerCounts) => (rounds + 1) * observerCounts * Portal.Count;

    /// <summary>
    /// The Blazor floor, on the benchmark's template app (serve-counter): "/live" shows a shared number that a
    /// click re-renders in every circuit through an in-process event. Needs a fresh server (the number starts at 0).
    /// </summary>
    public static LiveUpdateTarget BaselineLivePage { get; } = new(
        "template app \"/live\" (in-process event, re-render)",
        "/live",
        (actor, _) => actor.ClickAsync("bump"),
        (tree, round) => long.TryParse(tree.FindByTestId("live-value")?.TextContent(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                         && value >= round + 1);

    /// <summary>
    /// The portal's "New intakes" queue (/queues/new) open in N circuits of one CF advocate (one browser session,
    /// many tabs: the cookie backs every circuit); a second CF advocate claims the oldest unclaimed case on the same
    /// page. Shows the update: the claimed row has left the observer's table. Second sign: the "New intakes" count in
    /// the observer's navigation dropped.
    /// </summary>
    public static async Task<LiveUpdateTarget> QueueClaimAsync(Uri baseUri)
    {
        var (observers, actor) = await SignInBothAsync(baseUri, PortalAccounts.AdvocateCf, PortalAccounts.SecondAdvocateCf);
        var claimed = new ConcurrentDictionary<int, string>();
        var countBefore = new ConcurrentDictionary<int, int>();
        var wait = TimeSpan.FromSeconds(60);
        return new LiveUpdateTarget(
            "queue page /queues/new: a CF advocate claims, the other's open pages update",
            "/queues/new",
            Trigger: (driver, round) => driver.ClickAsync("claim-" + claimed[round], wait),
            ShowsUpdate: (tree, round) => claimed.TryGetValue(round, out var number) && tree.FindByTestId("claim-" + number) is null,
            Observer: _ => observers.DriverOptions("circuit-ready", wait),
            Actor: actor.DriverOptions("circuit-ready", wait),
            Prepare: async (driver, round) =>
            {
                // The previous claim has left the actor's own page and its count has settled.
                if (claimed.TryGetValue(round - 1, out var previous))
                {
                    await driver.WaitForAsync(t => t.FindByTestId("claim-" + previous) is null && NewIntakesCount(t) < countBefore[round - 1], wait);
                }

                await driver.WaitForAsync(t => FirstClaimable(t) is not null && NewIntakesCount(t) is not null, wait);
                lock (driver.Tree.SyncRoot)
                {
                    claimed[round] = FirstClaimable(driver.Tree)!;
                    countBefore[round] = NewIntakesCount(driver.Tree)!.Value;
                }
            },
            Secondary: new LiveUpdateCheck(
                "navigation count \"New intakes\" dropped",
                (tree, round) => countBefore.TryGetValue(round, out var before) && NewIntakesCount(tree) is { } now && now < before))
        {
            Owned = [observers, actor],
        };
    }

    /// <summary>
    /// A coordinator's open dashboard (all countries, last 12 months) on <paramref name="pagePath"/>: /dashboard, inside
    /// the portal's layout and its navigation counts, or the wall screen /dashboard/wall, without them. A CF advocate
    /// claims the oldest unclaimed case on /queues/new, and the "unclaimed" figure drops by one. The time covers the
    /// claim's commit, the live event, the dashboard's coalescing window, computing the figures again and the re-render.
    /// The actor's own sign is the claimed row leaving its queue.
    /// </summary>
    public static async Task<LiveUpdateTarget> DashboardClaimAsync(Uri baseUri, string pagePath = "/dashboard")
    {
        var wait = TimeSpan.FromSeconds(60);
        var (observers, actor) = await SignInBothAsync(baseUri, PortalAccounts.Coordinator, PortalAccounts.AdvocateCf);
        int unclaimedAtStart;
        try
        {
            unclaimedAtStart = await FigureOnOpeningAsync(new Uri(baseUri, pagePath.TrimStart('/')), observers, t => UnclaimedFigure(t), wait);
        }
        catch
        {
            observers.Dispose();
            actor.Dispose();
            throw;
        }

        var claimed = new ConcurrentDictionary<int, string>();
        return new LiveUpdateTarget(
            $"dashboard {pagePath}: a CF advocate claims, the coordinator's unclaimed figure drops",
            pagePath,
            Trigger: (driver, round) => driver.ClickAsync("claim-" + claimed[round], wait),
            // Round r is the (r + 1)th claim since the start; the actor's tree is a queue page, where the row leaves.
            ShowsUpdate: (tree, round) => UnclaimedFigure(tree) is { } unclaimed
                ? unclaimed <= unclaimedAtStart - (round + 1)
                : claimed.TryGetValue(round, out var number) && tree.FindByTestId("claim-" + number) is null,
            Observer: _ => observers.DriverOptions("circuit-ready", wait),
            Actor: actor.DriverOptions("circuit-ready", wait),
            ActorPagePath: "/queues/new",
            Prepare: async (driver, round) =>
            {
                if (claimed.TryGetValue(round - 1, out var previous))
                {
                    await driver.WaitForAsync(t => t.FindByTestId("claim-" + previous) is null, wait);
                }

                await driver.WaitForAsync(t => FirstClaimable(t) is not null, wait);
                lock (driver.Tree.SyncRoot)
                {
                    claimed[round] = FirstClaimable(driver.Tree)!;
                }
            })
        {
            Owned = [observers, actor],
        };
    }

    /// <summary>
    /// A coordinator's open dashboard (all countries, last 12 months) on <paramref name="pagePath"/>; a CF advocate
    /// accepts, on the page of case <paramref name="caseNumber"/>, one of the referrals sent the day before
    /// (<see cref="PortalDatabase.ArrangeReferralsToAcceptAsync"/>), and the number of referrals the time to acceptance is
    /// measured on rises by one. The dialog is opened before the timing; the click is its confirmation. The time covers
    /// the acceptance's commit, the live event, the coalescing window, the figures computed again, where the referrals
    /// of the period are brought up to date by reading that case's referrals again, and the re-render. The actor's own
    /// sign is one "accept" button fewer on its case page.
    /// </summary>
    public static async Task<LiveUpdateTarget> DashboardReferralAsync(Uri baseUri, string caseNumber, string pagePath = "/dashboard")
    {
        var wait = TimeSpan.FromSeconds(60);
        var (observers, actor) = await SignInBothAsync(baseUri, PortalAccounts.Coordinator, PortalAccounts.AdvocateCf);
        int acceptedAtStart;
        try
        {
            acceptedAtStart = await FigureOnOpeningAsync(new Uri(baseUri, pagePath.TrimStart('/')), observers, t => Figure(t, "median.acceptance"), wait);
        }
        catch
        {
            observers.Dispose();
            actor.Dispose();
            throw;
        }

        var toAcceptAtStart = -1;
        return new LiveUpdateTarget(
            $"dashboard {pagePath}: a CF advocate accepts a referral, the coordinator's accepted-referrals figure rises",
            pagePath,
            Trigger: (driver, round) => driver.ClickAsync("referral-action-confirm", wait),
            ShowsUpdate: (tree, round) => Figure(tree, "median.acceptance") is { } accepted
                ? accepted >= acceptedAtStart + round + 1
                : toAcceptAtStart >= 0 && tree.FindByTestId("referral-action-dialog") is null && AcceptButtons(tree) <= toAcceptAtStart - (round + 1),
            Observer: _ => observers.DriverOptions("circuit-ready", wait),
            Actor: actor.DriverOptions("circuit-ready", wait),
            ActorPagePath: $"/cases/{caseNumber}",
            Prepare: async (driver, round) =>
            {
                if (round == 0)
                {
                    // The case page opens on its overview: the referrals have a tab of their own.
                    await driver.WaitForAsync(t => ReferralsTab(t) is not null, wait);
                    await driver.DispatchEventAsync(ReferralsTab(driver.Tree)!.Value, "click", CircuitDriver.MouseClickArgs, wait);
                }

                // The previous acceptance has left the actor's page (dialog closed, one button fewer).
                await driver.WaitForAsync(t => t.FindByTestId("referral-action-dialog") is null && AcceptButtons(t) > 0 && (toAcceptAtStart < 0 || AcceptButtons(t) <= toAcceptAtStart - round), wait);
                if (round == 0)
                {
                    lock (driver.Tree.SyncRoot)
                    {
                        toAcceptAtStart = AcceptButtons(driver.Tree);
                    }
                }

                await driver.ClickAsync("referral-action-Accept", wait);
                await driver.WaitForAsync(t => t.FindByTestId("referral-action-confirm") is not null, wait);
            })
        {
            Owned = [observers, actor],
        };
    }

    /// <summary>The dashboard's "unclaimed" figure (a link carrying data-figure="unclaimed").</summary>
    private static int? UnclaimedFigure(RenderTree tree) => Figure(tree, "unclaimed");

    /// <summary>A dashboard figure: the number of the link carrying data-figure="<paramref name="key"/>".</summary>
    private static int? Figure(RenderTree tree, string key) =>
        tree.AllNodes().FirstOrDefault(n => n.Kind == RenderNodeKind.Element && n.Attribute("data-figure") == key) is { } link
        && int.TryParse(link.TextContent().Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>The click handler of the case page's referrals tab ("Assistance and referrals", "Assistance et orientations").</summary>
    private static ulong? ReferralsTab(RenderTree tree)
    {
        lock (tree.SyncRoot)
        {
            return tree.AllNodes().FirstOrDefault(n => n.Kind == RenderNodeKind.Element && n.Attribute("role") == "tab" && n.TextContent().StartsWith("Assistance", StringComparison.Ordinal)
                                                       && n.EventHandlers.ContainsKey("click")) is { } tab
                ? tab.EventHandlers["click"]
                : null;
        }
    }

    /// <summary>The enabled "accept" buttons of a case page's referrals.</summary>
    private static int AcceptButtons(RenderTree tree) =>
        tree.AllNodes().Count(n => n.Kind == RenderNodeKind.Element && n.Attribute("data-testid") == "referral-action-Accept"
                                   && n.EventHandlers.ContainsKey("click") && !n.Attributes.ContainsKey("disabled"));

    /// <summary>The case number of the first enabled claim button in document order (the oldest unclaimed case).</summary>
    private static string? FirstClaimable(RenderTree tree) =>
        tree.AllNodes()
            .Where(n => n.Kind == RenderNodeKind.Element && n.Attribute("data-testid") is { } id && id.StartsWith("claim-", StringComparison.Ordinal)
                        && n.EventHandlers.ContainsKey("click") && !n.Attributes.ContainsKey("disabled"))
            .Select(n => n.Attribute("data-testid")!["claim-".Length..])
            .FirstOrDefault();

    private static int? NewIntakesCount(RenderTree tree) =>
        int.TryParse(tree.FindByTestId("count-NewIntakes")?.TextContent().Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : null;

    /// <summary>Signs in the observers' and the actor's sessions; when the second sign-in fails the first is closed.</summary>
    private static async Task<(BrowserSession Observers, BrowserSession Actor)> SignInBothAsync(Uri baseUri, string observer, string actor)
    {
        var observers = await PortalAccounts.SignInAsync(baseUri, observer);
        try
        {
            return (observers, await PortalAccounts.SignInAsync(baseUri, actor));
        }
        catch
        {
            observers.Dispose();
            throw;
        }
    }

    /// <summary>A figure as a page shows it once opened in a circuit of <paramref name="session"/>, the circuit closed again.</summary>
    private static async Task<int> FigureOnOpeningAsync(Uri page, BrowserSession session, Func<RenderTree, int?> figure, TimeSpan wait)
    {
        await using var look = await CircuitDriver.OpenAsync(page, session.DriverOptions("circuit-ready", wait));
        await look.WaitForAsync(t => figure(t) is not null, wait);
        lock (look.Tree.SyncRoot)
        {
            return figure(look.Tree)!.Value;
        }
    }
}

/// <summary>N observers on a live page; an actor changes data; time until each observer's tree shows it.</summary>
public static class LiveUpdateScenario
{
    /// <summary>
    /// Opens <paramref name="observers"/> circuits and the actor's, then runs one unmeasured warm-up round and
    /// <paramref name="rounds"/> measured ones, <paramref name="intervalMs"/> apart once every observer has the change.
    /// </summary>
    public static async Task<LiveUpdateRun> RunAsync(Uri baseUri, LiveUpdateTarget target, int observers, int rounds, TimeSpan roundTimeout, int intervalMs = 200, int? serverProcessId = null)
    {
        using var server = serverProcessId is { } id ? Process.GetProcessById(id) : null;
        using var self = Process.GetCurrentProcess();
        // Both processes' CPU over the measured rounds as a whole (the OS counts it in 10 ms ticks, too coarse for one round).
        var (serverCpu, driverCpu) = (TimeSpan.Zero, TimeSpan.Zero);
        var options = target.Observer ?? (_ => new CircuitDriverOptions());
        await using var pool = new CircuitPool(new Uri(baseUri, target.PagePath.TrimStart('/')), options);
        await pool.GrowToAsync(observers);
        await using var actor = await CircuitDriver.OpenAsync(new Uri(baseUri, (target.ActorPagePath ?? target.PagePath).TrimStart('/')), target.Actor ?? new CircuitDriverOptions());
        await Task.WhenAll(pool.Drivers.Append(actor).Select(d => d.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(120))));

        var latencies = new ConcurrentBag<TimeSpan>();
        var secondary = new ConcurrentBag<TimeSpan>();
        var actorLatencies = new List<TimeSpan>();
        var delivered = 0;
        var secondaryDelivered = 0;
        for (var round = 0; round <= rounds; round++)
        {
            var current = round;
            var measured = round > 0; // round 0 warms up the page, the queries and the driver
            if (round == 1)
            {
                (serverCpu, driverCpu) = (CpuTime(server), CpuTime(self));
            }

            if (target.Prepare is not null)
            {
                await target.Prepare(actor, current);
            }

            foreach (var observer in pool.Drivers)
            {
                lock (observer.Tree.SyncRoot)
                {
                    if (target.ShowsUpdate(observer.Tree, current) || target.Secondary?.Shows(observer.Tree, current) == true)
                    {
                        throw new InvalidOperationException($"An observer of {target.Name} shows round {current}'s change before it was made: the target measures nothing.");
                    }
                }
            }

            var started = Stopwatch.GetTimestamp();
            // Each wait registers with its driver synchronously, before the trigger below, so no batch is missed.
            async Task Wait(CircuitDriver driver, Func<RenderTree, int, bool> shows, ConcurrentBag<TimeSpan> into, Action onDelivered)
            {
                try
                {
                    var batch = await driver.WaitForAsync(tree => shows(tree, current), roundTimeout);
                    if (measured)
                    {
                        into.Add(Stopwatch.GetElapsedTime(started, batch?.ReceivedTimestamp ?? Stopwatch.GetTimestamp()));
                        onDelivered();
                    }
                }
                catch (TimeoutException)
                {
                    // Counted as not delivered.
                }
            }

            var waits = pool.Drivers.Select(d => Wait(d, target.ShowsUpdate, latencies, () => Interlocked.Increment(ref delivered))).ToList();
            if (target.Secondary is { } check)
            {
                waits.AddRange(pool.Drivers.Select(d => Wait(d, check.Shows, secondary, () => Interlocked.Increment(ref secondaryDelivered))));
            }

            var actorBag = new ConcurrentBag<TimeSpan>();
            var actorWait = Wait(actor, target.ShowsUpdate, actorBag, () => { });
            await target.Trigger(actor, current);
            await Task.WhenAll(waits.Append(actorWait));
            actorLatencies.AddRange(actorBag);
            await Task.Delay(intervalMs);
        }

        (serverCpu, driverCpu) = (CpuTime(server) - serverCpu, CpuTime(self) - driverCpu);
        return new LiveUpdateRun(
            target.Name, observers, observers * rounds, delivered, LatencySummary.Of(latencies), LatencySummary.Of(actorLatencies),
            target.Secondary?.Name, secondaryDelivered, target.Secondary is null ? null : LatencySummary.Of(secondary),
            server is null || rounds == 0 ? double.NaN : serverCpu.TotalMilliseconds / rounds, rounds == 0 ? double.NaN : driverCpu.TotalMilliseconds / rounds);
    }

    private static TimeSpan CpuTime(Process? process)
    {
        if (process is null)
        {
            return TimeSpan.Zero;
        }

        process.Refresh();
        return process.TotalProcessorTime;
    }
}
