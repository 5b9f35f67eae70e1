using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Portal.Benchmarks.Hosting;

/// <summary>
/// A slow link in front of a local server: a TCP relay that holds every chunk for half the round trip in its direction and
/// lets each direction carry only its rate, shared by all connections as one real link would be. Unlike DevTools'
/// emulation, it delays WebSocket frames like everything else, and it counts the bytes as they go over the wire (TLS
/// records, compressed frames).
/// </summary>
public sealed class LinkProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly Direction _down;
    private readonly Direction _up;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public LinkProxy(IPEndPoint target, int downKbps, int upKbps, int roundTripMs)
    {
        _target = target;
        var oneWay = TimeSpan.FromMilliseconds(roundTripMs / 2.0);
        _down = new Direction(downKbps, oneWay);
        _up = new Direction(upKbps, oneWay);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>TCP connections the browser opened through the relay: each costs the link its handshakes.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private int _connections;

    /// <summary>Bytes the server sent to the client, as they crossed the link.</summary>
    public long BytesDown => Interlocked.Read(ref _down.Bytes);

    /// <summary>Bytes the client sent to the server, as they crossed the link.</summary>
    public long BytesUp => Interlocked.Read(ref _up.Bytes);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                connections.Add(RelayAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(connections);
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            client.NoDelay = true;
            server.NoDelay = true;
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var pumps = new[] { _up.PumpAsync(client.GetStream(), server.GetStream(), stop.Token), _down.PumpAsync(server.GetStream(), client.GetStream(), stop.Token) };
                // One side closing ends the connection, as a TCP reset on a real link would.
                await Task.WhenAny(pumps);
                await stop.CancelAsync();
                await Task.WhenAll(pumps);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
            {
                // The browser or the server went away.
            }
        }
    }

    /// <summary>One direction of the link: when it is next free to send, and what it has carried.</summary>
    private sealed class Direction(int kbps, TimeSpan oneWay)
    {
        private readonly object _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _freeAt;
        public long Bytes;

        public async Task PumpAsync(Stream from, Stream to, CancellationToken cancellationToken)
        {
            var queue = Channel.CreateUnbounded<(TimeSpan Due, byte[] Chunk)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var writing = WriteAsync(queue.Reader, to, cancellationToken);
            try
            {
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    Interlocked.Add(ref Bytes, read);
                    queue.Writer.TryWrite((Schedule(read), buffer[..read]));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The connection ended.
            }
            finally
            {
                queue.Writer.TryComplete();
            }

            await writing;
        }

        /// <summary>The chunk waits for the link to be free, takes its size at the rate, then travels one way.</summary>
        private TimeSpan Schedule(int bytes)
        {
            lock (_gate)
            {
                var start = _freeAt > _clock.Elapsed ? _freeAt : _clock.Elapsed;
                _freeAt = start + TimeSpan.FromMilliseconds(bytes * 8.0 / kbps);
                return _freeAt + oneWay;
            }
        }

        private async Task WriteAsync(ChannelReader<(TimeSpan Due, byte[] Chunk)> chunks, Stream to, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var (due, chunk) in chunks.ReadAllAsync(cancellationToken))
                {
                    var wait = due - _clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellationToken);
                    }

                    await to.WriteAsync(chunk, cancellationToken);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The connection ended.
            }
        }
    }
}
