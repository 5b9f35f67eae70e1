using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Portal.Tests.TestSupport;

/// <summary>
/// The distribution's nginx running deploy/nginx.conf as shipped, in a folder of its own, with only what must differ on
/// a test machine changed: the listening addresses (free loopback ports), the nodes, the certificate paths, and
/// optionally the address nginx connects to the nodes from (so the proxy's address differs from the browser's).
/// The nginx command returns once its ports are bound; disposing stops it.
/// </summary>
public sealed partial class NginxProcess : IAsyncDisposable
{
    private readonly string _folder;
    private readonly int _masterPid;

    private NginxProcess(string folder, int masterPid, int tlsPort, int plainPort)
    {
        _folder = folder;
        _masterPid = masterPid;
        TlsPort = tlsPort;
        PlainPort = plainPort;
    }

    public static string Program =>
        Environment.GetEnvironmentVariable("PORTAL_TEST_NGINX") is { Length: > 0 } configured ? configured
        : File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx"
        : throw new InvalidOperationException("nginx was not found: run the tests with ./test.sh (it installs it), or apt-get install nginx.");

    public int TlsPort { get; }

    public int PlainPort { get; }

    public string ErrorLog => File.Exists(Path.Combine(_folder, "error.log")) ? File.ReadAllText(Path.Combine(_folder, "error.log")) : "";

    public static async Task<NginxProcess> StartAsync(string folder, IReadOnlyList<string> nodes, string certificate, string key, string? bindAddress = null)
    {
        Directory.CreateDirectory(folder);
        var tlsPort = FreePort.Next();
        var plainPort = FreePort.Next();
        var site = SiteFor(await File.ReadAllTextAsync(DeployFiles.NginxSite), nodes, certificate, key, tlsPort, plainPort, bindAddress);
        var user = Environment.UserName == "root" ? "user root root;" : "";
        var configuration = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(configuration, $$"""
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log notice;
            worker_processes 1;
            {{user}}
            events { worker_connections 512; }
            http {
                access_log {{folder}}/access.log;
                client_body_temp_path {{folder}}/client_body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
            {{site}}
            }
            """);
        var started = await ProcessRun.RunAsync(Program, ["-p", folder, "-e", Path.Combine(folder, "error.log"), "-c", configuration], folder, timeout: TimeSpan.FromMinutes(1));
        var pidFile = Path.Combine(folder, "nginx.pid");
        if (started.ExitCode != 0 || !File.Exists(pidFile))
        {
            throw new InvalidOperationException($"nginx did not start: {started}\n{await File.ReadAllTextAsync(configuration)}");
        }

        return new NginxProcess(folder, int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture), tlsPort, plainPort);
    }

    /// <summary>The shipped site with the test machine's addresses; each change must find what it changes, so an edit of the file that this test no longer matches fails here.</summary>
    public static string SiteFor(string site, IReadOnlyList<string> nodes, string certificate, string key, int tlsPort, int plainPort, string? bindAddress)
    {
        string Replace(string text, string from, string to)
        {
            Assert.True(text.Contains(from, StringComparison.Ordinal), $"deploy/nginx.conf no longer has '{from}'.");
            return text.Replace(from, to, StringComparison.Ordinal);
        }

        site = Replace(site, "listen 443 ssl default_server;", $"listen 127.0.0.1:{tlsPort} ssl default_server;");
        site = Replace(site, "listen 443 ssl http2;", $"listen 127.0.0.1:{tlsPort} ssl http2;");
        site = Replace(site, "listen 80;", $"listen 127.0.0.1:{plainPort};");
        site = Replace(site, "/etc/nginx/tls/portal.example.org.crt", certificate);
        site = Replace(site, "/etc/nginx/tls/portal.example.org.key", key);
        var servers = NodeLine().Matches(site);
        Assert.True(servers.Count > 0, "deploy/nginx.conf names no node.");
        var options = servers[0].Groups["options"].Value;
        site = site.Replace(servers[0].Value, string.Join("\n    ", nodes.Select(n => $"server {n} {options};")), StringComparison.Ordinal);
        foreach (var other in servers.Skip(1))
        {
            site = site.Replace(other.Value, "", StringComparison.Ordinal);
        }

        if (bindAddress is not null)
        {
            site = Replace(site, "proxy_pass http://portal_nodes;", $"proxy_pass http://portal_nodes;\n        proxy_bind {bindAddress};");
        }

        return site;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var master = Process.GetProcessById(_masterPid);
            master.Kill(entireProcessTree: true);
            await master.WaitForExitAsync();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex(@"server 10\.0\.0\.\d+:8080 (?<options>[^;]*);")]
    private static partial Regex NodeLine();
}
