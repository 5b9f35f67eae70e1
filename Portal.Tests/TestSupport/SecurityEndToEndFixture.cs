using Microsoft.Playwright;

namespace Portal.Tests.TestSupport;

/// <summary>
/// A portal process of its own with short session settings (revalidation every 2 s, idle timeout 12 s), so
/// browser tests can watch revocation and idleness reach an open circuit without waiting minutes.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class SecurityEndToEndFixture : IAsyncLifetime
{
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(12);

    private readonly TempDirectory _data = new("portal-e2e-security");
    private IPlaywright? _playwright;

    public PortalProcess Portal { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Portal = await PortalProcess.StartAsync(_data.Path, new Dictionary<string, string>
        {
            ["Portal:Security:RevalidationInterval"] = "00:00:02",
            ["Portal:Security:IdleTimeout"] = "00:00:12",
            ["Portal:SeedDemoCases"] = "false", // the demo accounts are enough here
        });
        _playwright = await Playwright.CreateAsync();
        Browser = await TestSupport.Browser.LaunchAsync(_playwright);
    }

    public async Task<IPage> NewPageAsync(string? locale = "en-GB")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Portal.BaseUrl, Locale = locale });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Portal is not null)
        {
            await Portal.DisposeAsync();
        }

        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SecurityEndToEndCollection : ICollectionFixture<SecurityEndToEndFixture>
{
    public const string Name = "End-to-end security";
}
