using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Portal.Tests.TestSupport;

/// <summary>
/// The portal as an operator deploys it: published in Release, started the way deploy/portal.service starts it, with
/// deploy/portal.env.example's settings (Production), behind the distribution's nginx running deploy/nginx.conf with a
/// self-signed certificate made on the spot, and a key-ring certificate. nginx reaches the portal from 127.0.0.3, the
/// one proxy the portal trusts, so the browser's 127.0.0.1 and other clients' addresses are told apart from the proxy's.
/// The portal also listens on HTTPS itself with a certificate from configuration (Kestrel), as it may without a proxy.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class ProductionFixture : IAsyncLifetime
{
    public const string Host = "portal.example.org";
    public const string ProxyAddress = "127.0.0.3";
    public const string KeyRingPassword = "key-ring-test-password";

    private readonly TempDirectory _root = new("portal-production");
    private IPlaywright? _playwright;
    private string _certificateHash = "";

    public string Published { get; private set; } = "";

    public string DataDirectory => Path.Combine(_root.Path, "var-lib-portal");

    public string EnvironmentFile => Path.Combine(_root.Path, "etc-portal", "portal.env");

    public NginxProcess Nginx { get; private set; } = null!;

    public PortalProcess Portal { get; private set; } = null!;

    public int PortalPort { get; private set; }

    public int DirectHttpsPort { get; private set; }

    public IBrowser Browser { get; private set; } = null!;

    public string PublicBaseUrl => $"https://{Host}:{Nginx.TlsPort}";

    public async Task InitializeAsync()
    {
        Published = await PublishedPortal.GetAsync();
        var tls = Directory.CreateDirectory(Path.Combine(_root.Path, "tls")).FullName;
        var (certificate, key) = await OpenSsl.SelfSignedAsync(tls, Host);
        using (var pem = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(certificate))
        {
            _certificateHash = pem.GetCertHashString();
        }

        var etc = Directory.CreateDirectory(Path.GetDirectoryName(EnvironmentFile)!).FullName;
        var keyRing = await OpenSsl.PfxAsync(etc, "keyring", KeyRingPassword);

        PortalPort = FreePort.Next();
        DirectHttpsPort = FreePort.Next();
        Nginx = await NginxProcess.StartAsync(Path.Combine(_root.Path, "nginx"), [$"127.0.0.1:{PortalPort}"], certificate, key, ProxyAddress);

        // The example file as shipped, with this machine's addresses and paths in the settings it already has.
        var settings = DeployFiles.ReadEnvironmentFile(DeployFiles.EnvironmentExample);
        void Set(string name, string value)
        {
            Assert.True(settings.ContainsKey(name), $"deploy/portal.env.example no longer sets {name}.");
            settings[name] = value;
        }

        Assert.Equal("Production", settings["ASPNETCORE_ENVIRONMENT"]);
        Set("ASPNETCORE_URLS", $"http://127.0.0.1:{PortalPort};https://127.0.0.1:{DirectHttpsPort}");
        Set("Portal__Proxy__KnownProxies", ProxyAddress);
        Set("Portal__PublicBaseUrl", PublicBaseUrl);
        Set("Portal__DataDirectory", DataDirectory);
        Set("Portal__DataProtection__CertificatePath", keyRing);
        Set("Portal__DataProtection__CertificatePassword", KeyRingPassword);

        // Direct HTTPS on Kestrel, a certificate from configuration; a quick proof of work and two public posts per
        // address and window, so that per-visitor limits show within a test.
        settings["Kestrel__Certificates__Default__Path"] = certificate;
        settings["Kestrel__Certificates__Default__KeyPath"] = key;
        settings["Portal__Intake__ProofOfWork__RestBits"] = IntakeAppFactory.Difficulty.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Portal__Intake__RateLimits__FormPostsPerWindow"] = "2";
        DeployFiles.WriteEnvironmentFile(EnvironmentFile, settings);

        Portal = await PortalProcess.StartAsync(DeployFiles.StartInfoFromUnit(Published, EnvironmentFile), $"http://127.0.0.1:{PortalPort}", DataDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await TestSupport.Browser.LaunchAsync(_playwright, $"--host-resolver-rules=MAP {Host} 127.0.0.1");
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = PublicBaseUrl, Locale = "en-GB", IgnoreHTTPSErrors = true });
        return await context.NewPageAsync();
    }

    /// <summary>
    /// An Administrator created at the console who has set a password and enrolled an authenticator app through the
    /// one-time link, in a browser context of its own that is closed again.
    /// </summary>
    public async Task<TestStaffUser> EnrolledAdministratorAsync(string email, string password)
    {
        var created = await PortalCli.RunPublishedAsync(Published, EnvironmentFile, ["admin", "create", "--email", email, "--name", "Enrolled Administrator"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        var page = await NewPageAsync();
        await page.GotoAsync(PortalCli.LinkIn(created));
        await page.GetByTestId("new-password").FillAsync(password);
        await page.GetByTestId("confirm-password").FillAsync(password);
        await page.GetByTestId("enrol-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("setup-key")).ToBeVisibleAsync();
        var account = new TestStaffUser(email, email, password)
        {
            AuthenticatorKey = (await page.GetByTestId("setup-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(),
        };
        await page.GetByTestId("setup-code").FillAsync(StaffAccounts.NextCode(account));
        await page.GetByTestId("setup-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("setup-done")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
        return account;
    }

    /// <summary>A client that connects from <paramref name="sourceAddress"/> to nginx (or, with <paramref name="port"/>, to that port), trusting the test certificate.</summary>
    public HttpClient ClientFrom(string sourceAddress, string? baseUrl = null, int? port = null)
    {
        var target = port ?? Nginx.TlsPort;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            // Trusts the certificate this fixture made, and no other.
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == _certificateHash },
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
                    await socket.ConnectAsync(IPAddress.Loopback, target, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(baseUrl ?? PublicBaseUrl) };
    }

    /// <summary>The audit trail as the database holds it, oldest first.</summary>
    public async Task<List<(long Id, string Action, string? UserName, string? Role, string? IpAddress, string? Detail)>> AuditAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(DataDirectory, "portal.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, Action, UserName, Role, IpAddress, Detail FROM AuditEntries ORDER BY Id";
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<(long, string, string?, string?, string?, string?)>();
        while (await reader.ReadAsync())
        {
            entries.Add((reader.GetInt64(0), reader.GetString(1), Nullable(reader, 2), Nullable(reader, 3), Nullable(reader, 4), Nullable(reader, 5)));
        }

        return entries;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Portal is not null)
        {
            await Portal.DisposeAsync();
        }

        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        _root.Dispose();
    }

    private static string? Nullable(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}

[CollectionDefinition(Name)]
public sealed class ProductionCollection : ICollectionFixture<ProductionFixture>
{
    public const string Name = "Production behind nginx";
}
