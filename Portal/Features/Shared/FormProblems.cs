using Portal.Domain.Common;

namespace Portal.Features.Shared;

/// <summary>
/// One problem with one field of a form, found on the server before anything was saved. <see cref="Code"/> is what the
/// page translates; <see cref="Message"/> is the English fallback; <see cref="Arguments"/> fill the translation.
/// </summary>
public sealed record FieldProblem(string Code, string Message, params object[] Arguments);

/// <summary>
/// Collects field problems while a command checks its form; the first problem per field is the one shown. The checks
/// repeat the domain's own guards field by field, so that each problem is said next to its field.
/// </summary>
public sealed class FormProblems
{
    private readonly Dictionary<string, FieldProblem> _problems = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, FieldProblem> All => _problems;

    public bool Any => _problems.Count > 0;

    public void Add(string field, string code, string message, params object[] arguments) =>
        _problems.TryAdd(field, new FieldProblem(code, message, arguments));

    /// <summary>Text within its length and free of null characters (the domain's rules); required text must not be blank.</summary>
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

    /// <summary>A required choice that must be one of the enumeration's values.</summary>
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
