using Microsoft.Playwright;

namespace Portal.Tests.TestSupport;

/// <summary>
/// A portal process of its own, with demo cases, whose periodic revalidation of open pages is pushed out to ten minutes:
/// an open page that leaves within a test can only have heard of its ended session through the session's own event.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class RevocationEndToEndFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("portal-e2e-revocation");
    private IPlaywright? _playwright;

    public PortalProcess Portal { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Portal = await PortalProcess.StartAsync(_data.Path, new Dictionary<string, string>
        {
            ["Portal:Security:RevalidationInterval"] = "00:10:00",
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
public sealed class RevocationEndToEndCollection : ICollectionFixture<RevocationEndToEndFixture>
{
    public const string Name = "End-to-end revocation";
}
