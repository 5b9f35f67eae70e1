using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Portal.Features.Intake;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

[Collection(IntakeEndToEndCollection.Name)]
public sealed class IntakePageTests
{
    private const long MaxPageBytes = 200 * 1024;
    private readonly IntakeEndToEndFixture _fixture;

    public IntakePageTests(IntakeEndToEndFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData("/help")]
    [InlineData("/help/status")]
    public async Task The_page_weighs_under_200_KB_and_every_request_goes_to_the_portal_itself(string path)
    {
        var page = await _fixture.NewPageAsync();
        var requests = new List<IRequest>();
        page.RequestFinished += (_, request) => requests.Add(request);
        page.RequestFailed += (_, request) => requests.Add(request);

        await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.Locator("form[data-pow-solved]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

        var origin = new Uri(_fixture.Portal.BaseUrl).GetLeftPart(UriPartial.Authority);
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.True(
            r.Url.StartsWith(origin + "/", StringComparison.Ordinal) || r.Url.StartsWith("data:", StringComparison.Ordinal),
            $"{r.Url} is not on the portal's own origin {origin}"));

        long total = 0;
        foreach (var request in requests)
        {
            var sizes = await request.SizesAsync();
            total += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
        }

        Assert.True(total > 0, "sizes were measured");
        Assert.True(total < MaxPageBytes, $"{path} transferred {total} bytes in {requests.Count} requests: {string.Join(", ", requests.Select(r => r.Url))}");
        Assert.DoesNotContain(requests, r => r.Url.Contains("MudBlazor", StringComparison.Ordinal) || r.Url.Contains("blazor.web", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Leave_this_page_quickly_replaces_the_page_and_Back_does_not_return_to_the_form()
    {
        var page = await _fixture.NewPageAsync();
        await page.Context.RouteAsync(IntakeEndToEndFixture.NeutralSite, route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "text/html",
            Body = "<!DOCTYPE html><title>Weather</title><h1 id=neutral>Weather today</h1>",
        }));
        await page.GotoAsync("/health");
        await page.GotoAsync("/help");
        await page.Locator("#account").FillAsync("Something I do not want anyone to see");

        await page.GetByTestId("quick-exit").ClickAsync();
        await page.Locator("#neutral").WaitForAsync();

        Assert.Equal(IntakeEndToEndFixture.NeutralSite, page.Url);
        await page.GoBackAsync();
        Assert.DoesNotContain("/help", page.Url, StringComparison.Ordinal);
        Assert.EndsWith("/health", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Moving_between_public_pages_and_languages_keeps_one_history_entry_so_quick_exit_leaves_no_trace()
    {
        var page = await _fixture.NewPageAsync();
        await page.Context.RouteAsync(IntakeEndToEndFixture.NeutralSite, route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = "<h1 id=neutral>Weather</h1>" }));
        await page.GotoAsync("/health");
        await page.GotoAsync("/help");

        await page.GetByTestId("language-sw").ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "sw");
        await page.GetByTestId("status-link").ClickAsync();
        await page.WaitForURLAsync("**/help/status");
        await page.GetByTestId("quick-exit").ClickAsync();
        await page.Locator("#neutral").WaitForAsync();
        await page.GoBackAsync();

        Assert.EndsWith("/health", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_browser_language_preselects_the_page_and_Arabic_reads_right_to_left()
    {
        var page = await _fixture.NewPageAsync("ar-EG");

        await page.GotoAsync("/help");

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("احصل على المساعدة الآن");
        await page.Context.CloseAsync();
    }

    public static TheoryData<string, string> PagesInEveryLanguage()
    {
        var data = new TheoryData<string, string>();
        foreach (var language in PublicCultures.All)
        {
            data.Add(language.Code, "/help");
            data.Add(language.Code, "/help/status");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PagesInEveryLanguage))]
    public async Task Axe_finds_no_serious_or_critical_violation(string language, string path)
    {
        var page = await _fixture.NewPageAsync();
        await page.Context.AddCookiesAsync([new Cookie { Name = PublicCultures.CookieName, Value = language, Url = _fixture.Portal.BaseUrl + "/help" }]);
        await page.GotoAsync(path);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);

        var result = await page.RunAxe();
        Assert.NotEmpty(result.Passes); // axe really ran

        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join("; ", v.Nodes.Select(n => n.Html))}")
            .ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
        await page.Context.CloseAsync();
    }
}
