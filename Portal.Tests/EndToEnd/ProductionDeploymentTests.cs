using System.Net;
using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// The published Release build in Production behind a real nginx, as deploy/ describes it: the first Administrator
/// created from the console enrols through the one-time link and signs in over HTTPS with a second factor, pages and
/// circuits work through the proxy, and the rate limits and the audit see each client's own address, never the proxy's
/// or one a client made up.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class ProductionDeploymentTests
{
    private const string Password = "a-long-production-passphrase-7";
    private readonly ProductionFixture _fixture;

    public ProductionDeploymentTests(ProductionFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task The_first_administrator_made_at_the_console_enrols_through_the_link_and_signs_in_through_nginx_with_a_second_factor()
    {
        const string email = "first.admin@example.org";
        var created = await PortalCli.RunPublishedAsync(_fixture.Published, _fixture.EnvironmentFile, ["admin", "create", "--email", email, "--name", "First Administrator"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("", created.Error.Trim());
        var link = PortalCli.LinkIn(created);
        Assert.StartsWith(_fixture.PublicBaseUrl + "/account/enrol#", link, StringComparison.Ordinal);
        var secret = link[(link.IndexOf('#', StringComparison.Ordinal) + 1)..].Split('.')[1];

        // Enrolment: password, then the authenticator app, which signs the person in.
        var page = await _fixture.NewPageAsync();
        await page.GotoAsync(link);
        await page.GetByTestId("new-password").FillAsync(Password);
        await page.GetByTestId("confirm-password").FillAsync(Password);
        await page.GetByTestId("enrol-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("setup-key")).ToBeVisibleAsync();
        var account = new TestStaffUser(email, email, Password)
        {
            AuthenticatorKey = (await page.GetByTestId("setup-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(),
        };
        await page.GetByTestId("setup-code").FillAsync(StaffAccounts.NextCode(account));
        await page.GetByTestId("setup-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("setup-done")).ToBeVisibleAsync();
        await page.Context.CloseAsync();

        // The link works once.
        var again = await _fixture.NewPageAsync();
        await again.GotoAsync(link);
        await again.GetByTestId("new-password").FillAsync(Password);
        await again.GetByTestId("confirm-password").FillAsync(Password);
        await again.GetByTestId("enrol-submit").ClickAsync();
        await Assertions.Expect(again.GetByTestId("enrol-errors")).ToBeVisibleAsync();
        await again.Context.CloseAsync();

        // A later sign-in: password and authenticator code over HTTPS through nginx, then the interactive portal, whose
        // circuit (the /_blazor WebSocket) runs through the proxy too.
        var signIn = await _fixture.NewPageAsync();
        await signIn.GotoAsync("/account/login");
        await signIn.GetByTestId("login-user-name").FillAsync(email);
        await signIn.GetByTestId("login-password").FillAsync(Password);
        await signIn.GetByTestId("login-submit").ClickAsync();
        await signIn.GetByTestId("two-factor-code").FillAsync(StaffAccounts.NextCode(account));
        await signIn.GetByTestId("two-factor-submit").ClickAsync();
        await signIn.WaitForURLAsync(_fixture.PublicBaseUrl + "/");
        await signIn.WaitForCircuitAsync();
        await signIn.GetByTestId("nav-toggle").ClickAsync();
        await signIn.GetByTestId("user-menu").Locator("button").ClickAsync();
        await Assertions.Expect(signIn.GetByTestId("user-display-name")).ToHaveTextAsync("First Administrator");

        // Behind the proxy the cookies are the HTTPS ones: Secure, and the session's out of scripts' reach.
        var cookies = await signIn.Context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == ".Portal.Session" && c.HttpOnly);
        Assert.All(cookies, c => Assert.True(c.Secure, c.Name + " is not Secure"));
        await signIn.Context.CloseAsync();

        var audit = await _fixture.AuditAsync();
        var signedIn = audit.Where(e => e.UserName == email && e.Action == "SignedIn").Select(e => e.Detail).ToList();
        Assert.Equal(["authenticator enrolment", "authenticator code"], signedIn);
        Assert.All(audit.Where(e => e.UserName == email), e => Assert.Equal("127.0.0.1", e.IpAddress)); // password set, enrolled, signed in
        Assert.DoesNotContain(audit, e => e.IpAddress == ProductionFixture.ProxyAddress);
        Assert.Contains(audit, e => e.Action == "Created" && e.UserName == "console:" + Environment.UserName && e.IpAddress == "console" && e.Role == "Operator");

        // The link's secret travelled after '#': neither nginx nor the portal ever saw it.
        Assert.DoesNotContain(secret, await File.ReadAllTextAsync(Path.Combine(_fixture.DataDirectory, "..", "nginx", "access.log")), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, _fixture.Portal.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, _fixture.Portal.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(ProductionFixture.KeyRingPassword, _fixture.Portal.Output + created.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_visitor_behind_nginx_has_limits_of_their_own_and_a_made_up_forwarded_address_changes_nothing()
    {
        using var first = _fixture.ClientFrom("127.0.0.2");
        using var second = _fixture.ClientFrom("127.0.0.4");

        // Two public posts per address and window: the first visitor's third is refused, the second visitor is not,
        // although nginx brings both from the same address.
        Assert.Equal(HttpStatusCode.Redirect, await SubmitHelpAsync(first));
        Assert.Equal(HttpStatusCode.Redirect, await SubmitHelpAsync(first));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SubmitHelpAsync(first));
        Assert.Equal(HttpStatusCode.Redirect, await SubmitHelpAsync(second));

        // Through nginx the page is HTTPS to the portal: HSTS is sent.
        using (var login = await first.GetAsync(new Uri("/account/login", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.True(login.Headers.Contains("Strict-Transport-Security"), "no HSTS through the proxy");
        }

        // A forwarded address written by the client: nginx replaces it with the client's real one.
        var before = (await _fixture.AuditAsync()).LastOrDefault().Id;
        await FailSignInAsync(second, forged: "203.0.113.9");
        var throughProxy = (await _fixture.AuditAsync()).Where(e => e.Id > before && e.Action == "SignInFailed").ToList();
        Assert.Equal("127.0.0.4", Assert.Single(throughProxy).IpAddress);

        // Straight to the portal's own HTTPS (a certificate from configuration), from an address that is not the proxy:
        // the forged headers are ignored; the audit has the real address.
        using var direct = _fixture.ClientFrom("127.0.0.5", $"https://127.0.0.1:{_fixture.DirectHttpsPort}", _fixture.DirectHttpsPort);
        before = (await _fixture.AuditAsync()).Last().Id;
        await FailSignInAsync(direct, forged: "203.0.113.9");
        var straight = (await _fixture.AuditAsync()).Where(e => e.Id > before && e.Action == "SignInFailed").ToList();
        Assert.Equal("127.0.0.5", Assert.Single(straight).IpAddress);

        // And plain HTTP straight to the portal stays plain HTTP whatever the headers claim: refused with an explanation.
        using var plain = _fixture.ClientFrom("127.0.0.5", $"http://127.0.0.1:{_fixture.PortalPort}", _fixture.PortalPort);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var refused = await plain.SendAsync(request);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, refused.StatusCode);
        Assert.Contains("HTTPS", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await _fixture.AuditAsync(), e => e.IpAddress == "203.0.113.9" || e.IpAddress == ProductionFixture.ProxyAddress);
    }

    [Fact]
    public async Task The_shipped_unit_passes_systemd_analyze_and_plain_http_to_nginx_is_sent_to_https()
    {
        var verify = await ProcessRun.RunAsync("systemd-analyze", ["verify", DeployFiles.Unit]);
        Assert.True(verify.ExitCode == 0 && verify.Error.Trim().Length == 0 && verify.Output.Trim().Length == 0, verify.ToString());

        using var plain = _fixture.ClientFrom("127.0.0.2", $"http://{ProductionFixture.Host}:{_fixture.Nginx.PlainPort}", _fixture.Nginx.PlainPort);
        using var response = await plain.GetAsync(new Uri("/account/login?x=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal($"https://{ProductionFixture.Host}/account/login?x=1", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task A_backup_encrypted_to_the_key_ring_certificate_restores_with_that_certificate_and_no_other()
    {
        using var work = new TempDirectory("portal-production-backup");
        var backup = Path.Combine(work.Path, "nightly");
        var created = await PortalCli.RunPublishedAsync(_fixture.Published, _fixture.EnvironmentFile, ["admin", "create", "--email", "kept.admin@example.org", "--name", "Kept Administrator"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        var taken = await PortalCli.RunPublishedAsync(_fixture.Published, _fixture.EnvironmentFile, ["backup", "--to", backup, "--certificate"]);
        Assert.True(taken.ExitCode == 0, taken.ToString());
        Assert.Contains("Encrypted (certificate).", taken.Output, StringComparison.Ordinal);
        Assert.All(Directory.EnumerateFiles(backup).Where(f => Path.GetFileName(f) != "manifest.json"), f => Assert.EndsWith(".enc", f, StringComparison.Ordinal));

        // On a server configured with another certificate: refused, naming both, and nothing written.
        const string otherPassword = "another-key-ring-password";
        var otherCertificate = await OpenSsl.PfxAsync(work.Path, "other-keyring", otherPassword);
        var elsewhere = Directory.CreateDirectory(Path.Combine(work.Path, "elsewhere")).FullName;
        var refused = await PortalCli.RunPublishedAsync(_fixture.Published, _fixture.EnvironmentFile, ["restore", "--from", backup], new Dictionary<string, string>
        {
            ["Portal__DataDirectory"] = elsewhere,
            ["Portal__DataProtection__CertificatePath"] = otherCertificate,
            ["Portal__DataProtection__CertificatePassword"] = otherPassword,
        });
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("was encrypted to the certificate", refused.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));

        // Over the live folder: refused.
        var overLive = await PortalCli.RunPublishedAsync(_fixture.Published, _fixture.EnvironmentFile, ["restore", "--from", backup]);
        Assert.Equal(2, overLive.ExitCode);
        Assert.Contains("is not empty", overLive.Error, StringComparison.Ordinal);

        // With the key-ring certificate, into an empty folder: the same Administrators as the live installation.
        var restoredFolder = Directory.CreateDirectory(Path.Combine(work.Path, "restored")).FullName;
        var restoredData = new Dictionary<string, string> { ["Portal__DataDirectory"] = restoredFolder };
        var restored = await PortalCli.RunPublishedAsync(_fixture.Published, _fixture.EnvironmentFile, ["restore", "--from", backup], restoredData);
        Assert.True(restored.ExitCode == 0, restored.ToString());
        var live = await PortalCli.RunPublishedAsync(_fixture.Published, _fixture.EnvironmentFile, ["admin", "list"]);
        var fromBackup = await PortalCli.RunPublishedAsync(_fixture.Published, _fixture.EnvironmentFile, ["admin", "list"], restoredData);
        Assert.True(fromBackup.ExitCode == 0, fromBackup.ToString());
        Assert.Contains("kept.admin@example.org\tKept Administrator", live.Output, StringComparison.Ordinal);
        Assert.Equal(live.Output, fromBackup.Output);
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(restoredFolder, "keys")), f => f.EndsWith(".xml", StringComparison.Ordinal));
    }

    private static async Task<HttpStatusCode> SubmitHelpAsync(HttpClient client)
    {
        var form = await PublicForm.LoadAsync(client, "/help");
        form.Solve()
            .With("Form.Account", "I need to see a doctor.")
            .With("Form.Medical", "True")
            .With("Form.Country", "CF")
            .With("Form.ChildBorn", "No");
        using var posted = await form.PostAsync(client);
        return posted.StatusCode;
    }

    private static async Task FailSignInAsync(HttpClient client, string forged)
    {
        var page = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = StaffAccounts.AntiforgeryToken(page),
            ["_handler"] = "login",
            ["Input.UserName"] = "nobody@example.org",
            ["Input.Password"] = "not the password at all",
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login") { Content = content };
        request.Headers.Add("X-Forwarded-For", forged);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
