namespace Portal.Tests.TestSupport;

public static class RepositoryPaths
{
    /// <summary>The folder holding Portal.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, whichever built these tests, so the app under test matches.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string PortalProject => Path.Combine(Root, "Portal");

    public static string PortalAssembly => Path.Combine(PortalProject, "bin", Configuration, "net10.0", "Portal.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Portal.sln was not found above " + AppContext.BaseDirectory);
    }
}
