using Microsoft.Playwright;
using Portal.Tests.TestSupport;
using Xunit.Abstractions;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// The published Release build in Production, behind nginx, serves every static file the sign-in page and the first
/// staff page load (the portal's own, MudBlazor's under _content and the framework's blazor.web.js) compressed and
/// cached as immutable, so a field link downloads each once, small.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class StaticAssetDeliveryTests
{
    private const string Password = "a-long-asset-delivery-passphrase-3";
    private readonly ProductionFixture _fixture;
    private readonly ITestOutputHelper _output;

    public StaticAssetDeliveryTests(ProductionFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task Every_asset_of_the_sign_in_and_first_staff_page_comes_compressed_and_immutable_and_a_later_load_fetches_none()
    {
        var account = await _fixture.EnrolledAdministratorAsync("assets.admin@example.org", Password);

        // A browser that has never seen the portal.
        var page = await _fixture.NewPageAsync();
        var wire = WireLog.On(page);
        await page.GotoAsync("/account/login", new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        await Assertions.Expect(page.GetByTestId("login-submit")).ToBeVisibleAsync();
        var signInPage = await wire.Take();
        // The sign-in page is dressed by its own small stylesheet; MudBlazor's is the staff pages', fetched after the load.
        Assert.Contains(signInPage, f => f.ResourceType == "stylesheet" && f.Url.AbsolutePath.StartsWith("/account.", StringComparison.Ordinal));
        Assert.DoesNotContain(signInPage, f => f.ResourceType == "stylesheet" && f.Url.AbsolutePath.StartsWith("/_content/MudBlazor/", StringComparison.Ordinal));

        await page.GetByTestId("login-user-name").FillAsync(account.UserName);
        await page.GetByTestId("login-password").FillAsync(Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.GetByTestId("two-factor-code").FillAsync(StaffAccounts.NextCode(account));
        await page.GetByTestId("two-factor-submit").ClickAsync();
        await page.WaitForURLAsync(_fixture.PublicBaseUrl + "/");
        await page.WaitForCircuitAsync();
        var firstStaffPage = await wire.Take();
        _output.WriteLine($"sign-in page: {Describe(signInPage)}");
        _output.WriteLine($"first staff page after sign-in: {Describe(firstStaffPage)}");

        var assets = signInPage.Concat(firstStaffPage).Where(f => f.IsStaticAsset).ToList();
        Assert.Contains(assets, f => f.Url.AbsolutePath.StartsWith("/_content/MudBlazor/", StringComparison.Ordinal) && f.ResourceType == "stylesheet");
        Assert.Contains(assets, f => f.Url.AbsolutePath.StartsWith("/_content/MudBlazor/", StringComparison.Ordinal) && f.ResourceType == "script");
        Assert.Contains(assets, f => f.Url.AbsolutePath.StartsWith("/_framework/blazor.web.", StringComparison.Ordinal));
        Assert.All(assets, f =>
        {
            Assert.True(f.Status == 200, $"{f.Url.AbsolutePath} answered {f.Status}");
            Assert.True(f.ContentEncoding is "br" or "gzip", $"{f.Url.AbsolutePath} came without Content-Encoding");
            Assert.True(f.CacheControl?.Contains("immutable", StringComparison.Ordinal) == true, $"{f.Url.AbsolutePath} came with Cache-Control: {f.CacheControl}");
        });

        // A later full load of the same page takes every asset from the browser's cache.
        await page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        await page.WaitForCircuitAsync();
        var later = await wire.Take();
        _output.WriteLine($"later full load: {Describe(later)}");
        Assert.DoesNotContain(later, f => f.IsStaticAsset && f.WireBytes > 0);

        await page.Context.CloseAsync();
    }

    private static string Describe(IReadOnlyList<WireLog.Fetched> fetched) =>
        $"{fetched.Sum(f => f.WireBytes)} bytes over HTTP in {fetched.Count} requests, {fetched.Where(f => f.IsStaticAsset).Sum(f => f.WireBytes)} of them static assets: "
        + string.Join(", ", fetched.Select(f => $"{f.Url.AbsolutePath} {f.WireBytes}"));
}
