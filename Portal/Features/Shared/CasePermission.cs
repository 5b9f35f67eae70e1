using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Infrastructure.Security;

namespace Portal.Features.Shared;

/// <summary>
/// Who may run a command on a case now. A refusal is <see cref="CommandOutcome.Forbidden"/> (the path audits it) when the
/// user may not do this at all, or <see cref="CommandOutcome.Refused"/> when the case's state does not allow it.
/// </summary>
public sealed class CasePermission
{
    private readonly Func<UserScope, Case, string, CommandResult?> _check;

    private CasePermission(Func<UserScope, Case, string, CommandResult?> check) => _check = check;

    /// <summary>The case's advocate or a coordinator, while the case is open: a closed case is read-only until it is reopened.</summary>
    public static CasePermission WorkOnOpenCase { get; } = new((scope, survivorCase, attempt) =>
        !MayWork(scope, survivorCase)
            ? CommandResult.Forbidden($"Only the case's advocate or a coordinator may {attempt} on case {survivorCase.Number}.")
            : survivorCase.IsClosed
                ? CommandResult.Refused(ErrorCodes.CaseClosed, $"Cannot {attempt} on case {survivorCase.Number}: it is Closed; reopen it first.")
                : null);

    /// <summary>The case's advocate or a coordinator, open case or closed (notes and the identity outlive assistance).</summary>
    public static CasePermission WorkOnCase { get; } = new((scope, survivorCase, attempt) =>
        MayWork(scope, survivorCase) ? null : CommandResult.Forbidden($"Only the case's advocate or a coordinator may {attempt} on case {survivorCase.Number}."));

    /// <summary>Advocates and coordinators take up cases (whether this one can be taken is the domain's to say).</summary>
    public static CasePermission TakeUpCases { get; } = new((scope, _, _) =>
        scope.IsAdvocate || scope.IsCoordinator ? null : CommandResult.Forbidden("Only advocates and coordinators take up cases."));

    /// <summary>The step must be open to the user on the case now (<see cref="Case.AvailableActions"/>), as the case page's buttons show.</summary>
    public static CasePermission Take(CaseAction action, CaseAction? orElse = null) => new((scope, survivorCase, _) =>
        (scope.IsAdvocate || scope.IsCoordinator) && survivorCase.AvailableActions(scope.UserId, scope.IsCoordinator) is var open
        && (open.Contains(action) || (orElse is { } other && open.Contains(other)))
            ? null
            : CommandResult.Forbidden($"{action} is not open to you on case {survivorCase.Number} now."));

    /// <summary>Working a case is for its advocate or a coordinator.</summary>
    public static bool MayWork(UserScope scope, Case survivorCase) =>
        scope.IsCoordinator || (scope.IsAdvocate && survivorCase.AssignedAdvocateId == scope.UserId);

    /// <summary>This permission, and the user must also be a coordinator.</summary>
    public CasePermission AndCoordinator(string why) => new((scope, survivorCase, attempt) =>
        _check(scope, survivorCase, attempt) ?? (scope.IsCoordinator ? null : CommandResult.Forbidden(why)));

    /// <summary>Null when the user may; otherwise the answer to give (the path audits a Forbidden one; other callers must too).</summary>
    public CommandResult? Check(UserScope scope, Case survivorCase, string attempt) => _check(scope, survivorCase, attempt);
}
