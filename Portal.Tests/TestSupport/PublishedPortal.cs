namespace Portal.Tests.TestSupport;

/// <summary>
/// The portal published in Release, as an operator would (<c>dotnet publish -c Release</c>), once per test run and shared
/// by every test that needs it; deleted when the run ends.
/// </summary>
public static class PublishedPortal
{
    private static readonly Lazy<Task<string>> Folder = new(PublishAsync);

    public static Task<string> GetAsync() => Folder.Value;

    public static string Assembly(string folder) => Path.Combine(folder, "Portal.dll");

    private static async Task<string> PublishAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"portal-published-{Guid.NewGuid():N}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left to the system's temp cleaning.
            }
        };
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
