using System.Collections.ObjectModel;
using Portal.Domain.Common;
using Portal.Features.Cases;

namespace Portal.Features.Referrals;

/// <summary>
/// One problem with one field of a form, found on the server before anything was saved. <see cref="Code"/> is what the
/// page translates; <see cref="Message"/> is the English fallback; <see cref="Arguments"/> fill the translation.
/// </summary>
public sealed record FieldProblem(string Code, string Message, params object[] Arguments);

/// <summary>
/// What a form's command did: the command's result and, when the input was refused, the problems per field so the page
/// can show each next to its field. <see cref="Id"/> is the record a create made.
/// </summary>
public sealed record FormResult(CommandResult Result, IReadOnlyDictionary<string, FieldProblem> Fields, Guid? Id = null)
{
    public const string InvalidCode = "validation.form";

    private static readonly IReadOnlyDictionary<string, FieldProblem> NoProblems = ReadOnlyDictionary<string, FieldProblem>.Empty;

    public bool Succeeded => Result.Succeeded;

    public CommandOutcome Outcome => Result.Outcome;

    public static FormResult Done(Guid? id = null) => new(CommandResult.Done, NoProblems, id);

    public static FormResult NotFound { get; } = new(CommandResult.NotFound, NoProblems);

    public static FormResult From(CommandResult result) => new(result, NoProblems);

    public static FormResult Refused(DomainException refusal) => From(CommandResult.Refused(refusal));

    public static FormResult Invalid(FormProblems problems) =>
        new(new CommandResult(CommandOutcome.Refused, string.Join(" ", problems.All.Values.Select(p => p.Message)), InvalidCode), problems.All);

    public FieldProblem? For(string field) => Fields.GetValueOrDefault(field);
}

/// <summary>Collects field problems while a service checks a form; the first problem per field is the one shown.</summary>
public sealed class FormProblems
{
    private readonly Dictionary<string, FieldProblem> _problems = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, FieldProblem> All => _problems;

    public bool Any => _problems.Count > 0;

    public void Add(string field, string code, string message, params object[] arguments) =>
        _problems.TryAdd(field, new FieldProblem(code, message, arguments));

    /// <summary>Required text: present, not blank, within its length and free of null characters (the domain's rules).</summary>
    public string? Text(string field, string? value, string label, int maxLength, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, ErrorCodes.Required, $"{label} is required.");
            }

            return null;
        }

        if (value.Length > maxLength)
        {
            Add(field, ErrorCodes.TooLong, $"{label} is {value.Length} characters long; at most {maxLength} are allowed.", maxLength);
        }
        else if (value.Contains('\0'))
        {
            Add(field, ErrorCodes.NullCharacter, $"{label} contains a null character, which is not allowed.");
        }

        return value;
    }

    public T? Defined<T>(string field, T? value, string label)
        where T : struct, Enum
    {
        if (value is null)
        {
            Add(field, ErrorCodes.Required, $"{label} is required.");
            return null;
        }

        if (!Enum.IsDefined(value.Value))
        {
            Add(field, ErrorCodes.InvalidValue, $"{label} has an unknown value '{value}'.");
            return null;
        }

        return value;
    }
}
