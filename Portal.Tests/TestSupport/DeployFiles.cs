using System.Diagnostics;

namespace Portal.Tests.TestSupport;

/// <summary>
/// The operator's files in deploy/, read as their programs read them, so that tests run what is shipped: the systemd
/// unit's command line, working folder and environment file, and the environment file's settings.
/// </summary>
public static class DeployFiles
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "deploy");

    public static string Unit => Path.Combine(Folder, "portal.service");

    public static string EnvironmentExample => Path.Combine(Folder, "portal.env.example");

    public static string NginxSite => Path.Combine(Folder, "nginx.conf");

    /// <summary>KEY=VALUE lines as systemd's EnvironmentFile reads them (comments and blank lines skipped).</summary>
    public static Dictionary<string, string> ReadEnvironmentFile(string path)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0, $"{path}: '{line}' is not KEY=VALUE");
            settings[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }

        return settings;
    }

    public static void WriteEnvironmentFile(string path, IReadOnlyDictionary<string, string> settings) =>
        File.WriteAllLines(path, settings.Select(s => $"{s.Key}={s.Value}"));

    /// <summary>The [Service] section's settings of the unit (the last value of a key wins, as in systemd).</summary>
    public static Dictionary<string, string> ReadUnitService()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var inService = false;
        foreach (var raw in File.ReadAllLines(Unit))
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                inService = line == "[Service]";
                continue;
            }

            if (inService && line.Length > 0 && line[0] != '#' && line.IndexOf('=', StringComparison.Ordinal) is var equals and > 0)
            {
                settings[line[..equals]] = line[(equals + 1)..];
            }
        }

        return settings;
    }

    /// <summary>
    /// The process the unit starts, with the install paths mapped to the test's (/opt/portal to the published folder,
    /// the environment file to the test's copy): its ExecStart, WorkingDirectory and EnvironmentFile, nothing more.
    /// </summary>
    public static ProcessStartInfo StartInfoFromUnit(string publishedFolder, string environmentFile)
    {
        var unit = ReadUnitService();
        string Map(string value) => value.Replace("/opt/portal", publishedFolder, StringComparison.Ordinal);
        var command = unit["ExecStart"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(File.Exists(command[0]), $"The unit starts {command[0]}, which is not on this machine.");
        Assert.Equal("/etc/portal/portal.env", unit["EnvironmentFile"]);
        var start = new ProcessStartInfo(command[0]) { WorkingDirectory = Map(unit["WorkingDirectory"]) };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(Map(argument));
        }

        foreach (var (key, value) in ReadEnvironmentFile(environmentFile))
        {
            start.Environment[key] = value;
        }

        return start;
    }
}
