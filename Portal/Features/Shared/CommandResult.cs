using System.Collections.ObjectModel;
using Portal.Domain.Common;
using Portal.Infrastructure.Data;

namespace Portal.Features.Shared;

public enum CommandOutcome
{
    Done,

    /// <summary>The record does not exist or is outside the user's scope; the two are indistinguishable on purpose.</summary>
    NotFound,

    /// <summary>The user may see the record but not do this to it. The attempt has been audited.</summary>
    Forbidden,

    /// <summary>The domain refused (the state does not allow it, or the input breaks a rule); nothing was saved.</summary>
    Refused,

    /// <summary>Someone else saved the record since the user loaded it; nothing was overwritten.</summary>
    Conflict,

    /// <summary>The user's session ended (signed out elsewhere, idle, disabled); nothing was done.</summary>
    SessionEnded,
}

/// <summary>
/// What a command did, with what the page needs to tell the user: one type for every command of every feature.
/// Pages turn it into a sentence with <see cref="CommandMessages.Describe"/>.
/// </summary>
public record CommandResult
{
    /// <summary>The code of a form refused field by field (see <see cref="Fields"/>).</summary>
    public const string InvalidCode = "validation.form";

    public const string ForbiddenCode = "forbidden";

    private static readonly IReadOnlyDictionary<string, FieldProblem> NoProblems = ReadOnlyDictionary<string, FieldProblem>.Empty;

    public CommandOutcome Outcome { get; init; }

    /// <summary>Why it was refused, in English from the domain; pages translate by <see cref="Code"/> where they can.</summary>
    public string? Message { get; init; }

    public string? Code { get; init; }

    /// <summary>For a form refused field by field: the first problem of each field.</summary>
    public IReadOnlyDictionary<string, FieldProblem> Fields { get; init; } = NoProblems;

    /// <summary>The record the command created, or the one it changed.</summary>
    public Guid? Id { get; init; }

    /// <summary>For <see cref="CommandOutcome.Conflict"/>: who saved in between, when, and what they changed.</summary>
    public Conflict? Conflict { get; init; }

    public bool Succeeded => Outcome == CommandOutcome.Done;

    public static CommandResult Done { get; } = new() { Outcome = CommandOutcome.Done };

    public static CommandResult NotFound { get; } = new() { Outcome = CommandOutcome.NotFound };

    public static CommandResult SessionEnded { get; } = new() { Outcome = CommandOutcome.SessionEnded, Message = "Your session has ended; sign in again." };

    /// <summary>
    /// The database was too busy to save (<see cref="DatabaseBusy"/>): nothing changed, nobody else won, and trying again
    /// may succeed. Never a conflict: no one saved in between.
    /// </summary>
    public static CommandResult Busy { get; } = new()
    {
        Outcome = CommandOutcome.Refused,
        Message = "The database is busy; nothing was saved. Try again in a moment.",
        Code = DatabaseBusy.Code,
    };

    /// <summary>Done, naming the record the command created or changed.</summary>
    public static CommandResult DoneWith(Guid id) => new() { Outcome = CommandOutcome.Done, Id = id };

    public static CommandResult Forbidden(string message) => new() { Outcome = CommandOutcome.Forbidden, Message = message, Code = ForbiddenCode };

    public static CommandResult Refused(DomainException refusal) => Refused(refusal.Code, refusal.Message);

    public static CommandResult Refused(string code, string message) => new() { Outcome = CommandOutcome.Refused, Message = message, Code = code };

    public static CommandResult Invalid(FormProblems problems) => new()
    {
        Outcome = CommandOutcome.Refused,
        Message = string.Join(" ", problems.All.Values.Select(p => p.Message)),
        Code = InvalidCode,
        Fields = problems.All,
    };

    public static CommandResult ConflictWith(Conflict conflict) => new() { Outcome = CommandOutcome.Conflict, Code = "conflict", Conflict = conflict };

    public FieldProblem? For(string field) => Fields.GetValueOrDefault(field);

    /// <summary>This result carrying a value for the page (the holder of a case, the consent a referral lacks).</summary>
    public CommandResult<T> With<T>(T? value) => new(this, value);
}

/// <summary>A command's result with a value the page needs besides the outcome.</summary>
public sealed record CommandResult<T> : CommandResult
{
    internal CommandResult(CommandResult result, T? value)
        : base(result) => Value = value;

    public T? Value { get; init; }

    public void Deconstruct(out CommandResult result, out T? value) => (result, value) = (this, Value);
}

/// <summary>
/// Someone saved a record between the user's loading it and their command. <paramref name="Changed"/> names the parts
/// that differ from what the user saw (see <see cref="RecordKind{T}"/>); it is empty when the command did not say.
/// <paramref name="ViewerTimeZoneId"/> is the zone of the user who meets the conflict, in which its time is told.
/// </summary>
public sealed record Conflict(string RecordType, string? By, DateTime? AtUtc, IReadOnlyList<string> Changed, string? ViewerTimeZoneId = null);
