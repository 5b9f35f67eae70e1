using Mono.Cecil;
using Mono.Cecil.Cil;
using NetArchTest.Rules;
using Portal.Domain.Cases;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Architecture;

/// <summary>
/// The layering, checked rather than hoped for:
/// <list type="bullet">
/// <item>Portal.Domain is pure C#: no ASP.NET Core, EF Core, Hangfire, nor anything of the portal's other layers.</item>
/// <item>Infrastructure serves the features and knows none of them (Startup, the composition root, knows them all).</item>
/// <item>A feature uses another only through its public surface: its services (types named *Service), the models their
/// public members take and return, its components (a page may embed another feature's tab), its options and its routes
/// (*Routes: the URLs other pages link to); and of those only public members. Everything else of a feature, and anything
/// internal, is its own business.
/// Features/Shared is the exception every feature may use, and it uses no feature.</item>
/// </list>
/// </summary>
public sealed class LayeringTests
{
    private const string Features = "Portal.Features.";
    private const string Shared = "Shared";

    private static readonly Lazy<ModuleDefinition> Portal = new(() => ModuleDefinition.ReadModule(typeof(Program).Assembly.Location));

    [Fact]
    public void The_domain_depends_on_no_framework_and_no_other_layer()
    {
        var domain = typeof(Case).Assembly;

        var result = Types.InAssembly(domain).ShouldNot().HaveDependencyOnAny(
            "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Microsoft.Extensions", "Hangfire", "MudBlazor", "Npgsql", "StackExchange",
            "Portal.Infrastructure", "Portal.Features", "Portal.Components", "Portal.Startup").GetResult();

        Assert.True(result.IsSuccessful, Describe(result));
        Assert.All(domain.GetReferencedAssemblies(), a => Assert.Matches("^(System|netstandard|Microsoft.Win32)", a.Name!));
    }

    [Fact]
    public void Infrastructure_depends_on_no_feature()
    {
        var result = Types.InAssembly(typeof(Program).Assembly).That().ResideInNamespace("Portal.Infrastructure")
            .ShouldNot().HaveDependencyOnAny("Portal.Features").GetResult();

        Assert.True(result.IsSuccessful, Describe(result));

        // Constants are copied into the compiled code and leave no trace of where they came from, so read the source too.
        var infrastructure = Path.Combine(RepositoryPaths.PortalProject, "Infrastructure");
        var mentions = Directory.EnumerateFiles(infrastructure, "*.cs", SearchOption.AllDirectories)
            .Where(file => File.ReadAllText(file).Contains("Portal.Features", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(RepositoryPaths.Root, file)).ToList();
        Assert.True(mentions.Count == 0, "Infrastructure names a feature in: " + string.Join(", ", mentions));
    }

    [Fact]
    public void Features_use_one_another_only_through_their_public_surface()
    {
        var violations = CrossFeatureUses().Where(use => Refusal(use) is not null).Select(use => $"{use.From.FullName} → {use.What}: {Refusal(use)}").Distinct().ToList();

        Assert.True(violations.Count == 0, "Features reach into each other:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void The_rule_on_features_sees_cross_feature_uses_and_refuses_internal_ones()
    {
        // The check must see what it judges: pages embedding other features' tabs and calling their services.
        var uses = CrossFeatureUses().ToList();
        Assert.Contains(uses, u => u.From.FullName.StartsWith("Portal.Features.Cases.CasePage", StringComparison.Ordinal) && u.Type.FullName == "Portal.Features.Referrals.ReferralService");
        Assert.Contains(uses, u => u.Type.FullName == "Portal.Features.Referrals.CaseReferrals");

        // And it refuses what breaks the boundary: an internal member of a service, a type that is no surface.
        var queues = Portal.Value.GetType("Portal.Features.Queues.QueueService");
        var hidden = queues.Methods.First(m => !m.IsPublic && !m.IsConstructor && !m.Name.Contains('<', StringComparison.Ordinal));
        var from = Portal.Value.GetType("Portal.Features.Cases.CaseService");
        Assert.NotNull(Refusal(new Use(from, queues, hidden)));
        Assert.Null(Refusal(new Use(from, queues, queues.Methods.First(m => m.Name == "GetPageAsync"))));
        Assert.NotNull(Refusal(new Use(from, Portal.Value.GetType("Portal.Features.Reminders.ReminderMessages"), null)));
        Assert.NotNull(Refusal(new Use(from, Portal.Value.GetType("Portal.Features.Reminders.ReminderScanGate"), null)));
        Assert.Null(Refusal(new Use(from, Portal.Value.GetType("Portal.Features.Reminders.SentNotification"), null)));
        Assert.Null(Refusal(new Use(from, Portal.Value.GetType("Portal.Features.Queues.QueueRoutes"), null)));
        Assert.NotNull(Refusal(new Use(from, Portal.Value.GetType("Portal.Features.Queues.QueueQuery"), null)));
    }

    [Fact]
    public void Shared_uses_no_feature()
    {
        var result = Types.InAssembly(typeof(Program).Assembly).That().ResideInNamespace("Portal.Features.Shared")
            .ShouldNot().HaveDependencyOnAny(Portal.Value.Types.Select(t => t.Namespace).Where(n => n.StartsWith(Features, StringComparison.Ordinal) && FeatureOf(n) != Shared).Distinct().ToArray())
            .GetResult();

        Assert.True(result.IsSuccessful, Describe(result));
    }

    private static string Describe(TestResult result) =>
        string.Join(", ", result.FailingTypes?.Select(t => t.FullName) ?? []);

    /// <summary>One use, by a type of one feature, of a type (and perhaps a member of it) of another feature.</summary>
    private sealed record Use(TypeDefinition From, TypeDefinition Type, IMemberDefinition? Member)
    {
        public string What => Member is null ? Type.FullName : $"{Type.FullName}.{Member.Name}";
    }

    /// <summary>Why the use breaks the boundary, or null when it goes through the other feature's public surface.</summary>
    private static string? Refusal(Use use)
    {
        if (!use.Type.IsPublic && !use.Type.IsNestedPublic)
        {
            return "the type is internal";
        }

        if (!Surface(FeatureOf(use.Type)).Contains(use.Type))
        {
            return "the type is not a service, a model of one, a component, options or routes";
        }

        return use.Member switch
        {
            MethodDefinition { IsPublic: false } => "the member is not public",
            FieldDefinition { IsPublic: false } => "the member is not public",
            _ => null,
        };
    }

    private static readonly Dictionary<string, HashSet<TypeDefinition>> Surfaces = [];

    /// <summary>A feature's services, components, options and routes, and every type of the feature their public members expose.</summary>
    private static HashSet<TypeDefinition> Surface(string feature)
    {
        lock (Surfaces)
        {
            if (Surfaces.TryGetValue(feature, out var known))
            {
                return known;
            }

            var own = Portal.Value.Types.Where(t => t.Namespace.StartsWith(Features, StringComparison.Ordinal) && FeatureOf(t.Namespace) == feature).ToList();
            var surface = new HashSet<TypeDefinition>();
            var pending = new Queue<TypeDefinition>(own.Where(t => t.IsPublic && (t.Name.EndsWith("Service", StringComparison.Ordinal) || t.Name.EndsWith("Options", StringComparison.Ordinal) || t.Name.EndsWith("Routes", StringComparison.Ordinal) || IsComponent(t))));
            while (pending.TryDequeue(out var type))
            {
                if (!surface.Add(type))
                {
                    continue;
                }

                // What callers pass and get back; a constructor's parameters are the type's own dependencies, not its models.
                var exposed = type.Methods.Where(m => m.IsPublic && !m.IsConstructor).SelectMany(m => m.Parameters.Select(p => p.ParameterType).Append(m.ReturnType))
                    .Concat(type.Properties.Where(p => p.GetMethod?.IsPublic == true).Select(p => p.PropertyType))
                    .Concat(type.Fields.Where(f => f.IsPublic).Select(f => f.FieldType));
                foreach (var reference in exposed.SelectMany(Unwrap))
                {
                    if (reference.Namespace.StartsWith(Features, StringComparison.Ordinal) && FeatureOf(reference.Namespace) == feature && reference.Resolve() is { } model)
                    {
                        pending.Enqueue(model);
                    }
                }
            }

            return Surfaces[feature] = surface;
        }
    }

    private static bool IsComponent(TypeDefinition type) =>
        type.BaseType is { } baseType && (baseType.FullName == "Microsoft.AspNetCore.Components.ComponentBase" || (baseType.Namespace.StartsWith("Portal", StringComparison.Ordinal) && baseType.Resolve() is { } parent && IsComponent(parent)));

    /// <summary>Every type a signature names: the type itself, its element type and its generic arguments.</summary>
    private static IEnumerable<TypeReference> Unwrap(TypeReference type)
    {
        yield return type.GetElementType();
        if (type is TypeSpecification { ElementType: { } element } && element != type)
        {
            foreach (var inner in Unwrap(element))
            {
                yield return inner;
            }
        }

        if (type is GenericInstanceType generic)
        {
            foreach (var argument in generic.GenericArguments.SelectMany(Unwrap))
            {
                yield return argument;
            }
        }
    }

    /// <summary>Every use, in the portal's compiled code, by one feature of another feature's types and members.</summary>
    private static IEnumerable<Use> CrossFeatureUses()
    {
        foreach (var type in Portal.Value.GetTypes())
        {
            var outer = type;
            while (outer.DeclaringType is { } declaring)
            {
                outer = declaring;
            }

            if (!outer.Namespace.StartsWith(Features, StringComparison.Ordinal) || FeatureOf(outer.Namespace) == Shared)
            {
                continue;
            }

            var feature = FeatureOf(outer.Namespace);
            foreach (var (reference, member) in References(type))
            {
                var target = reference.Resolve();
                if (target is null)
                {
                    continue;
                }

                var targetOuter = target;
                while (targetOuter.DeclaringType is { } declaring)
                {
                    targetOuter = declaring;
                }

                if (targetOuter.Namespace.StartsWith(Features, StringComparison.Ordinal) && FeatureOf(targetOuter.Namespace) is var other && other != feature && other != Shared)
                {
                    yield return new Use(type, target, member);
                }
            }
        }
    }

    private static IEnumerable<(TypeReference Type, IMemberDefinition? Member)> References(TypeDefinition type)
    {
        var signatures = new List<TypeReference>();
        if (type.BaseType is { } baseType)
        {
            signatures.Add(baseType);
        }

        signatures.AddRange(type.Interfaces.Select(i => i.InterfaceType));
        signatures.AddRange(type.Fields.Select(f => f.FieldType));
        signatures.AddRange(type.Properties.Select(p => p.PropertyType));
        foreach (var method in type.Methods)
        {
            signatures.Add(method.ReturnType);
            signatures.AddRange(method.Parameters.Select(p => p.ParameterType));
            if (!method.HasBody)
            {
                continue;
            }

            signatures.AddRange(method.Body.Variables.Select(v => v.VariableType));
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case MethodReference called:
                        signatures.AddRange(Unwrap(called.DeclaringType));
                        if (called is GenericInstanceMethod genericMethod)
                        {
                            signatures.AddRange(genericMethod.GenericArguments);
                        }

                        yield return (called.DeclaringType.GetElementType(), called.Resolve());
                        break;
                    case FieldReference field:
                        yield return (field.DeclaringType.GetElementType(), field.Resolve());
                        break;
                    case TypeReference referenced:
                        signatures.Add(referenced);
                        break;
                }
            }
        }

        foreach (var signature in signatures.SelectMany(Unwrap))
        {
            if (signature is not GenericParameter)
            {
                yield return (signature, null);
            }
        }
    }

    private static string FeatureOf(TypeDefinition type) => FeatureOf(type.DeclaringType is { } declaring ? Outer(declaring).Namespace : type.Namespace);

    private static TypeDefinition Outer(TypeDefinition type) => type.DeclaringType is { } declaring ? Outer(declaring) : type;

    private static string FeatureOf(string ns) => ns[Features.Length..].Split('.')[0];
}
