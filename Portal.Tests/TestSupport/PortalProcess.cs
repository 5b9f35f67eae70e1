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

    public static async Task<PortalProcess> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null, string environment = "Development")
    {
        if (!File.Exists(RepositoryPaths.PortalAssembly))
        {
            throw new InvalidOperationException($"The portal is not built at {RepositoryPaths.PortalAssembly}; build the solution first.");
        }

        var port = FreePort.Next();
        var baseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryPaths.PortalProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var portal = new PortalProcess(process, baseUrl, dataDirectory);
        process.OutputDataReceived += (_, e) => portal.Append(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Generous: a Development start seeds demo data, and test portals start while other tests (and, on a shared
        // machine, other people's builds) load the 2 cores; a start that took longer than 4 minutes has been seen.
        await portal.WaitUntilHealthyAsync(TimeSpan.FromMinutes(10));
        return portal;
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

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
