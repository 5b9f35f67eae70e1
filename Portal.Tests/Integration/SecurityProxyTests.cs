using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Infrastructure.Data;
using Portal.Startup;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>
/// Forwarded headers count only from the configured proxy: behind it, the sign-in limits and the audit see each
/// client's address; from anyone else the headers change nothing. (The real nginx: ProductionDeploymentTests.)
/// </summary>
public sealed class SecurityProxyTests : IClassFixture<SecurityProxyTests.ProxyAppFactory>
{
    private const string Proxy = "10.0.0.10";
    private readonly ProxyAppFactory _factory;

    public SecurityProxyTests(ProxyAppFactory factory) => _factory = factory;

    [Fact]
    public async Task Behind_the_proxy_each_client_has_its_own_sign_in_limit_and_its_own_address_in_the_audit()
    {
        using var client = _factory.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.OK, await FailSignInAsync(client, Proxy, "198.51.100.1", "one@example.org"));
        Assert.Equal(HttpStatusCode.OK, await FailSignInAsync(client, Proxy, "198.51.100.1", "two@example.org"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await FailSignInAsync(client, Proxy, "198.51.100.1", "three@example.org"));

        // Another client behind the same proxy is not in the first one's bucket.
        Assert.Equal(HttpStatusCode.OK, await FailSignInAsync(client, Proxy, "198.51.100.2", "four@example.org"));

        var addresses = await FailedSignInAddressesAsync();
        Assert.Equal(["198.51.100.1", "198.51.100.1", "198.51.100.2"], addresses.TakeLast(3));
    }

    [Fact]
    public async Task A_sign_in_refused_for_too_many_attempts_is_audited_with_the_client_s_address()
    {
        using var client = _factory.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.OK, await FailSignInAsync(client, Proxy, "198.51.100.3", "seven@example.org"));
        Assert.Equal(HttpStatusCode.OK, await FailSignInAsync(client, Proxy, "198.51.100.3", "eight@example.org"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await FailSignInAsync(client, Proxy, "198.51.100.3", "nine@example.org"));

        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var refused = await db.Set<AuditEntry>().Where(e => e.Action == AuditAction.SignInFailed).OrderBy(e => e.Id).LastAsync();
        Assert.Equal(("198.51.100.3", "too many attempts", null), (refused.IpAddress, refused.Detail, refused.UserName));
    }

    [Fact]
    public async Task Forwarded_headers_from_anyone_but_the_proxy_change_nothing()
    {
        using var client = _factory.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.OK, await FailSignInAsync(client, "192.0.2.50", "198.51.100.77", "five@example.org"));
        Assert.Equal("192.0.2.50", (await FailedSignInAddressesAsync()).Last());

        // Nor can they make a plain HTTP request pass for HTTPS.
        using var plain = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://portal.example.org"), AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.MisdirectedRequest, await GetAsync(plain, "192.0.2.50", "/account/login"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(plain, Proxy, "/account/login"));

        // /health stays answerable over plain HTTP for the proxy's and monitoring's checks.
        Assert.Equal(HttpStatusCode.OK, await GetAsync(plain, "192.0.2.50", "/health"));
    }

    [Fact]
    public async Task Without_a_configured_proxy_nobody_is_believed()
    {
        await using var factory = new SecurityAppFactory();
        using var client = factory.CreateBrowserClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.Add(PeerAddressFilter.Header, "127.0.0.1");
        request.Headers.Add("X-Forwarded-For", "198.51.100.99");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = StaffAccounts.AntiforgeryToken(page),
            ["_handler"] = "login",
            ["Input.UserName"] = "six@example.org",
            ["Input.Password"] = "wrong password, long enough",
        });
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login") { Content = content };
        post.Headers.Add(PeerAddressFilter.Header, "127.0.0.1");
        post.Headers.Add("X-Forwarded-For", "198.51.100.99");
        using var posted = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var last = await db.Set<AuditEntry>().Where(e => e.Action == AuditAction.SignInFailed).OrderBy(e => e.Id).LastAsync();
        Assert.Equal("127.0.0.1", last.IpAddress);
    }

    [Fact]
    public void Proxies_are_read_as_a_list_or_as_one_value_and_a_wrong_one_stops_the_start_with_its_name()
    {
        static ProxyOptions Read(params (string Key, string Value)[] settings) =>
            ProxyOptions.From(new ConfigurationBuilder()
                .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

        var list = Read(("Portal:Proxy:KnownProxies:0", "10.0.0.5"), ("Portal:Proxy:KnownProxies:1", "::1"), ("Portal:Proxy:KnownNetworks:0", "10.1.0.0/16"));
        Assert.Equal([IPAddress.Parse("10.0.0.5"), IPAddress.IPv6Loopback], list.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("10.1.0.0/16")], list.KnownNetworks);

        var one = Read(("Portal:Proxy:KnownProxies", "10.0.0.5, 10.0.0.6"));
        Assert.Equal([IPAddress.Parse("10.0.0.5"), IPAddress.Parse("10.0.0.6")], one.KnownProxies);

        Assert.False(Read().TrustsAnyProxy);
        var wrong = Assert.Throws<InvalidOperationException>(() => Read(("Portal:Proxy:KnownNetworks", "10.0.0.0/33")));
        Assert.Contains("Portal:Proxy:KnownNetworks holds '10.0.0.0/33'", wrong.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, string peer, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(PeerAddressFilter.Header, peer);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "198.51.100.50");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> FailSignInAsync(HttpClient client, string peer, string forwardedFor, string userName)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        get.Headers.Add(PeerAddressFilter.Header, peer);
        get.Headers.Add("X-Forwarded-For", forwardedFor);
        using var page = await client.SendAsync(get);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = StaffAccounts.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
            ["_handler"] = "login",
            ["Input.UserName"] = userName,
            ["Input.Password"] = "wrong password, long enough",
        });
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login") { Content = content };
        post.Headers.Add(PeerAddressFilter.Header, peer);
        post.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(post);
        return response.StatusCode;
    }

    private async Task<List<string?>> FailedSignInAddressesAsync()
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<AuditEntry>().Where(e => e.Action == AuditAction.SignInFailed).OrderBy(e => e.Id).Select(e => e.IpAddress).ToListAsync();
    }

    public sealed class ProxyAppFactory : SecurityAppFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Portal:Proxy:KnownProxies"] = Proxy,
            ["Portal:Security:LoginRateLimit:PerAddressPermitLimit"] = "2",
        };
    }
}
