using Portal.Infrastructure.Configuration;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Faults;

/// <summary>
/// Real portal processes started on a data folder they cannot use. Each refuses to start with one plain message that
/// names the folder and what to do (no stack trace), and an exit code of its own, instead of running on regardless.
/// </summary>
public sealed class StartupRefusalTests
{
    private static readonly Dictionary<string, string> Quiet = new() { ["Portal:SeedDemoData"] = "false" };

    [Fact]
    public async Task A_damaged_key_file_stops_start_up_naming_the_folder_and_what_to_restore()
    {
        using var data = new TempDirectory("portal-keys-damaged");
        await StartAndStopAsync(data.Path);
        var keyFile = Assert.Single(Directory.GetFiles(Path.Combine(data.Path, "keys"), "key-*.xml"));
        await File.WriteAllTextAsync(keyFile, (await File.ReadAllTextAsync(keyFile))[..120]); // cut short, as by a full disk or a bad copy

        var (exitCode, output) = await PortalProcess.RunToExitAsync(data.Path, Quiet);

        Assert.Equal(StartupRefusedException.ExitCode, exitCode);
        AssertKeyRefusal(output, "its database holds data encrypted with Data Protection keys that the key ring cannot read");
        Assert.Contains($"Key ring: {Path.Combine(data.Path, "keys")}", output, StringComparison.Ordinal);
        Assert.Contains($"{Path.GetFileName(keyFile)} is damaged", output, StringComparison.Ordinal);
        Assert.Contains($"Restore the folder {Path.Combine(data.Path, "keys")} from the backup", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_keys_folder_stops_start_up_instead_of_quietly_starting_a_new_key_ring()
    {
        using var data = new TempDirectory("portal-keys-lost");
        await StartAndStopAsync(data.Path);
        var keys = Path.Combine(data.Path, "keys");
        var keyId = Path.GetFileNameWithoutExtension(Assert.Single(Directory.GetFiles(keys, "key-*.xml")))["key-".Length..];
        Directory.Delete(keys, recursive: true);

        var (exitCode, output) = await PortalProcess.RunToExitAsync(data.Path, Quiet);

        Assert.Equal(StartupRefusedException.ExitCode, exitCode);
        AssertKeyRefusal(output, "the key ring cannot read");
        Assert.Contains($"key {keyId}: the key is not in the key ring", output, StringComparison.Ordinal);
        Assert.Contains($"(key-{keyId}.xml is not in the folder)", output, StringComparison.Ordinal);
        Assert.Contains($"Restore the folder {keys} from the backup", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_portal_on_the_same_data_folder_is_refused_naming_the_process_that_holds_it()
    {
        using var data = new TempDirectory("portal-two");
        await using var first = await PortalProcess.StartAsync(data.Path, Quiet);

        var (exitCode, output) = await PortalProcess.RunToExitAsync(data.Path, Quiet);

        Assert.Equal(StartupRefusedException.ExitCode, exitCode);
        AssertRefusal(output, $"its data folder {data.Path} is in use by another portal (process {first.ProcessId} on {Environment.MachineName}");
        using var http = new HttpClient();
        using var health = await http.GetAsync(new Uri(first.BaseUrl + "/health"));
        Assert.True(health.IsSuccessStatusCode, "the first portal is untouched");
    }

    [Fact]
    public async Task Half_written_mail_left_by_a_killed_portal_is_removed_at_start_up()
    {
        using var data = new TempDirectory("portal-parts");
        var temporary = Directory.CreateDirectory(Path.Combine(data.Path, "mail-pickup", ".tmp")).FullName;
        var parts = Enumerable.Range(1, 3).Select(i => Path.Combine(temporary, $"FollowUpDue_{Guid.NewGuid():N}_x_Email_20260101T000000Z.{Guid.NewGuid():N}.part")).ToList();
        await Task.WhenAll(parts.Select(part => File.WriteAllTextAsync(part, "From: portal@localhost\r\nSubject: half a mess")));
        var finished = Path.Combine(data.Path, "mail-pickup", "FollowUpDue_done.eml");
        await File.WriteAllTextAsync(finished, "a finished message stays");

        await using (await PortalProcess.StartAsync(data.Path, Quiet))
        {
            Assert.All(parts, part => Assert.False(File.Exists(part), $"{part} was left"));
            Assert.True(File.Exists(finished));
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the test sets Unix file modes
    public async Task A_read_only_data_folder_stops_start_up_saying_which_folder_and_what_permission_is_missing()
    {
        using var parent = new TempDirectory("portal-readonly");
        var data = Directory.CreateDirectory(Path.Combine(parent.Path, "data")).FullName;
        File.SetUnixFileMode(parent.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            var (exitCode, output) = await PortalProcess.RunToExitAsync(data, environment: "Production", runAsNobody: true);

            Assert.Equal(StartupRefusedException.ExitCode, exitCode);
            AssertRefusal(output, $"it cannot create files in {data}");
            Assert.Contains("needs write permission there", output, StringComparison.Ordinal);
            Assert.Contains($"the data folder {data} and everything in it must belong to that user", output, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The portal's first start on a folder writes its key ring and the canary; then it is stopped.</summary>
    private static async Task StartAndStopAsync(string data)
    {
        await using var portal = await PortalProcess.StartAsync(data, Quiet);
    }

    /// <summary>
    /// The key ring's own log of what it could not read comes first, with its stack trace (for whoever investigates);
    /// the portal's plain refusal is the last word.
    /// </summary>
    private static void AssertKeyRefusal(string output, string expected)
    {
        var refusal = output[output.LastIndexOf("The portal will not start: ", StringComparison.Ordinal)..];
        Assert.Contains(expected, refusal, StringComparison.Ordinal);
        Assert.EndsWith("every identity stored so far would stay unreadable.", refusal.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    private static void AssertRefusal(string output, string expected)
    {
        Assert.Contains("The portal will not start: ", output, StringComparison.Ordinal);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }
}
