namespace Portal.Features.Intake;

/// <summary>
/// Server-side checks of the public forms. Errors are resource keys by field id, so the page shows them in the
/// person's language next to the field they concern.
/// </summary>
public static class IntakeValidation
{
    /// <summary>Longest short answer (area, phone, safe times...).</summary>
    public const int MaxShortLength = 300;

    public static IReadOnlyDictionary<string, string> Validate(IntakeForm form, int maxTextLength, out IntakeRequest? request, string language)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var account = PublicText.Clean(form.Account);
        if (account is null)
        {
            errors["account"] = "Error_AccountRequired";
        }
        else if (account.Length > maxTextLength)
        {
            errors["account"] = "Error_AccountTooLong";
        }

        string? Short(string? value, string field)
        {
            var cleaned = PublicText.Clean(value);
            if (cleaned is { Length: > MaxShortLength })
            {
                errors[field] = "Error_TooLong";
            }

            return cleaned;
        }

        var area = Short(form.Area, "area");
        var phone = Short(form.Phone, "phone");
        var whatsApp = Short(form.WhatsApp, "whatsapp");
        var email = Short(form.Email, "email");
        var trusted = Short(form.TrustedPerson, "trusted");
        var safeTimes = Short(form.SafeTimes, "safe-times");
        if (email is not null && !errors.ContainsKey("email") && !LooksLikeEmail(email))
        {
            errors["email"] = "Error_Email";
        }

        var country = form.Country;
        if (!string.IsNullOrEmpty(country) && country != IntakeCountries.Elsewhere && !IntakeCountries.IsServed(country))
        {
            errors["country"] = "Error_Country";
        }

        request = errors.Count > 0
            ? null
            : new IntakeRequest(
                account!,
                form.Help,
                IntakeCountries.IsServed(country) ? country : null,
                area,
                form.ChildBorn,
                new ContactDetails(phone, whatsApp, email, trusted, form.InPerson, safeTimes),
                language);
        return errors;
    }

    public static string? ValidateAddition(string? text, int maxTextLength, out string? cleaned)
    {
        cleaned = PublicText.Clean(text);
        return cleaned is null ? "Error_AdditionRequired" : cleaned.Length > maxTextLength ? "Error_AccountTooLong" : null;
    }

    // Deliberately loose: one "@" with something on both sides. The office writes back by hand and can ask again.
    private static bool LooksLikeEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < value.Length - 1 && value.IndexOf('@', at + 1) < 0 && !value.Any(char.IsWhiteSpace);
    }
}
