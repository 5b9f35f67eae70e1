using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Features.Audit;
using Portal.Features.Cases;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Features.Referrals;

/// <summary>
/// How referrals, follow-ups and children reach their case: only through the viewer's scope, with a record out of scope
/// answering exactly like a missing one and the attempt audited; and who may change what hangs off a case.
/// </summary>
internal static class CaseAccess
{
    /// <summary>The case if it is in scope (no tracking: these features read the case, they do not change it).</summary>
    public static async Task<Case?> FindCaseAsync(PortalDbContext db, IAuditLog audit, UserScope scope, Guid caseId, CancellationToken cancellationToken)
    {
        var survivorCase = await db.Cases.AsNoTracking().InScope(scope, c => c.CountryCode).FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (survivorCase is null && await db.Cases.AnyAsync(c => c.Id == caseId, cancellationToken))
        {
            await audit.RecordAsync(AuditAction.AccessDenied, CaseService.RecordType, caseId.ToString(), "out of scope", cancellationToken);
        }

        return survivorCase;
    }

    /// <summary>
    /// A record hanging off a case, found by id, with its case — both only if the case is in scope. When the record exists
    /// but its case is out of scope, the attempt is audited against the record.
    /// </summary>
    public static async Task<(T Record, Case Case)?> FindAsync<T>(
        PortalDbContext db,
        IAuditLog audit,
        UserScope scope,
        Expression<Func<T, bool>> key,
        Func<T, Guid> caseOf,
        string recordType,
        Guid recordId,
        CancellationToken cancellationToken)
        where T : class
    {
        var record = await db.Set<T>().FirstOrDefaultAsync(key, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var caseId = caseOf(record);
        var survivorCase = await db.Cases.AsNoTracking().InScope(scope, c => c.CountryCode).FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (survivorCase is null)
        {
            db.Entry(record).State = EntityState.Detached;
            await audit.RecordAsync(AuditAction.AccessDenied, recordType, recordId.ToString(), "out of scope", cancellationToken);
            return null;
        }

        return (record, survivorCase);
    }

    /// <summary>Working a case is for its advocate or a coordinator, as for the case itself.</summary>
    public static bool MayWork(UserScope scope, Case survivorCase) =>
        CaseService.CanWork(scope) && (scope.IsCoordinator || (scope.IsAdvocate && survivorCase.AssignedAdvocateId == scope.UserId));

    /// <summary>
    /// Null when the user may change what hangs off this case now; otherwise the refusal, and a Forbidden attempt is
    /// audited. A closed case is read-only: it must be reopened first.
    /// </summary>
    public static async Task<CommandResult?> RefusalAsync(IAuditLog audit, UserScope scope, Case survivorCase, string recordType, Guid? recordId, string attempt, CancellationToken cancellationToken)
    {
        if (!MayWork(scope, survivorCase))
        {
            await audit.RecordAsync(AuditAction.AccessDenied, recordType, (recordId ?? survivorCase.Id).ToString(), attempt, cancellationToken);
            return CommandResult.Forbidden($"Only the case's advocate or a coordinator may {attempt} on case {survivorCase.Number}.");
        }

        if (survivorCase.IsClosed)
        {
            return new CommandResult(
                CommandOutcome.Refused,
                $"Cannot {attempt} on case {survivorCase.Number}: it is Closed; reopen it first.",
                Portal.Domain.Common.ErrorCodes.CaseClosed);
        }

        return null;
    }

    public static async Task<string?> NameOfAsync(PortalDbContext db, string? userId, CancellationToken cancellationToken) =>
        userId is null ? null : await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? userId;
}
