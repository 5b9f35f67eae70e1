using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// deploy/nginx.conf in front of two stand-in nodes that answer with their name and the headers they received: each
/// signed-in browser stays on one node by its session cookie, the load spreads over the nodes, a stopped node's browsers
/// move to the other, and what reaches a node says who the client really is.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class NginxSiteTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = new("portal-nginx-site");
    private readonly List<WebApplication> _nodes = [];
    private NginxProcess _nginx = null!;
    private string _certificateHash = "";

    public async Task InitializeAsync()
    {
        var (certificate, key) = await OpenSsl.SelfSignedAsync(_folder.Path, ProductionFixture.Host);
        using (var pem = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(certificate))
        {
            _certificateHash = pem.GetCertHashString();
        }

        var addresses = new List<string>();
        foreach (var name in new[] { "node-a", "node-b" })
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            var node = builder.Build();
            node.Urls.Add($"http://127.0.0.1:{port}");
            node.Run(context => context.Response.WriteAsync(
                $"{name}|{context.Request.Headers["X-Forwarded-For"]}|{context.Request.Headers["X-Forwarded-Proto"]}|{context.Request.Host}|{context.Request.Headers["X-Forwarded-Host"]}"));
            await node.StartAsync();
            _nodes.Add(node);
            addresses.Add($"127.0.0.1:{port}");
        }

        _nginx = await NginxProcess.StartAsync(Path.Combine(_folder.Path, "nginx"), addresses, certificate, key);
    }

    [Fact]
    public async Task A_browser_stays_on_its_node_by_session_the_load_spreads_and_a_stopped_nodes_browsers_move()
    {
        using var client = ClientFrom("127.0.0.2");
        var nodeOfSession = new Dictionary<string, string>();
        for (var session = 0; session < 16; session++)
        {
            var seen = new HashSet<string>();
            for (var request = 0; request < 3; request++)
            {
                seen.Add((await GetAsync(client, $"session-{session}")).Node);
            }

            nodeOfSession[$"session-{session}"] = Assert.Single(seen);
        }

        Assert.Equal(2, nodeOfSession.Values.Distinct().Count()); // sixteen sessions from one address use both nodes

        // Before sign-in (no session cookie) a client stays on one node too, by its address.
        var anonymous = new HashSet<string>();
        for (var request = 0; request < 5; request++)
        {
            anonymous.Add((await GetAsync(client, null)).Node);
        }

        Assert.Single(anonymous);

        // What a node receives: nginx's view of the client, never what the client claimed; https; the host as typed.
        var answer = await GetAsync(client, "session-1", forged: "203.0.113.9");
        Assert.Equal("127.0.0.2", answer.ForwardedFor);
        Assert.Equal("https", answer.Proto);
        Assert.Equal($"{ProductionFixture.Host}:{_nginx.TlsPort}", answer.Host);
        Assert.Equal($"{ProductionFixture.Host}:{_nginx.TlsPort}", answer.ForwardedHost);

        // A node stops: its browsers are served by the other one.
        var stopped = _nodes[1];
        await stopped.StopAsync();
        var onStopped = nodeOfSession.First(s => s.Value == "node-b").Key;
        Assert.Equal("node-a", (await GetAsync(client, onStopped)).Node);
    }

    private async Task<(string Node, string ForwardedFor, string Proto, string Host, string ForwardedHost)> GetAsync(HttpClient client, string? session, string? forged = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/queues/new");
        if (session is not null)
        {
            request.Headers.Add("Cookie", $".Portal.Antiforgery=x; .Portal.Session={session}; .AspNetCore.Culture=c%3Den");
        }

        if (forged is not null)
        {
            request.Headers.Add("X-Forwarded-For", forged);
            request.Headers.Add("X-Forwarded-Host", "evil.example");
            request.Headers.Add("X-Forwarded-Proto", "http");
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var parts = (await response.Content.ReadAsStringAsync()).Split('|');
        return (parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    private HttpClient ClientFrom(string sourceAddress)
    {
        var port = _nginx.TlsPort;
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == _certificateHash },
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
                await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://{ProductionFixture.Host}:{port}") };
    }

    public async Task DisposeAsync()
    {
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _folder.Dispose();
    }
}
