using System.Net;
using System.Text.RegularExpressions;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Portal.Tests.Localization;

/// <summary>
/// No words written straight into a component's markup: everything a person reads on a page comes from resources, so
/// it exists in every language. Checked on the compiled components rather than the .razor text, because the compiler has
/// already told markup from C#: text in markup becomes a string constant handed to the render tree (AddMarkupContent,
/// AddContent), and a literal attribute or parameter value becomes a constant next to its name. A constant with a
/// letter in it, in text or in an attribute people read (a label, a title, a placeholder...), is a literal in markup.
/// </summary>
public sealed partial class MarkupLiteralTests
{
    private const string RenderTreeBuilder = "Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder";

    /// <summary>Attributes and component parameters whose value is shown or read aloud.</summary>
    private static readonly HashSet<string> ReadAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Label", "Text", "Title", "Placeholder", "HelperText", "Tooltip", "aria-label", "alt", "ButtonText", "Message",
        "ContentText", "YesText", "NoText", "CancelText", "AdornmentAriaLabel", "ConfirmText", "Caption", "Description",
    };

    [Fact]
    public void No_component_writes_readable_text_that_is_not_from_resources()
    {
        var found = Literals().Select(l => $"{l.Component}: \"{l.Text}\"").Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.True(found.Count == 0, $"Words in markup that no translation reaches (put them in the feature's resources):{Environment.NewLine}{string.Join(Environment.NewLine, found)}");
    }

    [Fact]
    public void No_component_shows_an_enumeration_value_by_its_code_name()
    {
        // "Moyen de contact : Phone": an enumeration written straight into markup shows its C# name in every language.
        var raw = RenderCode().RawEnums.Select(e => $"{e.Component}: {e.Enum}").Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.True(raw.Count == 0, $"Enumeration values written into markup as they are (use L.Of(value)):{Environment.NewLine}{string.Join(Environment.NewLine, raw)}");
    }

    [Fact]
    public void Every_enumeration_value_a_page_shows_has_a_translation()
    {
        // EnumText.Of falls back to the value's name split into English words; every value a page shows needs its own entry.
        var shown = RenderCode().ShownEnums;
        // A feature may word a value its own way (EnumText.Of(featureText, shared, value)); any staff resource's entry counts.
        var keys = Directory.EnumerateFiles(Path.Combine(Portal.Tests.TestSupport.RepositoryPaths.Root, "Portal"), "*.resx", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileNameWithoutExtension(f).Contains('.', StringComparison.Ordinal))
            .SelectMany(f => System.Xml.Linq.XDocument.Load(f).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)).ToHashSet(StringComparer.Ordinal);
        var missing = shown.SelectMany(type => Enum.GetNames(type).Select(value => $"Enum_{type.Name}_{value}")).Where(key => !keys.Contains(key)).Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(shown);
        Assert.True(missing.Count == 0, $"Enumeration values shown on pages without a translation (Enum_<Type>_<Value> in SharedResource):{Environment.NewLine}{string.Join(Environment.NewLine, missing)}");
    }

    [Fact]
    public void The_check_sees_the_components_markup()
    {
        // A guard on the check itself: it reads the render code, where the portal's markup has many constants without words.
        var constants = RenderCode().Constants;
        Assert.Contains(constants, c => c.Component.Contains("CasePage", StringComparison.Ordinal) && c.Text.Contains("data-testid", StringComparison.Ordinal) is false);
        Assert.True(constants.Count > 100, $"only {constants.Count} render constants found");
        Assert.Contains(typeof(Portal.Domain.Cases.CaseStatus), RenderCode().ShownEnums);
    }

    /// <summary>
    /// Words that are meant to stay as they are. The honeypot's label is hidden from people (display: none) and there
    /// for bots that fill every field.
    /// </summary>
    private static readonly HashSet<(string Component, string Text)> Meant = [("Portal.Features.Intake.Honeypot", "Website")];

    private static IEnumerable<(string Component, string Text)> Literals() =>
        RenderCode().Constants.Where(c => HasWords(c.IsMarkup ? VisibleText(c.Text) : c.Text)).Select(c => (c.Component, c.Text)).Where(c => !Meant.Contains(c));

    private sealed record Findings(
        List<(string Component, string Text, bool IsMarkup)> Constants,
        List<(string Component, string Enum)> RawEnums,
        HashSet<Type> ShownEnums);

    private static readonly Lazy<Findings> Scanned = new(Scan);

    private static Findings RenderCode() => Scanned.Value;

    /// <summary>
    /// Walks every method of the portal: the string constants its render code hands to the render tree as text or as a
    /// read attribute's value, the enumeration values it hands over as they are, and the enumerations it translates.
    /// </summary>
    private static Findings Scan()
    {
        var findings = new Findings([], [], []);
        var location = typeof(Program).Assembly.Location;
        using var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(location)!);
        using var module = ModuleDefinition.ReadModule(location, new ReaderParameters { AssemblyResolver = resolver });
        foreach (var type in module.GetTypes())
        {
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                var pending = new List<string>();
                string? pendingEnum = null;
                foreach (var instruction in method.Body.Instructions)
                {
                    if (instruction.OpCode == OpCodes.Ldstr)
                    {
                        pending.Add((string)instruction.Operand);
                        continue;
                    }

                    if ((instruction.OpCode == OpCodes.Box || instruction.OpCode == OpCodes.Constrained) && instruction.Operand is TypeReference boxed && IsEnum(boxed))
                    {
                        pendingEnum = boxed.Name;
                        continue;
                    }

                    if (instruction.Operand is not MethodReference called || (instruction.OpCode != OpCodes.Call && instruction.OpCode != OpCodes.Callvirt))
                    {
                        continue;
                    }

                    if (called.Name is "TypeCheck" or "ToString")
                    {
                        continue; // Razor's no-op type check around a literal parameter value; an enumeration's own name
                    }

                    if (called is GenericInstanceMethod { Name: "Of", GenericArguments: [not GenericParameter and var translated] } && called.DeclaringType.FullName == "Portal.Components.Shared.EnumText")
                    {
                        var definition = translated.Resolve() ?? throw new InvalidOperationException($"{translated.FullName} not found");
                        findings.ShownEnums.Add(Type.GetType($"{definition.FullName.Replace('/', '+')}, {definition.Module.Assembly.Name.Name}", throwOnError: true)!);
                    }

                    if (called.DeclaringType.FullName == RenderTreeBuilder)
                    {
                        findings.Constants.AddRange(Handed(called.Name, pending).Select(c => (ComponentOf(type), c.Text, c.IsMarkup)));
                        if (pendingEnum is not null && called.Name == "AddContent")
                        {
                            findings.RawEnums.Add((ComponentOf(type), pendingEnum));
                        }
                    }

                    pending.Clear();
                    pendingEnum = null;
                }
            }
        }

        return findings;
    }

    private static bool IsEnum(TypeReference type) => type.Resolve() is { IsEnum: true };

    private static IEnumerable<(string Text, bool IsMarkup)> Handed(string builderMethod, List<string> pending)
    {
        switch (builderMethod)
        {
            case "AddMarkupContent":
                return pending.Count > 0 ? [(pending[^1], true)] : [];
            case "AddContent":
                return pending.Select(p => (p, false)); // all branches of a conditional text
            case "AddAttribute" or "AddComponentParameter" when pending.Count >= 2 && ReadAttributes.Contains(pending[^2]):
                return [(pending[^1], false)];
            default:
                return [];
        }
    }

    private static string ComponentOf(TypeDefinition type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.FullName;
    }

    /// <summary>
    /// Markup's text and its read attributes' values, without tags, comments, scripts and styles, nor an element that
    /// declares its own language (lang="..."): that text is meant to be in that language whatever the page's.
    /// </summary>
    private static string VisibleText(string markup)
    {
        var withoutCode = NotRead().Replace(markup, " ");
        var attributes = ReadAttribute().Matches(withoutCode).Select(m => m.Groups["value"].Value);
        return string.Join(" ", Tag().Replace(withoutCode, " "), string.Join(" ", attributes));
    }

    private static bool HasWords(string text) => WebUtility.HtmlDecode(text).Any(char.IsLetter);

    [GeneratedRegex(@"<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>|<(?<tag>\w+)\b[^>]*\blang=""[^""]*""[^>]*>.*?</\k<tag>>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex NotRead();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex(@"\b(?:title|placeholder|aria-label|alt)\s*=\s*""(?<value>[^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex ReadAttribute();
}
