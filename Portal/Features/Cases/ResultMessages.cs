using Microsoft.Extensions.Localization;

namespace Portal.Features.Cases;

public static class ResultMessages
{
    /// <summary>
    /// The user-facing sentence for a failed command: a translation by code where one exists, else the domain's
    /// own English sentence, which always says what was attempted and why it was refused.
    /// </summary>
    public static string Describe(this IStringLocalizer<CaseText> text, CommandResult result)
    {
        if (result.Outcome == CommandOutcome.Conflict)
        {
            return text["Conflict", result.ChangedBy ?? text["SomeoneElse"], result.ChangedAtUtc?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? ""];
        }

        if (result.Outcome == CommandOutcome.NotFound)
        {
            return text["CaseNotFound"];
        }

        var translated = result.Code is null ? null : text[$"Error_{result.Code}"];
        return translated is { ResourceNotFound: false } ? translated.Value : result.Message ?? text["Failed"];
    }
}
