using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Benchmarks.Driver;

/// <summary>A JavaScript interop call the server asked the browser to make ("JS.BeginInvokeJS").</summary>
/// <param name="ResultType">0 JSON value, 1 JS object reference, 2 JS stream reference, 3 void.</param>
/// <param name="CallType">1 function call, 2 constructor call, 3 get value, 4 set value (.NET 10).</param>
public sealed record JsCall(long AsyncHandle, string Identifier, string? ArgsJson, int ResultType, long TargetInstanceId, int CallType);

/// <summary>A render batch the driver received, decoded and acknowledged.</summary>
public sealed record RenderBatchInfo(long BatchId, int ByteCount, int UpdatedComponents, long ReceivedTimestamp);

public sealed class CircuitDriverOptions
{
    /// <summary>
    /// The HTTP client for the page request and negotiation. Give one whose handler uses <see cref="Cookies"/>
    /// to act as a signed-in user (see <see cref="StaticForm"/>); by default the driver makes its own.
    /// </summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Cookies sent with the WebSocket upgrade; must be the container behind <see cref="HttpClient"/>.</summary>
    public CookieContainer? Cookies { get; init; }

    /// <summary>
    /// Answers a JavaScript interop call with a JSON value (null for none). Return <see cref="JsAnswer.Default"/>
    /// to let the driver answer: a fresh JS object reference, nothing for void calls, the entry in
    /// <see cref="KnownJsResults"/> or else null.
    /// </summary>
    public Func<JsCall, JsAnswer>? JsInterop { get; init; }

    /// <summary>Plausible browser answers for calls whose callers cannot take null.</summary>
    public IDictionary<string, string> KnownJsResults { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // What MudBlazor 9 asks a browser on the portal's shell: a light system theme, one popover provider,
        // a 1366x768 window.
        ["mudThemeProvider.isDarkMode"] = "false",
        ["window.hasOwnProperty"] = "true",
        ["mudpopoverHelper.countProviders"] = "1",
        ["mudElementRef.getBoundingClientRect"] = "{\"top\":0,\"left\":0,\"width\":48,\"height\":48,\"bottom\":48,\"right\":48,\"x\":0,\"y\":0,\"scrollX\":0,\"scrollY\":0,\"windowHeight\":768,\"windowWidth\":1366}",
        ["mudResizeListener.getBrowserWindowSize"] = "{\"height\":768,\"width\":1366}",
    };

    /// <summary>The element test id that says the circuit took over from prerendering; null to wait for the first batch only.</summary>
    public string? ReadyTestId { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives every JS interop call and hub invocation, for debugging a new page.</summary>
    public Action<string>? Trace { get; init; }
}

public readonly record struct JsAnswer(bool UseDefault, bool Succeeded, string? Json)
{
    public static JsAnswer Default => new(true, true, null);

    public static JsAnswer Value(string? json) => new(false, true, json);

    public static JsAnswer Failure(string message) => new(false, false, JsonSerializer.Serialize(message));
}

/// <summary>
/// A headless browser for a Blazor Web App with interactive server rendering: fetches a page, starts a circuit
/// for its prerendered server components over the blazorpack protocol, answers JavaScript interop calls,
/// keeps a copy of the rendered tree from every render batch (acknowledging each one, as the server stops
/// after ten unacknowledged batches) and dispatches browser events to the event handler ids in that tree.
/// </summary>
public sealed class CircuitDriver : IAsyncDisposable
{
    private readonly CircuitDriverOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _baseUri;
    private readonly ConcurrentQueue<Waiter> _waiters = new();
    private readonly TaskCompletionSource _rendererAttached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstBatch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BlazorPackConnection? _connection;
    private long _rendererInteropObjectId = -1;
    private long _nextJsObjectId = 1;
    private long _nextDotNetCallId;
    private long _lastBatchId;
    private long _lastBatchTimestamp;
    private int _batches;
    private string? _circuitId;

    private CircuitDriver(Uri pageUri, CircuitDriverOptions options)
    {
        _options = options;
        PageUri = pageUri;
        _baseUri = new Uri(pageUri.GetLeftPart(UriPartial.Authority) + "/");
        if (options.HttpClient is { } http)
        {
            _http = http;
        }
        else
        {
            _http = new HttpClient(new SocketsHttpHandler { CookieContainer = options.Cookies ?? new CookieContainer(), UseCookies = true });
            _ownsHttp = true;
        }
    }

    public Uri PageUri { get; }

    public RenderTree Tree { get; } = new();

    /// <summary>The circuit id secret the server returned from StartCircuit.</summary>
    public string CircuitId => _circuitId ?? throw new InvalidOperationException("The circuit has not started.");

    public int BatchesReceived => Volatile.Read(ref _batches);

    /// <summary>Raised on the connection's thread after each batch has been applied to <see cref="Tree"/>.</summary>
    public event Action<RenderBatchInfo>? BatchReceived;

    /// <summary>Every JavaScript interop call the server made, in order.</summary>
    public ConcurrentQueue<JsCall> JsCalls { get; } = new();

    /// <summary>Errors the server reported with "JS.Error" (a broken circuit).</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Opens <paramref name="pageUri"/> and returns once its components are interactive.</summary>
    public static async Task<CircuitDriver> OpenAsync(Uri pageUri, CircuitDriverOptions? options = null, CancellationToken cancellationToken = default)
    {
        var driver = new CircuitDriver(pageUri, options ?? new CircuitDriverOptions());
        try
        {
            await driver.StartAsync(cancellationToken);
            return driver;
        }
        catch
        {
            await driver.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until the tree satisfies <paramref name="condition"/> (checked after every batch) and returns the
    /// batch that made it true, or null when it already held.
    /// </summary>
    public async Task<RenderBatchInfo?> WaitForAsync(Func<RenderTree, bool> condition, TimeSpan? timeout = null)
    {
        var waiter = new Waiter(_ => Check(condition));
        _waiters.Enqueue(waiter);
        if (Check(condition))
        {
            waiter.Completion.TrySetResult(null!);
        }

        try
        {
            return await waiter.Completion.Task.WaitAsync(timeout ?? _options.Timeout);
        }
        catch (TimeoutException ex)
        {
            waiter.Completion.TrySetCanceled();
            throw new TimeoutException($"The page did not reach the expected state ({BatchesReceived} batches; errors: {string.Join("; ", Errors)}).", ex);
        }
    }

    /// <summary>Waits until no render batch has arrived for <paramref name="quiet"/>, e.g. after start-up re-renders.</summary>
    public async Task WaitForQuietAsync(TimeSpan quiet, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? _options.Timeout).TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastBatchTimestamp)) < quiet)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException("Render batches kept arriving.");
            }

            await Task.Delay(quiet / 4);
        }
    }

    /// <summary>
    /// Clicks the element with this data-testid and returns the time from sending the event to receiving the
    /// render batch it caused.
    /// </summary>
    public Task<TimeSpan> ClickAsync(string testId, TimeSpan? timeout = null)
    {
        var element = Tree.FindByTestId(testId) ?? throw new InvalidOperationException($"No element with data-testid '{testId}' is rendered.");
        ulong handler;
        lock (Tree.SyncRoot)
        {
            if (!element.EventHandlers.TryGetValue("click", out handler))
            {
                throw new InvalidOperationException($"The element '{testId}' has no click handler.");
            }
        }

        return DispatchEventAsync(handler, "click", MouseClickArgs, timeout);
    }

    /// <summary>What a browser sends for a plain left click (MouseEventArgs).</summary>
    public const string MouseClickArgs =
        "{\"detail\":1,\"screenX\":10,\"screenY\":10,\"clientX\":10,\"clientY\":10,\"offsetX\":5,\"offsetY\":5,\"pageX\":10,\"pageY\":10," +
        "\"movementX\":0,\"movementY\":0,\"button\":0,\"buttons\":0,\"ctrlKey\":false,\"shiftKey\":false,\"altKey\":false,\"metaKey\":false,\"type\":\"click\"}";

    /// <summary>
    /// Dispatches a browser event to an event handler id (as blazor.web.js does, through the renderer's
    /// DispatchEventAsync interop method) and returns the time until the next render batch arrived.
    /// </summary>
    public async Task<TimeSpan> DispatchEventAsync(ulong eventHandlerId, string eventName, string eventArgsJson, TimeSpan? timeout = null)
    {
        var connection = _connection ?? throw new InvalidOperationException("The circuit has not started.");
        var descriptor = new JsonObject
        {
            ["eventHandlerId"] = eventHandlerId,
            ["eventName"] = eventName,
            ["eventFieldInfo"] = null,
        };
        var argsJson = "[" + descriptor.ToJsonString() + "," + eventArgsJson + "]";
        var callId = Interlocked.Increment(ref _nextDotNetCallId).ToString(CultureInfo.InvariantCulture);

        var sent = Stopwatch.GetTimestamp();
        var waiter = new Waiter(batch => batch is not null && batch.ReceivedTimestamp >= sent);
        _waiters.Enqueue(waiter);
        await connection.SendAsync("BeginInvokeDotNetFromJS", [callId, null, "DispatchEventAsync", _rendererInteropObjectId, argsJson]);
        try
        {
            var batch = await waiter.Completion.Task.WaitAsync(timeout ?? _options.Timeout);
            return Stopwatch.GetElapsedTime(sent, batch.ReceivedTimestamp);
        }
        catch (TimeoutException)
        {
            waiter.Completion.TrySetCanceled();
            throw;
        }
    }

    /// <summary>
    /// Drops the connection the way a lost link does: the socket closes without POST /_blazor/disconnect, so the server keeps
    /// the circuit for the browser to rejoin. <see cref="DisposeAsync"/> still ends it.
    /// </summary>
    public async Task DropConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    /// <summary>Ends the circuit the way a closing browser tab does (POST /_blazor/disconnect), then closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_circuitId is not null)
        {
            try
            {
                using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("circuitId", _circuitId)]);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var response = await _http.PostAsync(new Uri(_baseUri, "_blazor/disconnect"), content, timeout.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // The server is gone already; the socket close below is all that is left.
            }
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var token = timeout.Token;

        using var page = await _http.GetAsync(PageUri, token);
        page.EnsureSuccessStatusCode();
        var html = await page.Content.ReadAsStringAsync(token);
        var markers = PageMarkers.Parse(html);
        if (markers.ServerComponents.Count == 0)
        {
            var landed = page.RequestMessage?.RequestUri;
            throw new InvalidOperationException(landed is not null && landed.AbsolutePath != PageUri.AbsolutePath
                ? $"{PageUri} redirected to {landed}, a static page: sign in first (BrowserSession.SignInAsync) and pass its DriverOptions()."
                : $"{PageUri} has no interactive server components.");
        }

        _connection = await BlazorPackConnection.ConnectAsync(_baseUri, _http, _options.Cookies, OnInvocationAsync, token);

        // In a Blazor Web App the circuit starts empty; the root components are added once the renderer is attached.
        var circuitId = await _connection.InvokeAsync("StartCircuit", [_baseUri.ToString(), PageUri.ToString(), "[]", markers.ApplicationState], token);
        _circuitId = circuitId as string ?? throw new InvalidOperationException("The server refused to start a circuit.");
        await _rendererAttached.Task.WaitAsync(token);
        await _connection.SendAsync("UpdateRootComponents", [markers.AddOperationsJson(batchId: 1), markers.ApplicationState], token);
        await _firstBatch.Task.WaitAsync(token);
        if (_options.ReadyTestId is { } readyTestId)
        {
            await WaitForAsync(t => t.FindByTestId(readyTestId) is not null, _options.Timeout);
        }
    }

    private bool Check(Func<RenderTree, bool> condition)
    {
        lock (Tree.SyncRoot)
        {
            return condition(Tree);
        }
    }

    private async Task OnInvocationAsync(HubInvocation invocation)
    {
        var args = invocation.Arguments;
        _options.Trace?.Invoke($"{invocation.Target} {Describe(args)}");
        switch (invocation.Target)
        {
            case "JS.RenderBatch":
                await OnRenderBatchAsync(ToLong(args[0]), (byte[])args[1]!, invocation.ReceivedTimestamp);
                break;
            case "JS.BeginInvokeJS":
                await OnBeginInvokeJSAsync(new JsCall(
                    ToLong(args[0]), (string)args[1]!, args[2] as string, (int)ToLong(args[3]),
                    args.Length > 4 ? ToLong(args[4]) : 0, args.Length > 5 ? (int)ToLong(args[5]) : 1));
                break;
            case "JS.AttachComponent":
                Tree.AttachRootComponent((int)ToLong(args[0]));
                break;
            case "JS.Error":
                Errors.Enqueue(args[0] as string ?? "unknown error");
                var error = new InvalidOperationException("The circuit failed: " + args[0]);
                _firstBatch.TrySetException(error);
                _rendererAttached.TrySetException(error);
                break;
            default:
                // JS.EndInvokeDotNet (event dispatch results), JS.EndUpdateRootComponents, streams: nothing to do.
                break;
        }
    }

    private async Task OnRenderBatchAsync(long batchId, byte[] data, long receivedTimestamp)
    {
        string? error = null;
        if (batchId > _lastBatchId)
        {
            try
            {
                var batch = RenderBatchReader.Read(data);
                Tree.Apply(batch);
                _lastBatchId = batchId;
                Interlocked.Increment(ref _batches);
                Volatile.Write(ref _lastBatchTimestamp, receivedTimestamp);
                var info = new RenderBatchInfo(batchId, data.Length, batch.Diffs.Count, receivedTimestamp);
                BatchReceived?.Invoke(info);
                CompleteWaiters(info);
            }
            catch (Exception ex)
            {
                error = ex.ToString();
                Errors.Enqueue("Could not apply batch " + batchId + ": " + ex.Message);
            }
        }

        // Acknowledge every batch, repeated ones included, or the server stops rendering after ten.
        await _connection!.SendAsync("OnRenderCompleted", [batchId, error]);
        _firstBatch.TrySetResult();
    }

    private void CompleteWaiters(RenderBatchInfo batch)
    {
        var count = _waiters.Count;
        for (var i = 0; i < count && _waiters.TryDequeue(out var waiter); i++)
        {
            if (waiter.Completion.Task.IsCompleted)
            {
                continue;
            }

            if (waiter.IsSatisfiedBy(batch))
            {
                waiter.Completion.TrySetResult(batch);
            }
            else
            {
                _waiters.Enqueue(waiter);
            }
        }
    }

    private async Task OnBeginInvokeJSAsync(JsCall call)
    {
        JsCalls.Enqueue(call);
        if (call.Identifier == "Blazor._internal.attachWebRendererInterop")
        {
            // [rendererId, {"__dotNetObject": id}, jsComponentParameters, jsComponentInitializers]: events go to that object.
            using var args = JsonDocument.Parse(call.ArgsJson ?? "[]");
            _rendererInteropObjectId = args.RootElement[1].GetProperty("__dotNetObject").GetInt64();
            await ReplyAsync(call, JsAnswer.Value(null));
            _rendererAttached.TrySetResult();
            return;
        }

        var answer = _options.JsInterop?.Invoke(call) ?? JsAnswer.Default;
        if (answer.UseDefault)
        {
            answer = call.ResultType switch
            {
                1 => JsAnswer.Value($"{{\"__jsObjectId\":{Interlocked.Increment(ref _nextJsObjectId)}}}"),
                2 => JsAnswer.Failure("The benchmark driver has no JS streams."),
                3 => JsAnswer.Value(null),
                _ => JsAnswer.Value(_options.KnownJsResults.TryGetValue(call.Identifier, out var known) ? known : null),
            };
        }

        await ReplyAsync(call, answer);
    }

    private Task ReplyAsync(JsCall call, JsAnswer answer)
    {
        if (call.AsyncHandle == 0)
        {
            return Task.CompletedTask;
        }

        // The browser answers with the JSON array [asyncHandle, succeeded, result].
        var json = $"[{call.AsyncHandle},{(answer.Succeeded ? "true" : "false")},{answer.Json ?? "null"}]";
        return _connection!.SendAsync("EndInvokeJSFromDotNet", [call.AsyncHandle, answer.Succeeded, json]);
    }

    private static long ToLong(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static string Describe(object?[] args) =>
        string.Join(", ", args.Select(a => a switch
        {
            null => "null",
            byte[] bytes => $"<{bytes.Length} bytes>",
            string s when s.Length > 200 => s[..200] + "...",
            _ => a.ToString(),
        }));

    private sealed class Waiter(Func<RenderBatchInfo?, bool> isSatisfiedBy)
    {
        public TaskCompletionSource<RenderBatchInfo> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsSatisfiedBy(RenderBatchInfo batch) => isSatisfiedBy(batch);
    }
}
