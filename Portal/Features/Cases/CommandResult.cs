using Portal.Infrastructure.Data;

namespace Portal.Features.Cases;

public enum CommandOutcome
{
    Done,

    /// <summary>The record does not exist or is outside the user's scope; the two are indistinguishable on purpose.</summary>
    NotFound,

    /// <summary>The user may see the record but not do this to it.</summary>
    Forbidden,

    /// <summary>The domain refused: the state does not allow it or the input breaks a rule.</summary>
    Refused,

    /// <summary>Someone else saved the record since the user loaded it; nothing was overwritten.</summary>
    Conflict,
}

/// <summary>What a command did, with what the page needs to tell the user.</summary>
/// <param name="Message">Why it was refused (for Refused and Forbidden), in English from the domain; pages localise by <paramref name="Code"/>.</param>
/// <param name="ChangedBy">For Conflict: who saved in between, and when.</param>
public sealed record CommandResult(CommandOutcome Outcome, string? Message = null, string? Code = null, string? ChangedBy = null, DateTime? ChangedAtUtc = null)
{
    public static CommandResult Done { get; } = new(CommandOutcome.Done);

    public static CommandResult NotFound { get; } = new(CommandOutcome.NotFound);

    /// <summary>The database was too busy to save (<see cref="DatabaseBusy"/>): nothing changed, and trying again may succeed.</summary>
    public static CommandResult Busy { get; } = new(CommandOutcome.Refused, "The database is busy; nothing was saved. Try again in a moment.", DatabaseBusy.Code);

    public bool Succeeded => Outcome == CommandOutcome.Done;

    public static CommandResult Forbidden(string message) => new(CommandOutcome.Forbidden, message, "forbidden");

    public static CommandResult Refused(Portal.Domain.Common.DomainException refusal) => new(CommandOutcome.Refused, refusal.Message, refusal.Code);

    public static CommandResult Conflict(string? changedBy, DateTime? changedAtUtc) => new(CommandOutcome.Conflict, null, "conflict", changedBy, changedAtUtc);
}
