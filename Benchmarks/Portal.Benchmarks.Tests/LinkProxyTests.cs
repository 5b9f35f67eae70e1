using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Portal.Benchmarks.Hosting;

namespace Portal.Benchmarks.Tests;

/// <summary>The slow-link relay: it holds each exchange for its round trip, carries every byte in order and counts them.</summary>
public sealed class LinkProxyTests
{
    [Fact]
    public async Task An_exchange_through_the_relay_takes_at_least_its_round_trip_and_every_byte_arrives_counted()
    {
        using var echo = new TcpListener(IPAddress.Loopback, 0);
        echo.Start();
        var echoing = EchoOnceAsync(echo);
        await using var link = new LinkProxy((IPEndPoint)echo.LocalEndpoint, downKbps: 80_000, upKbps: 40_000, roundTripMs: 300);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, link.Port);
        var stream = client.GetStream();
        var sent = Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7)).ToArray();
        var clock = Stopwatch.StartNew();
        await stream.WriteAsync(sent);
        var received = new byte[sent.Length];
        await stream.ReadExactlyAsync(received);
        var elapsed = clock.Elapsed;

        Assert.Equal(sent, received);
        // Half the round trip each way, plus the bytes at each direction's rate; a busy machine only adds to it.
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(300 + (sent.Length * 8.0 / 40_000) + (sent.Length * 8.0 / 80_000)), elapsed.ToString());
        Assert.Equal(sent.Length, link.BytesUp);
        Assert.Equal(sent.Length, link.BytesDown);
        client.Close();
        await echoing;
    }

    private static async Task EchoOnceAsync(TcpListener listener)
    {
        using var server = await listener.AcceptTcpClientAsync();
        var stream = server.GetStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read));
        }
    }
}
