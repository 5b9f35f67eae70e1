using System.Net;
using AngleSharp.Html.Parser;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>The public pages' defences, each refused with a plain page in the person's language.</summary>
public sealed class IntakeProtectionTests : IClassFixture<IntakeAppFactory>
{
    private readonly IntakeAppFactory _factory;

    public IntakeProtectionTests(IntakeAppFactory factory) => _factory = factory;

    [Fact]
    public async Task The_public_pages_load_neither_MudBlazor_nor_blazor_web_js_and_forbid_caching()
    {
        using var client = _factory.CreatePublicClient();
        foreach (var path in new[] { "/help", "/help/status", "/help/submitted", "/help/problem/404" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var html = await response.Content.ReadAsStringAsync();

            Assert.DoesNotContain("MudBlazor", html, StringComparison.Ordinal);
            Assert.DoesNotContain("blazor.web", html, StringComparison.Ordinal);
            Assert.DoesNotContain("_framework", html, StringComparison.Ordinal);
            Assert.Contains("help/help.", html, StringComparison.Ordinal);
            Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_post_without_an_antiforgery_token_is_refused_with_a_plain_page()
    {
        using var client = _factory.CreatePublicClient();
        var form = await PublicForm.LoadAsync(client, "/help");
        form.Solve().With("Form.Account", "Please help").Without("__RequestVerificationToken");

        using var response = await form.PostAsync(client);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-testid=\"problem-title\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("antiforgery", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_forged_proof_of_work_is_refused_and_the_text_is_kept_in_the_form()
    {
        using var client = _factory.CreatePublicClient();
        var form = await PublicForm.LoadAsync(client, "/help");
        form.With("Form.Challenge", form.Challenge![..^4] + "AAAA").Solve().With("Form.Account", "Please help, I wrote this carefully");

        using var response = await form.PostAsync(client);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-testid=\"form-refused\"", html, StringComparison.Ordinal);
        Assert.Contains("Please help, I wrote this carefully", Textarea(html, "account"), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Location");
    }

    [Fact]
    public async Task A_post_without_its_challenge_says_to_wait_and_send_again()
    {
        using var client = _factory.CreatePublicClient();
        var form = await PublicForm.LoadAsync(client, "/help");
        form.With("Form.Account", "Please help").Without("Form.Challenge");

        using var response = await form.PostAsync(client);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("was not ready to send yet", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_answer_is_refused_and_the_text_is_kept()
    {
        using var client = _factory.CreatePublicClient();
        var form = await PublicForm.LoadAsync(client, "/help");
        var right = form.Solve().Fields["Form.Nonce"];
        var wrong = string.Join(',', right.Split(',').Select(n => (int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) + 1) % (1 << form.Bits)));
        form.With("Form.Nonce", wrong).With("Form.Account", "Please help, I wrote this carefully");

        using var response = await form.PostAsync(client);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-testid=\"form-refused\"", html, StringComparison.Ordinal);
        Assert.Contains("Please help, I wrote this carefully", Textarea(html, "account"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_answer_as_without_JavaScript_a_form_is_accepted_at_normal_load()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        var form = await PublicForm.LoadAsync(client, "/help");
        form.With("Form.Account", "Please help, my phone has no JavaScript");

        using var response = await form.PostAsync(client);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/help/submitted", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_refused_for_its_fields_comes_back_with_the_same_challenge_and_its_answer()
    {
        using var client = _factory.CreatePublicClient();
        var form = await PublicForm.LoadAsync(client, "/help");
        form.Solve().With("Form.Account", "ab").With("Form.Phone", "abc");

        using var response = await form.PostAsync(client);
        var again = PublicForm.FromHtml(await response.Content.ReadAsStringAsync(), "intake-form", "/help");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(form.Challenge, again.Challenge);
        Assert.Equal(form.Fields["Form.Nonce"], again.Fields["Form.Nonce"]);
        using var accepted = await again.With("Form.Account", "ab, and now more words").Without("Form.Phone").PostAsync(client);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains("data-testid=\"reference-code\"", await accepted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filled_honeypot_is_refused()
    {
        using var client = _factory.CreatePublicClient();
        var form = await PublicForm.LoadAsync(client, "/help");
        form.Solve().With("Form.Account", "buy cheap watches").With("Form.Website", "http://spam.example");

        using var response = await form.PostAsync(client);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-testid=\"form-refused\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_one_megabyte_body_is_refused_before_it_is_read_with_a_plain_page()
    {
        using var client = _factory.CreatePublicClient();
        var form = await PublicForm.LoadAsync(client, "/help");
        form.Solve().With("Form.Account", new string('a', 1024 * 1024));

        using var response = await form.PostAsync(client);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Your message is too long", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_pages_speak_the_persons_language()
    {
        using var client = _factory.CreatePublicClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/help/no-such-page");
        request.Headers.Add("Cookie", ".Portal.HelpLanguage=ar");

        using var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\"", html, StringComparison.Ordinal);
        Assert.Equal("الصفحة غير موجودة", (await new HtmlParser().ParseDocumentAsync(html)).QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task An_unexpected_failure_shows_the_plain_public_page_not_the_staff_error_page()
    {
        using var client = _factory.CreatePublicClient();

        using var response = await client.GetAsync(new Uri(IntakeAppFactory.ThrowingPath, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Something went wrong", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"problem-title\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("MudBlazor", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane Doe", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_language_switch_remembers_the_choice_for_the_public_pages_only_and_never_leaves_them()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);

        using var switched = await client.GetAsync(new Uri("/help/language/sw?return=%2Fhelp%2Fstatus", UriKind.Relative));
        using var offSite = await client.GetAsync(new Uri("/help/language/fr?return=%2F%2Fevil.example", UriKind.Relative));
        using var staff = await client.GetAsync(new Uri("/help/language/fr?return=%2Fadmin", UriKind.Relative));
        using var unknown = await client.GetAsync(new Uri("/help/language/de?return=%2Fhelp", UriKind.Relative));

        Assert.Equal("/help/status", switched.Headers.Location?.OriginalString);
        var cookie = Assert.Single(switched.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(".Portal.HelpLanguage=sw;", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/help", cookie, StringComparison.Ordinal);
        Assert.Equal("/help", offSite.Headers.Location?.OriginalString);
        Assert.Equal("/help", staff.Headers.Location?.OriginalString);
        Assert.False(unknown.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("%2Fhelp%2F..%2Fqueues%2Fall", "/help")]
    [InlineData("%2Fhelp%2F%252e%252e%2Fadmin", "/help")]
    [InlineData("%2Fhelp%00", "/help")]
    [InlineData("%2Fhelp%2Fstatus%00%2F..%2F..%2Fadmin", "/help")]
    [InlineData("%2F%5Cevil.example%2Fhelp", "/help")]
    [InlineData("%2Fhelp%2Fno-such-page", "/help")]
    [InlineData("%2Fhelp%2F.%2Fstatus", "/help/status")]
    [InlineData("%2FHELP%2FSubmitted%2F", "/help/submitted")]
    public async Task The_language_switch_returns_only_to_a_known_public_page(string requested, string expected)
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);

        using var response = await client.GetAsync(new Uri($"/help/language/fr?return={requested}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_staff_language_switch_answers_a_control_character_with_the_home_page()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);

        using var response = await client.GetAsync(new Uri("/culture/set?culture=fr&redirectUri=%2Fqueues%00", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("sw", "Pata msaada sasa", "ltr")]
    [InlineData("ar", "احصل على المساعدة الآن", "rtl")]
    [InlineData("ht", "Jwenn èd kounye a", "ltr")]
    public async Task The_browser_language_preselects_the_page_language(string acceptLanguage, string title, string direction)
    {
        using var client = _factory.CreatePublicClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/help");
        request.Headers.Add("Accept-Language", acceptLanguage + ",en;q=0.5");

        using var response = await client.SendAsync(request);
        var document = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());

        Assert.Equal(acceptLanguage, document.DocumentElement.GetAttribute("lang"));
        Assert.Equal(direction, document.DocumentElement.GetAttribute("dir"));
        Assert.Equal(title, document.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Draft_translations_say_so_and_reviewed_ones_do_not()
    {
        using var client = _factory.CreatePublicClient();

        var lingala = await GetWithCookie(client, "/help", "ln");
        var french = await GetWithCookie(client, "/help", "fr");

        Assert.Contains("data-testid=\"draft-note\"", lingala, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"draft-note\"", french, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_language_never_reaches_the_staff_pages()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.Add("Cookie", ".Portal.HelpLanguage=sw; .AspNetCore.Culture=c%3Dsw%7Cuic%3Dsw");
        request.Headers.Add("Accept-Language", "sw");

        using var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"en\"", html, StringComparison.Ordinal);
    }

    private static async Task<string> GetWithCookie(HttpClient client, string path, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $".Portal.HelpLanguage={language}");
        using var response = await client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    internal static string Textarea(string html, string id) =>
        new HtmlParser().ParseDocument(html).QuerySelector($"textarea#{id}")?.TextContent ?? string.Empty;
}

/// <summary>The proof of work under pressure: more accepted submissions than normal make the next forms cost more.</summary>
public sealed class IntakePressureTests : IClassFixture<PressuredIntakeAppFactory>
{
    private readonly PressuredIntakeAppFactory _factory;

    public IntakePressureTests(PressuredIntakeAppFactory factory) => _factory = factory;

    [Fact]
    public async Task Past_the_normal_load_forms_cost_more_an_older_proof_is_renewed_and_one_without_an_answer_waits()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        var early = await PublicForm.LoadAsync(client, "/help");
        early.Solve().With("Form.Account", "I opened this page before the others came");
        var atRest = early.Bits;

        // Five accepted against one normal: the level rises by three bits (log2 5, rounded up).
        for (var i = 0; i < 5; i++)
        {
            var form = await PublicForm.LoadAsync(client, "/help");
            using var accepted = await form.Solve().With("Form.Account", $"Submission number {i} of a burst").PostAsync(client);
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        var later = await PublicForm.LoadAsync(client, "/help");
        Assert.Equal(atRest + 3, later.Bits);

        using var outdated = await early.PostAsync(client);
        var outdatedHtml = await outdated.Content.ReadAsStringAsync();
        var renewed = PublicForm.FromHtml(outdatedHtml, "intake-form", "/help");
        Assert.Equal(HttpStatusCode.BadRequest, outdated.StatusCode);
        Assert.Contains("It will be sent by itself when it is ready", outdatedHtml, StringComparison.Ordinal);
        Assert.Contains("data-pow-send", outdatedHtml, StringComparison.Ordinal);
        Assert.Equal(atRest + 3, renewed.Bits);
        Assert.Equal("I opened this page before the others came", IntakeProtectionTests.Textarea(outdatedHtml, "account"));

        var withoutAnswer = await PublicForm.LoadAsync(client, "/help");
        using var busy = await withoutAnswer.With("Form.Account", "No JavaScript on this phone").PostAsync(client);
        var busyHtml = await busy.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, busy.StatusCode);
        Assert.Contains("Many messages are arriving at the moment", busyHtml, StringComparison.Ordinal);
        Assert.Equal("No JavaScript on this phone", IntakeProtectionTests.Textarea(busyHtml, "account"));

        using var sent = await renewed.Solve().With("Form.Account", "I opened this page before the others came").PostAsync(client);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
    }
}

/// <summary>Per-address limits on form posts, with the friendly "too many attempts" page.</summary>
public sealed class IntakeRateLimitTests : IClassFixture<StrictIntakeAppFactory>
{
    private readonly StrictIntakeAppFactory _factory;

    public IntakeRateLimitTests(StrictIntakeAppFactory factory) => _factory = factory;

    [Fact]
    public async Task Posts_beyond_the_limit_get_429_with_a_plain_page_and_a_retry_time()
    {
        using var client = _factory.CreatePublicClient();
        for (var i = 0; i < StrictIntakeAppFactory.Posts; i++)
        {
            var form = await PublicForm.LoadAsync(client, "/help/status", "status-form");
            using var allowed = await form.Solve().With("Check.Code", "AAAA-BBBB-CCCC").With("Check.Passphrase", "x").PostAsync(client);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
        }

        var last = await PublicForm.LoadAsync(client, "/help/status", "status-form");
        using var refused = await last.Solve().With("Check.Code", "AAAA-BBBB-CCCC").With("Check.Passphrase", "x").PostAsync(client);
        var html = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null, "Retry-After tells when to try again");
        Assert.Contains("Too many attempts", html, StringComparison.Ordinal);
    }
}
