namespace Portal.Domain.Common;

/// <summary>Input checks shared by the entities. Text is stored as given: nothing is trimmed or rewritten.</summary>
public static class Guard
{
    /// <summary>ASP.NET Core Identity keys are at most 450 characters.</summary>
    public const int UserIdMaxLength = 450;

    public const int CultureCodeMaxLength = 16;

    public static string Required(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainException(ErrorCodes.Required, $"{field} is required.");
        }

        return Checked(value, field, maxLength);
    }

    /// <summary>Blank optional text becomes null, so "nothing entered" has one representation.</summary>
    public static string? Optional(string? value, string field, int maxLength) =>
        string.IsNullOrWhiteSpace(value) ? null : Checked(value, field, maxLength);

    public static string UserId(string? value, string role) => Required(value, role, UserIdMaxLength);

    public static string CountryCode(string? value)
    {
        var code = Required(value, "Country code", 2).ToUpperInvariant();
        if (code.Length != 2 || !char.IsAsciiLetterUpper(code[0]) || !char.IsAsciiLetterUpper(code[1]))
        {
            throw new DomainException(
                ErrorCodes.InvalidFormat,
                $"Country code '{value}' is not valid: use the two-letter ISO 3166 code, for example CD.");
        }

        return code;
    }

    public static string CultureCode(string? value, string field)
    {
        var code = Required(value, field, CultureCodeMaxLength);
        if (!code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new DomainException(
                ErrorCodes.InvalidFormat,
                $"{field} '{value}' is not a language code such as fr, sg or fr-HT.");
        }

        return code;
    }

    public static List<string> CultureCodes(IEnumerable<string>? values, string field) =>
        (values ?? []).Select(v => CultureCode(v, field)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public static TEnum Defined<TEnum>(TEnum value, string field)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new DomainException(ErrorCodes.InvalidValue, $"{field} has an unknown value '{value}'.");
        }

        return value;
    }

    /// <summary>
    /// Instants are stored in UTC. Values read back by EF arrive as Unspecified and are UTC by convention;
    /// a Local value is a programming error that would silently shift by the server's offset.
    /// </summary>
    public static DateTime Utc(DateTime value, string field)
    {
        if (value.Kind == DateTimeKind.Local)
        {
            throw new ArgumentException($"{field} must be a UTC instant, not local time.", field);
        }

        return DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }

    private static string Checked(string value, string field, int maxLength)
    {
        if (value.Contains('\0'))
        {
            throw new DomainException(ErrorCodes.NullCharacter, $"{field} contains a null character, which is not allowed.");
        }

        if (value.Length > maxLength)
        {
            throw new DomainException(
                ErrorCodes.TooLong,
                $"{field} is {value.Length} characters long; at most {maxLength} are allowed.");
        }

        return value;
    }
}
