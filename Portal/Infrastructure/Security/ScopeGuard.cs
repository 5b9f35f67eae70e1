using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Infrastructure.Audit;

namespace Portal.Infrastructure.Security;

/// <summary>
/// The one place feature services check scope and roles. A record outside the user's countries answers
/// exactly like a record that does not exist, and the attempt is written to the audit trail.
/// <code>
/// var scope = await guard.ScopeAsync(ct);
/// var cases = await db.Cases.InScope(scope, c => c.CountryCode).ToListAsync(ct);          // lists
/// var @case = await guard.GetAsync(db.Cases, c => c.Id == id, c => c.CountryCode, "Case", id.ToString(), ct); // one record
/// await guard.RequireRoleAsync("ApproveClosure", ct, Roles.Coordinator);                    // commands
/// </code>
/// </summary>
public sealed class ScopeGuard(ICurrentUser currentUser, IAuditLog audit)
{
    /// <summary>The signed-in user's scope; <see cref="NotSignedInException"/> when nobody is signed in.</summary>
    public Task<UserScope> ScopeAsync(CancellationToken cancellationToken = default) => currentUser.GetAsync(cancellationToken);

    /// <summary>The record, or null when it does not exist or is out of scope (the latter audited as AccessDenied).</summary>
    public async Task<T?> FindAsync<T>(IQueryable<T> source, Expression<Func<T, bool>> key, Func<T, string> countryOf, string recordType, string recordId, CancellationToken cancellationToken = default)
        where T : class
    {
        var scope = await currentUser.GetAsync(cancellationToken);
        var record = await source.FirstOrDefaultAsync(key, cancellationToken);
        if (record is null)
        {
            return null;
        }

        if (!scope.CanSee(countryOf(record)))
        {
            await audit.RecordAsync(AuditAction.AccessDenied, recordType, recordId, "outside the user's countries", cancellationToken);
            return null;
        }

        return record;
    }

    /// <summary>As <see cref="FindAsync{T}"/>, but throws <see cref="RecordNotFoundException"/> for a missing or out-of-scope record.</summary>
    public async Task<T> GetAsync<T>(IQueryable<T> source, Expression<Func<T, bool>> key, Func<T, string> countryOf, string recordType, string recordId, CancellationToken cancellationToken = default)
        where T : class =>
        await FindAsync(source, key, countryOf, recordType, recordId, cancellationToken) ?? throw new RecordNotFoundException(recordType, recordId);

    /// <summary>For commands that name a country (create, reassign): refuses, audited, when it is out of scope.</summary>
    public async Task<UserScope> RequireCountryAsync(string countryCode, string recordType, string? recordId, CancellationToken cancellationToken = default)
    {
        var scope = await currentUser.GetAsync(cancellationToken);
        if (!scope.CanSee(countryCode))
        {
            await audit.RecordAsync(AuditAction.AccessDenied, recordType, recordId, "outside the user's countries", cancellationToken);
            throw new RecordNotFoundException(recordType, recordId ?? countryCode);
        }

        return scope;
    }

    /// <summary>Refuses, audited, unless the user holds one of the roles.</summary>
    public async Task<UserScope> RequireRoleAsync(string operation, CancellationToken cancellationToken, params string[] roles)
    {
        var scope = await currentUser.GetAsync(cancellationToken);
        if (!roles.Any(scope.IsInRole))
        {
            await audit.RecordAsync(AuditAction.AccessDenied, null, null, operation, cancellationToken);
            throw new AccessDeniedException(operation);
        }

        return scope;
    }
}
