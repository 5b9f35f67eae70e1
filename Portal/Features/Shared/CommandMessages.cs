using Microsoft.Extensions.Localization;
using Portal.Components.Shared;
using Portal.Domain.Common;

namespace Portal.Features.Shared;

/// <summary>Marker for the strings every command's answer may need (CommandText.resx, CommandText.fr.resx).</summary>
public sealed class CommandText;

/// <summary>The user's sentence for a command's result, and for each field a form was refused on.</summary>
public static class CommandMessages
{
    /// <summary>
    /// The sentence for a failed command: a conflict names who saved, when and what they changed; a domain refusal is
    /// translated by its code where a translation exists, else the domain's own English sentence, which always says what
    /// was attempted and why it was refused.
    /// </summary>
    public static string Describe(this IStringLocalizer<CommandText> text, CommandResult result) => result.Outcome switch
    {
        CommandOutcome.Done => "",
        CommandOutcome.Conflict => DescribeConflict(text, result.Conflict),
        CommandOutcome.NotFound => text["NotFound"],
        CommandOutcome.SessionEnded => text["SessionEnded"],
        CommandOutcome.Forbidden => text["Forbidden"],
        _ when result.Code == CommandResult.InvalidCode => text["Invalid"],
        _ => result.Code is { } code && text[$"Error_{code}"] is { ResourceNotFound: false } translated ? translated.Value : result.Message ?? text["Failed"],
    };

    /// <summary>The problem with one field, translated, or null when the field is fine.</summary>
    public static string? Problem(this IStringLocalizer<CommandText> text, CommandResult? result, string field)
    {
        if (result?.For(field) is not { } problem)
        {
            return null;
        }

        var translated = text[$"Field_{problem.Code}", problem.Arguments];
        return translated.ResourceNotFound ? problem.Message : translated.Value;
    }

    private static string DescribeConflict(IStringLocalizer<CommandText> text, Conflict? conflict)
    {
        var by = UserText.Isolate(conflict?.By) ?? text["SomeoneElse"];
        var at = conflict?.AtUtc is { } atUtc ? TimeZones.Describe(atUtc, conflict.ViewerTimeZoneId) : "";
        var ofRecord = conflict is null ? null : text[$"Conflict_{conflict.RecordType}", by, at];
        var sentence = ofRecord is { ResourceNotFound: false } ? ofRecord.Value : text["Conflict", by, at].Value;
        return conflict is { Changed.Count: > 0 } changed
            ? $"{sentence} {text["ConflictChanged", string.Join(", ", changed.Changed.Select(a => text[$"Aspect_{a}"].Value))]}"
            : sentence;
    }
}
