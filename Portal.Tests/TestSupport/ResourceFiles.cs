using System.Xml.Linq;

namespace Portal.Tests.TestSupport;

/// <summary>
/// A string from the portal's resource files, so browser tests find what the user reads in their own language without
/// copying translations (which may be reworded) into the tests.
/// </summary>
public static class ResourceFiles
{
    /// <param name="resource">The resource's path without extension, from the repository root, e.g. Portal/Features/Cases/CaseText.</param>
    /// <param name="culture">"en" for the neutral file, else the culture of the translated file.</param>
    public static string Text(string resource, string key, string culture)
    {
        var file = Path.Combine(RepositoryPaths.Root, culture == "en" ? $"{resource}.resx" : $"{resource}.{culture}.resx");
        return XDocument.Load(file).Root!.Elements("data").Single(d => (string?)d.Attribute("name") == key).Element("value")!.Value;
    }
}
