using Microsoft.Playwright;

namespace Portal.Tests.TestSupport;

/// <summary>
/// Two real portal processes on different loopback ports sharing one PostgreSQL database (created for the fixture and
/// dropped after) and the test Redis, as two nodes behind a load balancer would. Node A starts first and seeds the
/// Development demo data (identities encrypted with the key ring it creates in the database); node B starts on the
/// same database and seeds nothing. One Chromium drives both.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class ScaledOutFixture : IAsyncLifetime
{
    private readonly TempDirectory _dataA = new("portal-node-a");
    private readonly TempDirectory _dataB = new("portal-node-b");
    private readonly string _database = TestPostgres.NewDatabase("nodes");
    private IPlaywright? _playwright;

    public PortalProcess NodeA { get; private set; } = null!;

    public PortalProcess NodeB { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static Dictionary<string, string> NodeSettings(string database, string liveChannel) => new()
    {
        ["Portal:Database:Provider"] = "Postgres",
        ["ConnectionStrings:Portal"] = database,
        ["ConnectionStrings:Redis"] = TestRedis.Server,
        ["Portal:Live:RedisChannel"] = liveChannel,
        ["Portal:Jobs:WorkerCount"] = "1",

        // Only the safety net: a page that leaves on an ended session within a test heard of it through Redis.
        ["Portal:Security:RevalidationInterval"] = "00:10:00",
    };

    public async Task InitializeAsync()
    {
        var settings = NodeSettings(_database, $"test-nodes-{Guid.NewGuid():N}");
        NodeA = await PortalProcess.StartAsync(_dataA.Path, settings);
        NodeB = await PortalProcess.StartAsync(_dataB.Path, settings);
        _playwright = await Playwright.CreateAsync();
        Browser = await TestSupport.Browser.LaunchAsync(_playwright);
    }

    public async Task<IPage> NewPageAsync(PortalProcess node, string? locale = "en-GB")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = node.BaseUrl, Locale = locale });
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Runs a test's steps and, when they fail, adds the end of both nodes' logs to the failure: a page that never loads
    /// in the browser shows only its spinner, while the node that served it logged why.
    /// </summary>
    public async Task WithNodeLogsAsync(Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (Exception failure) when (failure is PlaywrightException or TimeoutException)
        {
            static string Tail(string log) => log.Length > 6000 ? log[^6000..] : log;
            throw new InvalidOperationException($"{failure.Message}\n--- node A ---\n{Tail(NodeA.Output)}\n--- node B ---\n{Tail(NodeB.Output)}", failure);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        foreach (var node in new[] { NodeA, NodeB })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        TestPostgres.Drop(_database);
        _dataA.Dispose();
        _dataB.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ScaledOutCollection : ICollectionFixture<ScaledOutFixture>
{
    public const string Name = "Scaled out: two nodes";
}

/// <summary>Two nodes of its own, for a test that stops one: the shared pair stays up for the other tests.</summary>
[CollectionDefinition(Name)]
public sealed class NodeStopCollection : ICollectionFixture<ScaledOutFixture>
{
    public const string Name = "Scaled out: a node stops";
}
