using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Portal.Benchmarks.Driver;

/// <summary>A hub method the server called on the client ("JS.RenderBatch", "JS.BeginInvokeJS", ...).</summary>
public sealed record HubInvocation(string Target, object?[] Arguments, long ReceivedTimestamp);

/// <summary>
/// One SignalR connection to the Blazor hub at /_blazor, speaking what blazor.web.js speaks: negotiate
/// (version 1), a WebSocket, the JSON handshake for the "blazorpack" protocol (the MessagePack hub protocol,
/// version 2) and then varint-length-prefixed MessagePack messages. Keeps the connection alive with pings.
/// </summary>
public sealed class BlazorPackConnection : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private const int InvocationMessage = 1;
    private const int CompletionMessage = 3;
    private const int PingMessage = 6;
    private const int CloseMessage = 7;

    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<object?>> _pendingInvocations = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<HubInvocation, Task> _onInvocation;
    private long _nextInvocationId;
    private Task? _receiveLoop;
    private Task? _pingLoop;

    private BlazorPackConnection(ClientWebSocket socket, Func<HubInvocation, Task> onInvocation)
    {
        _socket = socket;
        _onInvocation = onInvocation;
    }

    /// <summary>Completes when the connection ends; faults with the server's close error, if any.</summary>
    public Task Closed => _closed.Task;

    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<BlazorPackConnection> ConnectAsync(
        Uri baseUri, HttpClient http, CookieContainer? cookies, Func<HubInvocation, Task> onInvocation, CancellationToken cancellationToken)
    {
        using var negotiateResponse = await http.PostAsync(new Uri(baseUri, "_blazor/negotiate?negotiateVersion=1"), content: null, cancellationToken);
        negotiateResponse.EnsureSuccessStatusCode();
        using var negotiation = JsonDocument.Parse(await negotiateResponse.Content.ReadAsStringAsync(cancellationToken));
        var token = negotiation.RootElement.TryGetProperty("connectionToken", out var t)
            ? t.GetString()
            : negotiation.RootElement.GetProperty("connectionId").GetString();

        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (cookies is not null)
        {
            socket.Options.Cookies = cookies;
        }

        var wsUri = new UriBuilder(new Uri(baseUri, "_blazor"))
        {
            Scheme = baseUri.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Query = "id=" + Uri.EscapeDataString(token!),
        }.Uri;
        try
        {
            await socket.ConnectAsync(wsUri, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        // Disposed in the finally block unless handed to the caller (CA2000 does not follow an awaited DisposeAsync there).
#pragma warning disable CA2000
        BlazorPackConnection? connection = new(socket, onInvocation);
#pragma warning restore CA2000
        try
        {
            await connection.HandshakeAsync(cancellationToken);
            var opened = connection;
            connection = null;
            return opened;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Calls a hub method and waits for its result (StartCircuit, ConnectCircuit).</summary>
    public async Task<object?> InvokeAsync(string target, object?[] arguments, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextInvocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingInvocations[id] = completion;
        await SendInvocationAsync(id, target, arguments, cancellationToken);
        using var registration = cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        return await completion.Task;
    }

    /// <summary>Calls a hub method without waiting for a result, as blazor.web.js does for most calls.</summary>
    public Task SendAsync(string target, object?[] arguments, CancellationToken cancellationToken = default) =>
        SendInvocationAsync(null, target, arguments, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone; nothing to close.
        }

        foreach (var loop in new[] { _receiveLoop, _pingLoop })
        {
            if (loop is not null)
            {
                try
                {
                    await loop.WaitAsync(TimeSpan.FromSeconds(2));
                }
                catch (Exception)
                {
                    // Loops end with the socket; their errors were reported through Closed.
                }
            }
        }

        _socket.Dispose();
        _sendLock.Dispose();
        _stopping.Dispose();
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var request = Encoding.UTF8.GetBytes("{\"protocol\":\"blazorpack\",\"version\":2}\u001e");
        await _socket.SendAsync(request, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

        // The handshake response is JSON ending in 0x1e; binary messages may follow in the same frame.
        var pending = new List<byte>();
        var buffer = new byte[16 * 1024];
        int separator;
        while ((separator = pending.IndexOf(RecordSeparator)) < 0)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The server closed the connection during the handshake.");
            }

            pending.AddRange(buffer.AsSpan(0, result.Count).ToArray());
        }

        using var response = JsonDocument.Parse(pending.GetRange(0, separator).ToArray());
        if (response.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException("Handshake refused: " + error.GetString());
        }

        var leftover = pending.GetRange(separator + 1, pending.Count - separator - 1).ToArray();
        // The loops live as long as the connection and stop on _stopping, not on the handshake's token.
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(leftover), CancellationToken.None);
        _pingLoop = Task.Run(PingLoopAsync, CancellationToken.None);
    }

    private async Task SendInvocationAsync(string? invocationId, string target, object?[] arguments, CancellationToken cancellationToken)
    {
        var writer = new MsgPackWriter();
        writer.WriteArrayHeader(6);
        writer.Write(InvocationMessage);
        writer.WriteMapHeader(0);
        writer.Write(invocationId);
        writer.Write(target);
        writer.WriteArrayHeader(arguments.Length);
        foreach (var argument in arguments)
        {
            writer.WriteValue(argument);
        }

        writer.WriteArrayHeader(0);
        await SendFramedAsync(writer.WrittenSpan.ToArray(), cancellationToken);
    }

    private async Task SendFramedAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var frame = new byte[payload.Length + 5];
        var prefix = 0;
        var length = (uint)payload.Length;
        do
        {
            var b = (byte)(length & 0x7f);
            length >>= 7;
            if (length > 0)
            {
                b |= 0x80;
            }

            frame[prefix++] = b;
        }
        while (length > 0);

        payload.CopyTo(frame, prefix);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame.AsMemory(0, prefix + payload.Length), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task PingLoopAsync()
    {
        // The server drops a client that says nothing for 30 s (ClientTimeoutInterval); the browser pings every 15 s.
        var ping = new MsgPackWriter();
        ping.WriteArrayHeader(1);
        ping.Write(PingMessage);
        var bytes = ping.WrittenSpan.ToArray();
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(15), _stopping.Token);
                await SendFramedAsync(bytes, _stopping.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Stopping, or the socket is gone and the receive loop reports it.
        }
    }

    private async Task ReceiveLoopAsync(byte[] initial)
    {
        var data = new MemoryStream();
        data.Write(initial);
        var buffer = new byte[64 * 1024];
        Exception? failure = null;
        try
        {
            await DispatchCompleteMessagesAsync(data);
            while (!_stopping.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stopping.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                await data.WriteAsync(buffer.AsMemory(0, result.Count), _stopping.Token);
                if (result.EndOfMessage)
                {
                    await DispatchCompleteMessagesAsync(data);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed by the caller.
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        foreach (var pending in _pendingInvocations.Values)
        {
            pending.TrySetException(failure ?? new InvalidOperationException("The connection closed."));
        }

        if (failure is null || _stopping.IsCancellationRequested)
        {
            _closed.TrySetResult();
        }
        else
        {
            _closed.TrySetException(failure);
        }
    }

    private async Task DispatchCompleteMessagesAsync(MemoryStream data)
    {
        var bytes = data.GetBuffer();
        var length = (int)data.Length;
        var position = 0;
        var received = System.Diagnostics.Stopwatch.GetTimestamp();
        while (TryReadLengthPrefix(bytes, position, length, out var payloadLength, out var prefixLength)
               && position + prefixLength + payloadLength <= length)
        {
            var payload = bytes.AsSpan(position + prefixLength, payloadLength);
            position += prefixLength + payloadLength;
            var message = new MsgPackReader(payload).ReadValue() as object?[]
                          ?? throw new InvalidDataException("A hub message was not a MessagePack array.");
            await HandleMessageAsync(message, received);
        }

        // Keep an incomplete trailing message for the next frame.
        var remaining = length - position;
        if (remaining > 0)
        {
            Buffer.BlockCopy(bytes, position, bytes, 0, remaining);
        }

        data.SetLength(remaining);
        data.Position = remaining;
    }

    private static bool TryReadLengthPrefix(byte[] bytes, int position, int length, out int payloadLength, out int prefixLength)
    {
        payloadLength = 0;
        prefixLength = 0;
        var shift = 0;
        while (position + prefixLength < length && prefixLength < 5)
        {
            var b = bytes[position + prefixLength++];
            payloadLength |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }

            shift += 7;
        }

        return false;
    }

    private async Task HandleMessageAsync(object?[] message, long receivedTimestamp)
    {
        var type = Convert.ToInt32(message[0], System.Globalization.CultureInfo.InvariantCulture);
        switch (type)
        {
            case InvocationMessage:
                // [1, headers, invocationId, target, arguments, streamIds?]
                await _onInvocation(new HubInvocation((string)message[3]!, (object?[])message[4]!, receivedTimestamp));
                break;
            case CompletionMessage:
                // [3, headers, invocationId, resultKind (1 error, 2 void, 3 result), error | result]
                var id = (string)message[2]!;
                if (_pendingInvocations.TryRemove(id, out var pending))
                {
                    var kind = Convert.ToInt32(message[3], System.Globalization.CultureInfo.InvariantCulture);
                    if (kind == 1)
                    {
                        pending.TrySetException(new InvalidOperationException("Hub method failed: " + message[4]));
                    }
                    else
                    {
                        pending.TrySetResult(kind == 3 ? message[4] : null);
                    }
                }

                break;
            case PingMessage:
                break;
            case CloseMessage:
                var error = message.Length > 1 ? message[1] as string : null;
                throw new InvalidOperationException("The server closed the hub connection" + (error is null ? "." : ": " + error));
            default:
                // Later protocol versions may add message types; old clients ignore them, as the browser does.
                break;
        }
    }
}
