using Microsoft.Playwright;

namespace Portal.Tests.TestSupport;

/// <summary>
/// A portal process of its own for the public pages' browser tests: a quick proof of work, and per-address limits
/// high enough that these tests (all from 127.0.0.1) never meet them; the limits have their own integration test.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class IntakeEndToEndFixture : IAsyncLifetime
{
    /// <summary>Where "leave this page quickly" goes; tests intercept it so nothing reaches the internet.</summary>
    public const string NeutralSite = "https://neutral.example.org/weather";

    private readonly TempDirectory _data = new("portal-e2e-intake");
    private IPlaywright? _playwright;

    public PortalProcess Portal { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Portal = await PortalProcess.StartAsync(_data.Path, new Dictionary<string, string>
        {
            ["Portal:Intake:ProofOfWork:RestBits"] = "8",
            // Every test here posts from 127.0.0.1: the level must stay at rest (the pressure has its own tests).
            ["Portal:Intake:ProofOfWork:NormalInTotal"] = "100000",
            ["Portal:Intake:ProofOfWork:NormalPerAddress"] = "100000",
            ["Portal:Intake:RateLimits:FormPostsPerWindow"] = "1000",
            ["Portal:Intake:RateLimits:PageViewsPerWindow"] = "100000",
            ["Portal:Intake:QuickExitUrl"] = NeutralSite,
            // Static files as the build compressed them: in Development the portal otherwise re-sends a file whose date
            // differs from the build's manifest in an uncompressed gzip frame, and the page's weight would be misread.
            ["ReloadStaticAssetsAtRuntime"] = "false",
            // The demo accounts, for the advocate who answers a request; no demo cases, which would only compete with the other
            // browser fixture for CPU.
            ["Portal:SeedDemoData"] = "true",
            ["Portal:SeedDemoCases"] = "false",
        });
        _playwright = await Playwright.CreateAsync();
        Browser = await TestSupport.Browser.LaunchAsync(_playwright);
    }

    /// <summary>
    /// A fresh browser profile (no cookies, no history), speaking <paramref name="locale"/>, on a phone's screen
    /// (390 x 844, touch); with <paramref name="publicLanguage"/>, the public pages' language already chosen.
    /// </summary>
    public async Task<IPage> NewPageAsync(string? locale = "en-GB", string? publicLanguage = null, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Portal.BaseUrl,
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            HasTouch = true,
            JavaScriptEnabled = javaScript,
        });
        if (publicLanguage is not null)
        {
            await context.AddCookiesAsync([new Cookie { Name = global::Portal.Features.Intake.PublicCultures.CookieName, Value = publicLanguage, Url = Portal.BaseUrl + "/help" }]);
        }

        return await context.NewPageAsync();
    }

    /// <summary>A staff member's fresh browser profile, on a laptop's screen, speaking <paramref name="locale"/>.</summary>
    public async Task<IPage> NewStaffPageAsync(string locale = "fr-FR")
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
public sealed class IntakeEndToEndCollection : ICollectionFixture<IntakeEndToEndFixture>
{
    public const string Name = "Public intake end-to-end";
}
