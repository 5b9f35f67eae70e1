namespace Portal.Tests.TestSupport;

/// <summary>The portal's console commands run as an operator runs them: <c>dotnet Portal.dll …</c> in the portal's folder.</summary>
public static class PortalCli
{
    /// <summary>With the built portal (Debug or Release, as the tests), on a data folder, in the given environment.</summary>
    public static Task<ProcessResult> RunAsync(string dataDirectory, IEnumerable<string> arguments, string environment = "Development", IDictionary<string, string>? settings = null)
    {
        var variables = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["Portal__DataDirectory"] = dataDirectory,
            ["LANG"] = "C.UTF-8",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            variables[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return ProcessRun.RunAsync("dotnet", [RepositoryPaths.PortalAssembly, .. arguments], RepositoryPaths.PortalProject, variables, TimeSpan.FromMinutes(3));
    }

    /// <summary>With a published portal and an environment file, as docs/operations.md tells the operator to; <paramref name="overrides"/> replace some of its settings.</summary>
    public static Task<ProcessResult> RunPublishedAsync(string publishedFolder, string environmentFile, IEnumerable<string> arguments, IDictionary<string, string>? overrides = null)
    {
        var variables = new Dictionary<string, string>(DeployFiles.ReadEnvironmentFile(environmentFile)) { ["LANG"] = "C.UTF-8" };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        return ProcessRun.RunAsync("dotnet", [PublishedPortal.Assembly(publishedFolder), .. arguments], publishedFolder, variables, TimeSpan.FromMinutes(3));
    }

    /// <summary>The one-time link a create or link command printed (the only line with a '#').</summary>
    public static string LinkIn(ProcessResult result)
    {
        var links = result.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("/account/enrol#", StringComparison.Ordinal)).ToList();
        Assert.True(links.Count == 1, "Expected exactly one enrolment link in: " + result);
        return links[0];
    }
}
