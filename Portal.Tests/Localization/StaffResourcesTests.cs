using System.Text.RegularExpressions;
using System.Xml.Linq;
using Portal.Resources;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Localization;

/// <summary>
/// Every staff resource file is translated into every staff language: the same keys, no empty value, the same
/// placeholders. The public pages' IntakeText has its own, wider check (PublicCulturesTests).
/// </summary>
public sealed partial class StaffResourcesTests
{
    public static TheoryData<string> StaffResources()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "Portal"), "*.resx", SearchOption.AllDirectories)
                     .Where(f => !Path.GetFileNameWithoutExtension(f).Contains('.', StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && Path.GetFileName(f) != "IntakeText.resx")
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepositoryPaths.Root, file));
        }

        return data;
    }

    [Fact]
    public void The_staff_resources_are_found() => Assert.True(StaffResources().Count >= 10);

    [Theory]
    [MemberData(nameof(StaffResources))]
    public void Each_staff_language_has_every_key_non_empty_with_the_same_placeholders(string neutralFile)
    {
        var neutral = Load(Path.Combine(RepositoryPaths.Root, neutralFile));
        Assert.All(neutral, entry => Assert.False(string.IsNullOrWhiteSpace(entry.Value), $"{neutralFile}: {entry.Key} is empty"));
        foreach (var culture in StaffCultures.All.Where(c => c != "en"))
        {
            var translatedFile = Path.Combine(RepositoryPaths.Root, Path.ChangeExtension(neutralFile, $".{culture}.resx"));
            Assert.True(File.Exists(translatedFile), $"{neutralFile} has no {culture} translation");
            var translated = Load(translatedFile);
            Assert.Equal(neutral.Keys.Order(StringComparer.Ordinal), translated.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, value) in translated)
            {
                Assert.False(string.IsNullOrWhiteSpace(value), $"{translatedFile}: {key} is empty");
                Assert.True(Placeholders(neutral[key]).SetEquals(Placeholders(value)), $"{translatedFile}: {key} has other placeholders than English");
            }
        }
    }

    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(file).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => d.Element("value")?.Value ?? "", StringComparer.Ordinal);

    private static HashSet<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\{(\d+)[^}]*\}")]
    private static partial Regex Placeholder();
}
