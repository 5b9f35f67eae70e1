using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>The circuit hub answers pages of the portal's own origins (and configured ones) only, even with a valid session cookie.</summary>
public sealed class SecurityCircuitOriginTests(SecurityCircuitOriginTests.Factory factory) : IClassFixture<SecurityCircuitOriginTests.Factory>
{
    public const string OtherNode = "https://node2.portal.example.org";

    public sealed class Factory : SecurityAppFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Portal:Security:AllowedOrigins:0"] = OtherNode,
        };
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://portal.example.org")]
    [InlineData("https://PORTAL.example.org:443")]
    [InlineData(OtherNode)]
    public async Task The_portal_s_own_pages_negotiate_a_circuit(string? origin)
    {
        var coordinator = await StaffAccounts.CreateAsync(factory.Services, Roles.Coordinator);
        var client = await factory.SignInAsync(coordinator);

        using var response = await NegotiateAsync(client, origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("connectionToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example.org")]
    [InlineData("https://sibling.example.org")]
    [InlineData("http://portal.example.org")]
    [InlineData("https://portal.example.org:8443")]
    [InlineData("null")]
    public async Task A_page_of_another_origin_is_refused_and_the_refusal_audited(string origin)
    {
        var coordinator = await StaffAccounts.CreateAsync(factory.Services, Roles.Coordinator);
        var client = await factory.SignInAsync(coordinator);

        using var response = await NegotiateAsync(client, origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var refusal = await db.Set<AuditEntry>().Where(e => e.UserId == coordinator.Id && e.Action == AuditAction.AccessDenied).SingleAsync();
        Assert.Equal("Circuit", refusal.RecordType);
        Assert.Contains(origin, refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_WebSocket_from_another_origin_is_refused_before_the_hub()
    {
        var coordinator = await StaffAccounts.CreateAsync(factory.Services, Roles.Coordinator);
        var (client, cookie) = await factory.SignInWithCookieAsync(coordinator);
        using var negotiated = await NegotiateAsync(client, "https://portal.example.org");
        var token = System.Text.Json.JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();
        var sockets = factory.Server.CreateWebSocketClient();
        sockets.ConfigureRequest = request =>
        {
            request.Headers.Origin = "https://evil.example.org";
            request.Headers.Cookie = cookie;
        };

        var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
            sockets.ConnectAsync(new Uri($"wss://portal.example.org/_blazor?id={Uri.EscapeDataString(token!)}"), CancellationToken.None));

        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> NegotiateAsync(HttpClient client, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        request.Content = new StringContent("");
        return await client.SendAsync(request);
    }
}
