namespace Portal.Benchmarks.Hosting;

public static class RepositoryPaths
{
    /// <summary>The folder holding Portal.sln, found by walking up from the running binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, whichever built the running binaries.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

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
