using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Portal.Domain.Common;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Localization;

/// <summary>
/// A refused command is described in the user's language by its code (<c>Error_{code}</c> in CommandText, see
/// CommandMessages.Describe); the English sentence the code carries is only a developer's fallback. So every code the
/// domain and the services can refuse with has its sentence, and every validation code its field message; the
/// resource tests see that each exists in French too.
/// </summary>
public sealed partial class RefusalTranslationTests
{
    private static readonly HashSet<string> Keys = XDocument.Load(Path.Combine(RepositoryPaths.Root, "Portal/Features/Shared/CommandText.resx")).Root!
        .Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Every_refusal_code_has_a_sentence()
    {
        var codes = DomainCodes().Concat(ServiceCodes()).Distinct(StringComparer.Ordinal).ToList();
        var missing = codes.Where(code => !Keys.Contains($"Error_{code}")).Order(StringComparer.Ordinal).ToList();

        Assert.Contains("identity.reason-required", codes);
        Assert.True(missing.Count == 0, $"Refusal codes without a translated sentence (Error_<code> in CommandText.resx): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_validation_code_has_a_field_message()
    {
        var missing = DomainCodes().Where(code => code.StartsWith("validation.", StringComparison.Ordinal) && !Keys.Contains($"Field_{code}")).ToList();

        Assert.True(missing.Count == 0, $"Validation codes without a field message (Field_<code>): {string.Join(", ", missing)}");
    }

    private static IEnumerable<string> DomainCodes() =>
        typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    /// <summary>Codes a service writes in place, as in <c>CommandResult.Refused("identity.reason-required", ...)</c>.</summary>
    private static IEnumerable<string> ServiceCodes() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "Portal", "Features"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => LiteralRefusal().Matches(File.ReadAllText(file)).Select(m => m.Groups["code"].Value));

    [GeneratedRegex(@"CommandResult(?:<[^>]+>)?\.Refused\(\s*""(?<code>[^""]+)""")]
    private static partial Regex LiteralRefusal();
}
