using System.Text;
using Portal.Domain.Cases;
using Portal.Domain.Intake;

namespace Portal.Features.Intake;

/// <summary>
/// Server-side checks of the public forms, with the domain's limits. Text is kept exactly as written (markup,
/// "javascript:", direction overrides are harmless as data and rendered as text); only null characters are
/// refused, because they break storage. Errors are resource keys by field id, shown next to their field.
/// </summary>
public static class IntakeValidation
{
    public const int MaxTrustedPersonLength = 300;

    /// <summary>
    /// Letters the account needs at the least: a few words ("help me", "msaada") pass, a stray "ab" or "..." does not.
    /// Counted as letters in any script, so punctuation, digits and spaces do not make up for them.
    /// </summary>
    public const int MinAccountLetters = 5;

    public static IReadOnlyDictionary<string, string> Validate(IntakeForm form, out IntakeRequest? request, string language)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);

        string? Text(string? value, string field, int maxLength, string tooLongKey = "Error_TooLong")
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                errors[field] = "Error_NullCharacter";
            }
            else if (value.Length > maxLength)
            {
                errors[field] = tooLongKey;
            }

            return value;
        }

        var account = Text(form.Account, "account", IntakeSubmission.WhatHappenedMaxLength, "Error_AccountTooLong");
        if (account is null)
        {
            errors["account"] = "Error_AccountRequired";
        }
        else if (!errors.ContainsKey("account") && account.EnumerateRunes().Count(Rune.IsLetter) < MinAccountLetters)
        {
            errors["account"] = "Error_AccountTooShort";
        }

        var area = Text(form.Area, "area", IntakeSubmission.AreaMaxLength);
        var phone = Phone(Text(form.Phone, "phone", IdentityRecord.PhoneMaxLength), "phone");
        var whatsApp = Phone(Text(form.WhatsApp, "whatsapp", IdentityRecord.PhoneMaxLength), "whatsapp");
        var email = Text(form.Email, "email", IdentityRecord.EmailMaxLength);
        var trusted = Text(form.TrustedPerson, "trusted", MaxTrustedPersonLength);
        var safeTimes = Text(form.SafeTimes, "safe-times", IntakeSubmission.SafeTimesMaxLength);
        if (email is not null && !errors.ContainsKey("email") && !LooksLikeEmail(email))
        {
            errors["email"] = "Error_Email";
        }

        string? Phone(string? typed, string field)
        {
            if (typed is null || errors.ContainsKey(field))
            {
                return typed;
            }

            var number = IntakePhoneNumbers.Check(typed, form.Country, out var error);
            if (error is not null)
            {
                errors[field] = error;
            }

            return number;
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
                form.ChildBorn ?? ChildBornAnswer.PreferNotToSay, // unanswered: the person chose not to say
                new ContactDetails(phone, whatsApp, email, trusted, form.InPerson, safeTimes),
                language);
        return errors;
    }

    /// <summary>An addition needs some text or a new safe time; each field's problem under its own name ("addition", "addition-safe-times").</summary>
    public static IReadOnlyDictionary<string, string> ValidateAddition(string? text, string? safeTimes)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text) && string.IsNullOrWhiteSpace(safeTimes))
        {
            errors["addition"] = "Error_AdditionRequired";
            return errors;
        }

        if (Problem(text, IntakeSubmission.AdditionMaxLength, "Error_AccountTooLong") is { } textProblem)
        {
            errors["addition"] = textProblem;
        }

        if (Problem(safeTimes, IntakeSubmission.SafeTimesMaxLength, "Error_TooLong") is { } timesProblem)
        {
            errors["addition-safe-times"] = timesProblem;
        }

        return errors;

        static string? Problem(string? value, int maxLength, string tooLongKey) =>
            value is null ? null
            : value.Contains('\0', StringComparison.Ordinal) ? "Error_NullCharacter"
            : value.Length > maxLength ? tooLongKey
            : null;
    }

    // As loose as the identity record's own check: one "@" and no spaces. The office writes back by hand and can ask again.
    private static bool LooksLikeEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < value.Length - 1 && !value.Any(char.IsWhiteSpace);
    }
}
