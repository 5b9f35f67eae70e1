using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using OtpNet;
using Portal.Features.Operations;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>
/// The console commands run as an operator runs them (<c>dotnet Portal.dll admin …</c>) against a running portal's
/// data folder: each one's work, its help, its refusals, its audit entries, and that nothing secret is printed or
/// logged but the one-time link.
/// </summary>
public sealed partial class OperationsCommandTests : IClassFixture<OperationsCommandTests.RunningPortal>
{
    private const string Password = "an-operator-chosen-passphrase-5";
    private readonly RunningPortal _portal;

    public OperationsCommandTests(RunningPortal portal) => _portal = portal;

    [Theory]
    [InlineData("--help", "these commands look after an installation")]
    [InlineData("admin --help", "Administrators and account rescue")]
    [InlineData("admin create --help", "--email <email> (REQUIRED)")]
    [InlineData("admin link --help", "new one-time link")]
    [InlineData("admin reset-2fa --help", "second factor")]
    [InlineData("admin unlock --help", "lockout")]
    [InlineData("admin list --help", "Lists the Administrators")]
    [InlineData("backup --help", "--passphrase-file")]
    [InlineData("restore --help", "empty data folder")]
    public async Task Every_command_answers_help(string arguments, string expected)
    {
        // In this process: help builds no host, and the next test runs help (and a command) as processes.
        var result = await InProcessAsync(arguments.Split(' '));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_speaks_the_operators_language_and_dotnet_run_reaches_the_same_commands()
    {
        var french = await PortalCli.RunAsync(_portal.Data.Path, ["admin", "--help"], settings: new Dictionary<string, string> { ["LANG"] = "fr_FR.UTF-8" });
        Assert.Contains("Administrateurs et secours des comptes", french.Output, StringComparison.Ordinal);

        var viaRun = await ProcessRun.RunAsync("dotnet", ["run", "--no-build", "--configuration", RepositoryPaths.Configuration, "--project", "Portal", "--", "admin", "list", "--help"], RepositoryPaths.Root);
        Assert.True(viaRun.ExitCode == 0, viaRun.ToString());
        Assert.Contains("Lists the Administrators", viaRun.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_refuse_what_they_cannot_do_with_a_message_and_an_exit_code()
    {
        using var empty = new TempDirectory("portal-cli-empty");
        var noDatabase = await PortalCli.RunAsync(empty.Path, ["admin", "list"]);
        Assert.Equal(3, noDatabase.ExitCode);
        Assert.Contains("Start the portal once", noDatabase.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty.Path)); // the console never creates a database

        // Refused by the parser before any service is built: checked in this process.
        Assert.Equal(1, (await InProcessAsync(["admin", "create", "--email", "no.name@example.org"])).ExitCode);
        Assert.Equal(1, (await InProcessAsync(["admin", "create", "--email", "x@example.org", "--name", "X", "--valid-hours", "0"])).ExitCode);
        Assert.Equal(1, (await InProcessAsync(["admin", "create", "--email", "x@example.org", "--name", "X", "--language", "de"])).ExitCode);

        var badName = await Cli("admin", "create", "--email", "not a user name", "--name", "X");
        Assert.Equal(2, badName.ExitCode);
        Assert.Contains("refused", badName.Error, StringComparison.Ordinal);

        foreach (var command in new[] { "link", "reset-2fa", "unlock" })
        {
            var unknown = await Cli("admin", command, "--email", "nobody@example.org");
            Assert.Equal(2, unknown.ExitCode);
            Assert.Contains("There is no account named nobody@example.org", unknown.Error, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await Cli("admin", "create", "--email", "twice@example.org", "--name", "Twice")).ExitCode);
        var again = await Cli("admin", "create", "--email", "twice@example.org", "--name", "Twice");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("exists already", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_is_created_enrolled_rescued_and_listed_from_the_console_and_each_step_is_audited()
    {
        const string email = "rescued.admin@example.org";
        var outputs = new List<ProcessResult>();
        async Task<ProcessResult> Run(params string[] arguments)
        {
            var result = await Cli(arguments);
            outputs.Add(result);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("", result.Error.Trim());
            return result;
        }

        var created = await Run("admin", "create", "--email", email, "--name", "Rescued Administrator", "--language", "fr");
        Assert.Contains("Created the Administrator rescued.admin@example.org (Rescued Administrator).", created.Output, StringComparison.Ordinal);
        var firstLink = PortalCli.LinkIn(created);
        Assert.Matches($"{Regex.Escape(email)}\\tRescued Administrator\\tno authenticator yet, enrolment link open until", (await Run("admin", "list")).Output);

        // A new link replaces the first one, which stops working.
        var link = PortalCli.LinkIn(await Run("admin", "link", "--email", email, "--valid-hours", "2"));
        using var client = _portal.Client();
        Assert.Equal(HttpStatusCode.OK, (await EnrolAsync(client, firstLink)).StatusCode);
        using (var enrolled = await EnrolAsync(client, link))
        {
            Assert.Equal(HttpStatusCode.Redirect, enrolled.StatusCode);
            Assert.StartsWith("/account/two-factor/setup", enrolled.LocalLocation(), StringComparison.Ordinal);
        }

        var setup = await client.GetStringAsync(new Uri("/account/two-factor/setup", UriKind.Relative));
        var account = new TestStaffUser(email, email, Password) { AuthenticatorKey = SetupKey().Match(setup).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() };
        using (var done = await client.PostFormAsync("/account/two-factor/setup", setup, new() { ["Input.Code"] = StaffAccounts.NextCode(account) }))
        {
            Assert.Contains("data-testid=\"setup-done\"", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Matches($"{Regex.Escape(email)}\\tRescued Administrator\\tauthenticator set up\\r?\\n", (await Run("admin", "list")).Output);

        // Wrong passwords lock only the address that sends them; five wrong codes after the right password lock the
        // account itself (and that address out of it), and the console unlocks both.
        using var stranger = _portal.ClientFrom("127.0.0.2");
        for (var i = 0; i < 5; i++)
        {
            using var password = await stranger.SubmitPasswordAsync(email, Password);
            using var _ = await stranger.SubmitFormAsync(AccountPaths.LoginTwoFactor, new() { ["Input.Code"] = WrongCode(account) });
        }

        Assert.Contains("locked out", (await Run("admin", "list")).Output, StringComparison.Ordinal);
        Assert.Contains("rescued.admin@example.org can sign in again.", (await Run("admin", "unlock", "--email", email)).Output, StringComparison.Ordinal);
        Assert.DoesNotContain("locked out", (await Run("admin", "list")).Output, StringComparison.Ordinal);
        using var rescued = _portal.Client();
        using (var signIn = await rescued.SubmitPasswordAsync(email, Password))
        {
            Assert.StartsWith("/account/login-2fa", signIn.LocalLocation(), StringComparison.Ordinal);
        }

        // The console is another process: the running portal learns of the unlock from the account's row, and forgets
        // the failures it counted for the address that sent them as well.
        using (var fromThatAddress = await stranger.SubmitPasswordAsync(email, Password))
        {
            Assert.StartsWith("/account/login-2fa", fromThatAddress.LocalLocation(), StringComparison.Ordinal);
        }

        // A lost phone: the second factor is reset and the person enrols again at the next sign-in.
        await Run("admin", "reset-2fa", "--email", email);
        Assert.Contains("no authenticator yet", (await Run("admin", "list")).Output, StringComparison.Ordinal);

        var console = (await AuditAsync()).Where(e => e.UserName == "console:" + Environment.UserName).ToList();
        Assert.All(console, e => Assert.True(e.IpAddress == "console" && e.Role == "Operator", $"{e.Action} {e.IpAddress} {e.Role}"));
        // The other tests of this class work on the same portal: only this account's entries count here.
        var accountId = link[(link.IndexOf('#', StringComparison.Ordinal) + 1)..].Split('.')[0];
        var forThisAccount = console.Where(e => e.RecordId == accountId).Select(e => (e.Action, Kind(e.Detail))).ToList();
        Assert.Contains(("Created", "from the server console"), forThisAccount);
        Assert.Equal(2, forThisAccount.Count(e => e == ("UserChanged", "enrolment link issued")));
        Assert.Contains(("UserChanged", "unlocked"), forThisAccount);
        Assert.Contains(("UserChanged", "two-factor reset"), forThisAccount);
        Assert.True(console.Count(e => e.Action == "ListedUsers") >= 5);

        // Nothing secret is printed but the links, and nothing secret reaches the portal's log.
        var printed = string.Join("\n", outputs.Select(o => o.Output + o.Error));
        foreach (var secret in new[] { Secret(firstLink), Secret(link) })
        {
            Assert.Single(Regex.Matches(printed, Regex.Escape(secret)));
            Assert.DoesNotContain(secret, _portal.Process.Output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(account.AuthenticatorKey!, printed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Password, _portal.Process.Output, StringComparison.Ordinal);
    }

    private static string Kind(string? detail) =>
        detail is null ? "" : new[] { "enrolment link issued", "unlocked", "two-factor reset", "from the server console" }.FirstOrDefault(k => detail.Contains(k, StringComparison.Ordinal)) ?? detail;

    private static string Secret(string link) => link[(link.IndexOf('#', StringComparison.Ordinal) + 1)..].Split('.')[1];

    private static async Task<HttpResponseMessage> EnrolAsync(HttpClient client, string link) =>
        await client.SubmitFormAsync("/account/enrol", new()
        {
            ["Input.Token"] = link[(link.IndexOf('#', StringComparison.Ordinal) + 1)..],
            ["Input.NewPassword"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });

    private Task<ProcessResult> Cli(params string[] arguments) => PortalCli.RunAsync(_portal.Data.Path, arguments);

    /// <summary>
    /// A command that builds no services (help, or arguments the parser refuses) run in this process, as Program.cs
    /// runs it, in the neutral (English) language that LANG=C gives the console.
    /// </summary>
    private static async Task<ProcessResult> InProcessAsync(string[] arguments)
    {
        Assert.True(OperationsCommands.Handles(arguments), string.Join(' ', arguments));
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exitCode = await OperationsCommands.RunAsync(arguments, new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null });
        return new ProcessResult(exitCode, output.ToString(), error.ToString());
    }

    private async Task<List<(string Action, string? UserName, string? Role, string? IpAddress, string? Detail, string? RecordId)>> AuditAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_portal.Data.Path, "portal.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Action, UserName, Role, IpAddress, Detail, RecordId FROM AuditEntries ORDER BY Id";
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<(string, string?, string?, string?, string?, string?)>();
        while (await reader.ReadAsync())
        {
            entries.Add((reader.GetString(0), await TextOrNullAsync(reader, 1), await TextOrNullAsync(reader, 2), await TextOrNullAsync(reader, 3), await TextOrNullAsync(reader, 4), await TextOrNullAsync(reader, 5)));
        }

        return entries;
    }

    private static async Task<string?> TextOrNullAsync(System.Data.Common.DbDataReader reader, int ordinal) =>
        await reader.IsDBNullAsync(ordinal) ? null : reader.GetString(ordinal);

    [GeneratedRegex("data-testid=\"setup-key\">([^<]+)<")]
    private static partial Regex SetupKey();

    /// <summary>A portal process (Development, no demo data) whose data folder the commands work on while it runs.</summary>
    /// <summary>A six-digit code that is none of the codes the authenticator accepts around now.</summary>
    private static string WrongCode(TestStaffUser account)
    {
        var totp = new Totp(Base32Encoding.ToBytes(account.AuthenticatorKey));
        var near = new[] { -60, -30, 0, 30, 60 }.Select(s => totp.ComputeTotp(DateTime.UtcNow.AddSeconds(s))).ToHashSet();
        return new[] { "123456", "654321", "111111", "222222" }.First(code => !near.Contains(code));
    }

    public sealed class RunningPortal : IAsyncLifetime
    {
        public TempDirectory Data { get; } = new("portal-cli");

        public PortalProcess Process { get; private set; } = null!;

        public HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(Process.BaseUrl) };

        /// <summary>A client whose connections come from another loopback address, as a second person's would.</summary>
        public HttpClient ClientFrom(string sourceAddress)
        {
            var portal = new Uri(Process.BaseUrl);
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = true,
                CookieContainer = new CookieContainer(),
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    try
                    {
                        socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
                        await socket.ConnectAsync(IPAddress.Loopback, portal.Port, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            return new HttpClient(handler) { BaseAddress = portal };
        }

        public async Task InitializeAsync() =>
            Process = await PortalProcess.StartAsync(Data.Path, new Dictionary<string, string> { ["Portal:SeedDemoData"] = "false" });

        public async Task DisposeAsync()
        {
            if (Process is not null)
            {
                await Process.DisposeAsync();
            }

            SqliteConnection.ClearAllPools();
            Data.Dispose();
        }
    }
}
