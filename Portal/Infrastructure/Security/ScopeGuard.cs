using Portal.Domain.Audit;
using Portal.Infrastructure.Audit;

namespace Portal.Infrastructure.Security;

/// <summary>
/// The role check of services outside any case (administration): the signed-in user must hold one of the roles, and a
/// refusal is written to the audit trail. Case features check roles on the command path (Features/Shared).
/// </summary>
public sealed class ScopeGuard(ICurrentUser currentUser, IAuditLog audit)
{
    /// <summary>The user's scope, or <see cref="AccessDeniedException"/> (audited) unless they hold one of the roles; <see cref="NotSignedInException"/> when nobody is signed in.</summary>
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
