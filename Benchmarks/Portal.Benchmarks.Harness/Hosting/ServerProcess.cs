using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Portal.Benchmarks.Hosting;

/// <summary>
/// A server under test, started as its own operating-system process on a free loopback port so that its
/// memory can be read from /proc and nothing of the load generator is counted in it.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string? _ownedDirectory;

    private ServerProcess(Process process, Uri baseUri, string? ownedDirectory)
    {
        _process = process;
        BaseUri = baseUri;
        _ownedDirectory = ownedDirectory;
    }

    public Uri BaseUri { get; }

    public int ProcessId => _process.Id;

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

    /// <summary>The portal's data folder (SQLite file, keys), when this is a portal.</summary>
    public string? DataDirectory { get; private init; }

    /// <summary>
    /// The run certificate's public key pin (SHA-256 of its SubjectPublicKeyInfo, Base64) when served over HTTPS: Chromium told
    /// to trust it (<c>--ignore-certificate-errors-spki-list</c>) treats the site as valid and caches its files, which it does not
    /// for a site whose certificate error was merely ignored.
    /// </summary>
    public string? CertificatePin { get; private set; }

    /// <summary>
    /// The built portal (Portal/bin/CONFIGURATION/net10.0/Portal.dll) in Development, on a fresh data folder that is
    /// deleted with the process; or on <paramref name="dataDirectory"/>, which the caller keeps (stop the portal,
    /// load data into it, start it again).
    /// </summary>
    public static async Task<ServerProcess> StartPortalAsync(string configuration = "Release", IDictionary<string, string>? settings = null, string? dataDirectory = null)
    {
        var portalProject = Path.Combine(RepositoryPaths.Root, "Portal");
        var assembly = Path.Combine(portalProject, "bin", configuration, "net10.0", "Portal.dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The portal is not built at {assembly}; build it in {configuration} first (./bench.sh does).");
        }

        var data = dataDirectory ?? NewDataDirectory();
        Directory.CreateDirectory(data);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Portal__DataDirectory"] = data,
            // Logging every circuit at Information costs time on the server under test, not in production.
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return await StartAsync(assembly, ["--contentRoot", portalProject], environment, "/health", portalProject, dataDirectory is null ? data : null, data);
    }

    /// <summary>
    /// The portal as an operator runs it: published (`dotnet publish` of the <paramref name="configuration"/> build, with its
    /// precompressed static files) into a temp folder and started in Production over HTTPS (Production's cookies are Secure-only), with a
    /// self-signed certificate for 127.0.0.1 made for this run. Both folders are deleted with the process.
    /// <paramref name="environmentName"/> Development is for scenarios that need the demo accounts and cases (seeded only there): the
    /// published output's static assets are served as in Production, since only a build's manifest turns on their development handling.
    /// </summary>
    public static async Task<ServerProcess> StartPublishedPortalAsync(string configuration = "Release", IDictionary<string, string>? settings = null, string environmentName = "Production")
    {
        var published = NewDataDirectory();
        using (var publish = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", Path.Combine(RepositoryPaths.Root, "Portal", "Portal.csproj"), "--configuration", configuration, "--no-build", "--output", published, "-nologo", "-v", "quiet" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("dotnet publish did not start."))
        {
            var output = await publish.StandardOutput.ReadToEndAsync();
            await publish.WaitForExitAsync();
            if (publish.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish failed (build the portal in {configuration} first; ./bench.sh does):\n{output}");
            }
        }

        var data = Path.Combine(published, "bench-data");
        Directory.CreateDirectory(data);
        var certificate = Path.Combine(data, "loopback.pfx");
        string pin;
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(certificate, self.Export(X509ContentType.Pfx));
            pin = Convert.ToBase64String(SHA256.HashData(self.PublicKey.ExportSubjectPublicKeyInfo()));
        }

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environmentName,
            ["Portal__DataDirectory"] = data,
            ["Kestrel__Certificates__Default__Path"] = certificate,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var portal = await StartAsync(Path.Combine(published, "Portal.dll"), [], environment, "/health", published, published, data, scheme: "https");
        portal.CertificatePin = pin;
        return portal;
    }

    /// <summary>A new, empty folder under the temp directory for a portal's data.</summary>
    public static string NewDataDirectory()
    {
        var data = Path.Combine(Path.GetTempPath(), "portal-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        return data;
    }

    /// <summary>Asks the process to stop (SIGTERM, as a service manager does) so SQLite checkpoints its WAL; kills it after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            using var signal = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false });
            if (signal is not null)
            {
                await signal.WaitForExitAsync();
            }
        }

        using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }


    /// <summary>The benchmark program (Benchmarks/Portal.Benchmarks) in one of its server roles: serve-hub, serve-counter.</summary>
    public static Task<ServerProcess> StartBenchmarkServerAsync(string role, params string[] options)
    {
        var entry = System.Reflection.Assembly.GetEntryAssembly();
        var assembly = entry?.GetName().Name == "Portal.Benchmarks"
            ? entry.Location
            : Path.Combine(RepositoryPaths.Root, "Benchmarks", "Portal.Benchmarks", "bin", RepositoryPaths.Configuration, "net10.0", "Portal.Benchmarks.dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The benchmark program is not built at {assembly}; build Portal.sln first.");
        }

        return StartAsync(assembly, [role, .. options], new Dictionary<string, string>
        {
            // Development serves the framework's static assets from the build output, as for the portal.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
        }, "/health", Path.GetDirectoryName(assembly)!, null);
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_ownedDirectory is not null)
        {
            try
            {
                Directory.Delete(_ownedDirectory, recursive: true);
            }
            catch (IOException)
            {
                // The OS cleans temp; a killed process may still hold a file for a moment.
            }
        }
    }

    private static async Task<ServerProcess> StartAsync(
        string assembly, string[] arguments, IDictionary<string, string> environment, string healthPath, string workingDirectory, string? ownedDirectory,
        string? dataDirectory = null, string scheme = "http")
    {
        var baseUri = new Uri($"{scheme}://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_URLS"] = baseUri.ToString().TrimEnd('/');
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var server = new ServerProcess(process, baseUri, ownedDirectory) { DataDirectory = dataDirectory };
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Generous: the test command starts these while other tests load the two cores.
            await server.WaitUntilHealthyAsync(new Uri(baseUri, healthPath.TrimStart('/')), TimeSpan.FromMinutes(10));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A handler for this process's own loopback server, which over HTTPS has the self-signed certificate made for it.</summary>
    public static HttpClientHandler LoopbackHandler() => new()
    {
        ServerCertificateCustomValidationCallback = (request, _, _, _) => request.RequestUri is { IsLoopback: true },
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    };

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

    private async Task WaitUntilHealthyAsync(Uri health, TimeSpan timeout)
    {
        using var http = new HttpClient(LoopbackHandler()) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // 137 and 143 are SIGKILL and SIGTERM: said plainly, since the server's output then explains nothing.
                throw new InvalidOperationException(_process.ExitCode is 137 or 143
                    ? $"{_process.StartInfo.ArgumentList[0]} was killed from outside while starting (exit code {_process.ExitCode})."
                    : $"{_process.StartInfo.ArgumentList[0]} exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(health);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{health} did not answer within {timeout}:\n{Output}");
    }
}
