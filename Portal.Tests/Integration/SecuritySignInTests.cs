using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Portal.Domain.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

public sealed partial class SecuritySignInTests : IClassFixture<SecurityAppFactory>
{
    private readonly SecurityAppFactory _factory;

    public SecuritySignInTests(SecurityAppFactory factory) => _factory = factory;

    private IServiceProvider Services => _factory.Services;

    [Theory]
    [InlineData("/")]
    [InlineData("/admin/users")]
    [InlineData("/cases/CD-2026-0001")]
    [InlineData("/_blazor/negotiate")]
    public async Task Anonymous_requests_are_sent_to_sign_in(string path)
    {
        using var client = _factory.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"{path} answered {response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.StartsWith("/account/login?returnUrl=", response.LocalLocation(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/health")]
    [InlineData("/app.css")]
    public async Task Sign_in_health_and_static_files_are_open(string path)
    {
        using var client = _factory.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Help_pages_and_the_language_switch_are_public_paths()
    {
        Assert.True(PublicPaths.IsPublic("/help"));
        Assert.True(PublicPaths.IsPublic("/help/status"));
        Assert.True(PublicPaths.IsPublic("/culture/set"));
        Assert.False(PublicPaths.IsPublic("/helpers"));
        Assert.False(PublicPaths.IsPublic("/"));
        Assert.False(PublicPaths.IsPublic("/cases"));
    }

    [Theory]
    [InlineData("same-origin", "br")]
    [InlineData("none", "br")]
    [InlineData("same-site", null)]
    [InlineData("cross-site", null)]
    [InlineData(null, null)]
    public async Task Pages_are_compressed_only_for_requests_no_other_site_can_have_made(string? fetchSite, string? encoding)
    {
        var user = await StaffAccounts.CreateAsync(Services, Roles.Coordinator);
        using var signedIn = await _factory.SignInAsync(user);
        using var anonymous = _factory.CreateBrowserClient();

        foreach (var (client, path) in new[] { (signedIn, "/queues/all"), (anonymous, "/account/login") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Add("Accept-Encoding", "br, gzip");
            if (fetchSite is not null)
            {
                request.Headers.Add("Sec-Fetch-Site", fetchSite);
            }

            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(encoding, response.Content.Headers.ContentEncoding.SingleOrDefault());
            // Either way the page is whole: decoded, it is the same HTML.
            var received = await response.Content.ReadAsByteArrayAsync();
            var body = System.Text.Encoding.UTF8.GetString(encoding is "br" ? Unbrotli(received) : received);
            Assert.Contains("</html>", body, StringComparison.Ordinal);
        }
    }

    private static byte[] Unbrotli(byte[] compressed)
    {
        using var input = new MemoryStream(compressed);
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        brotli.CopyTo(output);
        return output.ToArray();
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers_and_signed_in_pages_are_not_stored()
    {
        var user = await StaffAccounts.CreateAsync(Services, Roles.Coordinator);
        using var client = await _factory.SignInAsync(user);

        foreach (var path in new[] { "/", "/account/login", "/app.css", "/no-such-page" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var csp = Header(response, "Content-Security-Policy");
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("'unsafe-inline'", csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
            Assert.StartsWith("max-age=31536000", Header(response, "Strict-Transport-Security"), StringComparison.Ordinal);
            Assert.False(response.Headers.Contains("Server"), "the server does not name itself");
        }

        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal("no-store", Header(home, "Cache-Control"));
        var html = await home.Content.ReadAsStringAsync();
        var nonce = NonceInPolicy().Match(Header(home, "Content-Security-Policy")).Groups[1].Value;
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\"", html, StringComparison.Ordinal);

        using var stylesheet = await client.GetAsync(new Uri("/app.css", UriKind.Relative));
        Assert.NotEqual("no-store", Header(stylesheet, "Cache-Control")); // static files are the same for everyone

        using var anonymous = _factory.CreateBrowserClient();
        using var login = await anonymous.GetAsync(new Uri("/account/login", UriKind.Relative));
        Assert.Equal("no-store", Header(login, "Cache-Control"));
    }

    [Fact]
    public async Task An_account_without_an_authenticator_enrols_with_a_qr_code_then_signs_in_with_a_code_or_a_recovery_code()
    {
        var user = await StaffAccounts.CreateAsync(Services, Roles.Advocate, ["CD"], enrolled: false);
        using var client = _factory.CreateBrowserClient();

        using var password = await client.SubmitPasswordAsync(user.UserName, user.Password);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith(AccountPaths.TwoFactorSetup, password.LocalLocation(), StringComparison.Ordinal);
        using (var beforeEnrolment = await client.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Redirect, beforeEnrolment.StatusCode); // the password alone gives no access
        }

        var setup = await client.GetStringAsync(new Uri(AccountPaths.TwoFactorSetup, UriKind.Relative));
        Assert.Contains("src=\"data:image/png;base64,", setup, StringComparison.Ordinal);
        user.AuthenticatorKey = SetupKey().Match(setup).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

        using var wrong = await client.PostFormAsync(AccountPaths.TwoFactorSetup, setup, new() { ["Input.Code"] = "000000" });
        Assert.Contains("data-testid=\"setup-error\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        setup = await client.GetStringAsync(new Uri(AccountPaths.TwoFactorSetup, UriKind.Relative));
        using var enrolled = await client.PostFormAsync(AccountPaths.TwoFactorSetup, setup, new() { ["Input.Code"] = StaffAccounts.NextCode(user) });
        var done = await enrolled.Content.ReadAsStringAsync();
        var recoveryCodes = RecoveryCode().Matches(done).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, recoveryCodes.Count);
        using (var home = await client.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        }

        // Next time: password, then a code from the app.
        using var again = await _factory.SignInAsync(user);
        using (var home = await again.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        }

        // Lost phone: password, then a recovery code, which works once only.
        using var recovery = _factory.CreateBrowserClient();
        using var step1 = await recovery.SubmitPasswordAsync(user.UserName, user.Password);
        Assert.StartsWith(AccountPaths.LoginTwoFactor, step1.LocalLocation(), StringComparison.Ordinal);
        using var step2 = await recovery.SubmitFormAsync(AccountPaths.LoginRecoveryCode, new() { ["Input.Code"] = recoveryCodes[0] });
        Assert.Equal(HttpStatusCode.Redirect, step2.StatusCode);
        Assert.Equal("/", step2.LocalLocation());

        using var reuse = _factory.CreateBrowserClient();
        using var reuse1 = await reuse.SubmitPasswordAsync(user.UserName, user.Password);
        using var reuse2 = await reuse.SubmitFormAsync(AccountPaths.LoginRecoveryCode, new() { ["Input.Code"] = recoveryCodes[0] });
        Assert.Equal(HttpStatusCode.OK, reuse2.StatusCode);
        Assert.Contains("data-testid=\"recovery-error\"", await reuse2.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_or_replayed_authenticator_code_is_refused()
    {
        var user = await StaffAccounts.CreateAsync(Services, Roles.Coordinator);
        using var first = await _factory.SignInAsync(user);
        var usedCode = new Totp(Base32Encoding.ToBytes(user.AuthenticatorKey)).ComputeTotp(DateTime.UtcNow);

        using var client = _factory.CreateBrowserClient();
        using var password = await client.SubmitPasswordAsync(user.UserName, user.Password);
        Assert.StartsWith(AccountPaths.LoginTwoFactor, password.LocalLocation(), StringComparison.Ordinal);
        using var wrong = await client.SubmitFormAsync(AccountPaths.LoginTwoFactor, new() { ["Input.Code"] = "123456" == usedCode ? "654321" : "123456" });
        using var replayed = await client.SubmitFormAsync(AccountPaths.LoginTwoFactor, new() { ["Input.Code"] = usedCode });

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("data-testid=\"two-factor-error\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode); // the code was right a moment ago, but it has been used
        Assert.Contains("data-testid=\"two-factor-error\"", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_that_address_out_of_the_account_and_the_right_one_then_fails_the_same_way()
    {
        var user = await StaffAccounts.CreateAsync(Services, Roles.Advocate, ["SS"]);
        using var client = _factory.CreateBrowserClient();

        for (var i = 0; i < 5; i++)
        {
            using var failed = await client.SubmitPasswordAsync(user.UserName, "not-the-password-" + i);
            Assert.Contains("data-testid=\"login-error\"", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var right = await client.SubmitPasswordAsync(user.UserName, user.Password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        Assert.False(await users.IsLockedOutAsync((await users.FindByIdAsync(user.Id))!)); // the address is, not the account
        Assert.Contains(await AuditFor(user.Id), e => e.Action == AuditAction.LockedOut);
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in()
    {
        var user = await StaffAccounts.CreateAsync(Services, Roles.Coordinator);
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var entity = (await users.FindByIdAsync(user.Id))!;
            entity.IsDisabled = true;
            await users.UpdateAsync(entity);
        }

        using var client = _factory.CreateBrowserClient();
        using var response = await client.SubmitPasswordAsync(user.UserName, user.Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_copied_cookie_no_longer_works()
    {
        var user = await StaffAccounts.CreateAsync(Services, Roles.Coordinator);
        var (client, sessionCookie) = await _factory.SignInWithCookieAsync(user);
        using var _ = client;
        using var copied = _factory.CreateClient(new() { BaseAddress = new Uri("https://portal.example.org"), AllowAutoRedirect = false, HandleCookies = false });
        Assert.Equal(HttpStatusCode.OK, (await SendWithCookieAsync(copied, sessionCookie)).StatusCode);

        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        using var signOut = await client.PostFormAsync(AccountPaths.Logout, home, [], handler: "");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.StartsWith("/account/login?signedOut=true", signOut.LocalLocation(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await SendWithCookieAsync(copied, sessionCookie)).StatusCode);
        Assert.Contains(await AuditFor(user.Id), e => e.Action == AuditAction.SignedOut);
    }

    [Fact]
    public async Task Sign_out_without_the_antiforgery_token_is_refused()
    {
        var user = await StaffAccounts.CreateAsync(Services, Roles.Coordinator);
        using var client = await _factory.SignInAsync(user);

        using var content = new FormUrlEncodedContent([]);
        using var response = await client.PostAsync(new Uri(AccountPaths.Logout, UriKind.Relative), content);
        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task Changing_the_password_applies_the_password_rules()
    {
        var user = await StaffAccounts.CreateAsync(Services, Roles.Coordinator);
        using var client = await _factory.SignInAsync(user);

        async Task<string> Change(string newPassword)
        {
            using var response = await client.SubmitFormAsync("/account/change-password", new()
            {
                ["Input.CurrentPassword"] = user.Password,
                ["Input.NewPassword"] = newPassword,
                ["Input.ConfirmPassword"] = newPassword,
            });
            return await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("data-testid=\"password-errors\"", await Change("Password1234"), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"password-errors\"", await Change("short-11chr"), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"password-changed\"", await Change("lantern over the quiet harbour"), StringComparison.Ordinal);
        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode); // this session continues; others have ended
    }

    [Fact]
    public async Task Changing_the_password_ends_the_users_other_sessions_at_once_and_this_one_carries_on()
    {
        var user = await StaffAccounts.CreateAsync(Services, Roles.Coordinator);
        using var elsewhere = await _factory.SignInAsync(user);
        using var client = await _factory.SignInAsync(user);
        var elsewhereSession = (await SessionsOfAsync(user.Id)).First().Id;
        var announced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Services.GetRequiredService<Portal.Infrastructure.Live.InProcessLiveEvents>().Subscribe(
            e => e.Kind == Portal.Infrastructure.Live.LiveEventKind.SessionEnded && e.RecipientUserId == user.Id,
            _ =>
            {
                announced.TrySetResult();
                return Task.CompletedTask;
            });
        var elsewhereScope = new UserScope(user.Id, user.UserName, "Test", [Roles.Coordinator], [], elsewhereSession);
        Assert.True(await Services.GetRequiredService<SessionStore>().IsOpenAsync(elsewhereScope, userAction: false)); // a reusable answer

        using (var changed = await client.SubmitFormAsync("/account/change-password", new()
        {
            ["Input.CurrentPassword"] = user.Password,
            ["Input.NewPassword"] = "lantern over the quiet harbour",
            ["Input.ConfirmPassword"] = "lantern over the quiet harbour",
        }))
        {
            Assert.Contains("data-testid=\"password-changed\"", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await announced.Task;
        var sessions = await SessionsOfAsync(user.Id);
        Assert.Equal(SessionEndReason.AccountChanged, sessions.Single(s => s.Id == elsewhereSession).EndReason);
        Assert.Single(sessions, s => s.EndedUtc is null); // the new session of the browser that made the change
        Assert.False(await Services.GetRequiredService<SessionStore>().IsOpenAsync(elsewhereScope, userAction: false));
        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task Errors_show_a_generic_page_without_any_detail()
    {
        using var client = await _factory.SignInAsync(await StaffAccounts.CreateAsync(Services, Roles.Coordinator));

        using var response = await client.GetAsync(new Uri("/test/throw", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Something went wrong", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane Doe", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_is_audited_with_the_user_and_role_and_failures_of_unknown_names_keep_no_name()
    {
        var user = await StaffAccounts.CreateAsync(Services, Roles.Coordinator);
        using var client = await _factory.SignInAsync(user);
        using var stranger = _factory.CreateBrowserClient();
        using var failed = await stranger.SubmitPasswordAsync("typo-or-password-" + Guid.NewGuid().ToString("N"), "whatever-it-was");

        var entries = await AuditFor(user.Id);
        var signedIn = Assert.Single(entries, e => e.Action == AuditAction.SignedIn);
        Assert.Equal(user.UserName, signedIn.UserName);
        Assert.Equal(Roles.Coordinator, signedIn.Role);
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var anonymous = await db.Set<AuditEntry>().Where(e => e.Action == AuditAction.SignInFailed && e.UserId == null).ToListAsync();
        Assert.NotEmpty(anonymous);
        Assert.All(anonymous, e => Assert.Null(e.UserName));
    }

    private async Task<List<StaffSession>> SessionsOfAsync(string userId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return [.. (await db.Set<StaffSession>().Where(s => s.UserId == userId).ToListAsync()).OrderBy(s => s.StartedUtc)];
    }

    private async Task<List<AuditEntry>> AuditFor(string userId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<AuditEntry>().Where(e => e.UserId == userId || e.RecordId == userId).OrderBy(e => e.Id).ToListAsync();
    }

    private static async Task<HttpResponseMessage> SendWithCookieAsync(HttpClient client, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri} has no {name} header");

    [GeneratedRegex("nonce-([^']+)'")]
    private static partial Regex NonceInPolicy();

    [GeneratedRegex("data-testid=\"setup-key\">([^<]+)<")]
    private static partial Regex SetupKey();

    [GeneratedRegex("<li>([^<]+)</li>")]
    private static partial Regex RecoveryCode();
}
