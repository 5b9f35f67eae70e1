namespace Portal.Tests.TestSupport;

/// <summary>
/// The portal published in Release, as an operator would (<c>dotnet publish -c Release</c>), once per test run and shared
/// by every test that needs it.
/// </summary>
public static class PublishedPortal
{
    private static readonly Lazy<Task<string>> Folder = new(PublishAsync);

    public static Task<string> GetAsync() => Folder.Value;

    public static string Assembly(string folder) => Path.Combine(folder, "Portal.dll");

    private static async Task<string> PublishAsync()
    {
        // Beside the test binaries, replaced by the next run's publish: nothing is left behind in the system's temp folder.
        var folder = Path.Combine(AppContext.BaseDirectory, "published-portal");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var result = await ProcessRun.RunAsync(
            "dotnet",
            ["publish", Path.Combine(RepositoryPaths.PortalProject, "Portal.csproj"), "--configuration", "Release", "--output", folder, "--nologo", "-v", "q"],
            RepositoryPaths.Root,
            timeout: TimeSpan.FromMinutes(20));
        if (result.ExitCode != 0 || !File.Exists(Assembly(folder)))
        {
            throw new InvalidOperationException("dotnet publish failed: " + result);
        }

        return folder;
    }
}
