using Microsoft.Extensions.Localization;
using Portal.Components.Shared;
using Portal.Features.Cases;
using Portal.Resources;

namespace Portal.Features.Referrals;

public static class ReferralMessages
{
    /// <summary>
    /// The sentence for a failed command: a translation by code where one exists, else the domain's own English sentence,
    /// which always says what was attempted and why it was refused.
    /// </summary>
    public static string Describe(this IStringLocalizer<ReferralText> text, CommandResult result) => result.Outcome switch
    {
        CommandOutcome.Done => "",
        CommandOutcome.Conflict => text["Conflict", result.ChangedBy ?? text["SomeoneElse"], result.ChangedAtUtc?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? ""],
        CommandOutcome.NotFound => text["NotFound"],
        CommandOutcome.Forbidden => text["Forbidden"],
        _ when result.Code == FormResult.InvalidCode => text["Invalid"],
        _ => result.Code is { } code && text[$"Error_{code}"] is { ResourceNotFound: false } translated ? translated.Value : result.Message ?? text["Failed"],
    };

    public static string Describe(this IStringLocalizer<ReferralText> text, FormResult result) => text.Describe(result.Result);

    /// <summary>The problem with one field, translated, or null when the field is fine.</summary>
    public static string? Problem(this IStringLocalizer<ReferralText> text, FormResult? result, string field)
    {
        if (result?.For(field) is not { } problem)
        {
            return null;
        }

        var translated = text[$"Field_{problem.Code}", problem.Arguments];
        return translated.ResourceNotFound ? problem.Message : translated.Value;
    }

    /// <summary>A domain enumeration value in the user's language: this feature's translation first, then the shared one.</summary>
    public static string Of<TEnum>(this IStringLocalizer<ReferralText> text, IStringLocalizer<SharedResource> shared, TEnum value)
        where TEnum : struct, Enum
    {
        var translated = text[$"Enum_{typeof(TEnum).Name}_{value}"];
        return translated.ResourceNotFound ? shared.Of(value) : translated.Value;
    }
}
