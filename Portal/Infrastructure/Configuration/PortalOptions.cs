namespace Portal.Infrastructure.Configuration;

/// <summary>The "Portal" configuration section.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Folder for the SQLite files, keys and the e-mail pickup folder; relative paths start at the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Seeds demo data and demo accounts; only honoured in Development.</summary>
    public bool SeedDemoData { get; set; }

    /// <summary>With <see cref="SeedDemoData"/>: also seed the ~1,800 demo cases (off for test portals that need only the demo accounts).</summary>
    public bool SeedDemoCases { get; set; } = true;

    public string ResolveDataDirectory(string contentRoot) =>
        Path.GetFullPath(Path.IsPathRooted(DataDirectory) ? DataDirectory : Path.Combine(contentRoot, DataDirectory));
}
