using Microsoft.Playwright;

namespace Portal.Tests.TestSupport;

/// <summary>One real portal process (Development, demo data) and one Chromium shared by the end-to-end tests.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class EndToEndFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("portal-e2e");
    private IPlaywright? _playwright;

    public PortalProcess Portal { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Every end-to-end test signs in from 127.0.0.1, dozens of times within minutes on a fast machine: the production
        // limit (30 posts per address per 5 minutes) would refuse the later sign-ins. The limit itself is tested in
        // SecurityRateLimitTests.
        Portal = await PortalProcess.StartAsync(_data.Path, new Dictionary<string, string>
        {
            ["Portal:Security:LoginRateLimit:PerAddressPermitLimit"] = "10000",
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
public sealed class EndToEndCollection : ICollectionFixture<EndToEndFixture>
{
    public const string Name = "End-to-end";
}
