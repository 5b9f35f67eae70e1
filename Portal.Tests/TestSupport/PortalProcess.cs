using System.Diagnostics;
using System.Text;

namespace Portal.Tests.TestSupport;

/// <summary>
/// The built portal started as a real operating-system process on a free loopback port, with a data folder
/// of its own. End-to-end and crash tests use it; it can be killed like any process.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PortalProcess(Process process, string baseUrl, string dataDirectory)
    {
        _process = process;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
    }

    public string BaseUrl { get; }

    public string DataDirectory { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int ProcessId => _process.Id;

    public int Port => new Uri(BaseUrl).Port;

    /// <param name="port">A port to listen on (the one a stopped portal had, to start it again where browsers know it); a free one by default.</param>
    public static async Task<PortalProcess> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null, string environment = "Development", int? port = null)
    {
        var portal = Launch(dataDirectory, settings, environment, runAsNobody: false, port);

        // Generous: a Development start seeds demo data, and test portals start while other tests (and, on a shared
        // machine, other people's builds) load the 2 cores; a start that took longer than 4 minutes has been seen.
        await portal.WaitUntilHealthyAsync(TimeSpan.FromMinutes(10));
        return portal;
    }

    /// <summary>
    /// Starts the portal and waits for it to end by itself, as a start that is refused does; fails if it is still running
    /// after a generous bound. <paramref name="runAsNobody"/> runs it as the unprivileged user "nobody" (through setpriv
    /// when the tests run as root), for whom a folder without write permission really is read-only; in Production then,
    /// since in Development the framework reads static assets from the build user's package cache.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(
        string dataDirectory, IDictionary<string, string>? settings = null, string environment = "Development", bool runAsNobody = false)
    {
        await using var portal = Launch(dataDirectory, settings, environment, runAsNobody);
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await portal._process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The portal was expected to refuse to start, but it is still running:\n" + portal.Output);
        }

        // The exit is seen before the last lines of output are: those are waited for here.
        await portal._process.WaitForExitAsync();
        return (portal._process.ExitCode, portal.Output);
    }

    private static PortalProcess Launch(string dataDirectory, IDictionary<string, string>? settings, string environment, bool runAsNobody, int? port = null)
    {
        if (!File.Exists(RepositoryPaths.PortalAssembly))
        {
            throw new InvalidOperationException($"The portal is not built at {RepositoryPaths.PortalAssembly}; build the solution first.");
        }

        var baseUrl = $"http://127.0.0.1:{port ?? FreePort.Next()}";
        var asRoot = runAsNobody && Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "setpriv" : "dotnet") { WorkingDirectory = RepositoryPaths.PortalProject };
        if (asRoot)
        {
            foreach (var argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "dotnet" })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["HOME"] = Path.GetTempPath();
        }

        start.ArgumentList.Add(RepositoryPaths.PortalAssembly);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(RepositoryPaths.PortalProject);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["ASPNETCORE_URLS"] = baseUrl;
        start.Environment["Portal__DataDirectory"] = dataDirectory;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return Begin(start, baseUrl, dataDirectory);
    }

    /// <summary>Starts the portal as <paramref name="start"/> says (a published build, a unit file's command line) and waits for its /health over plain HTTP at <paramref name="baseUrl"/>.</summary>
    public static async Task<PortalProcess> StartAsync(ProcessStartInfo start, string baseUrl, string dataDirectory)
    {
        var portal = Begin(start, baseUrl, dataDirectory);
        await portal.WaitUntilHealthyAsync(TimeSpan.FromMinutes(10));
        return portal;
    }

    private static PortalProcess Begin(ProcessStartInfo start, string baseUrl, string dataDirectory)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var portal = new PortalProcess(process, baseUrl, dataDirectory);
        process.OutputDataReceived += (_, e) => portal.Append(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return portal;
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Stops the portal at once, as a power cut would, and waits until it is gone; disposing it afterwards is harmless.</summary>
    public async Task StopAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The portal exited with code {_process.ExitCode}:\n{Output}");
                }

                try
                {
                    using var response = await http.GetAsync(new Uri(BaseUrl + "/health"));
                    return response.IsSuccessStatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false; // not listening yet, or still starting
                }
            },
            timeout,
            () => $"The portal did not become healthy within {timeout}:\n{Output}",
            TimeSpan.FromMilliseconds(250));
    }
}
