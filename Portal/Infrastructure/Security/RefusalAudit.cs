using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Portal.Domain.Audit;
using Portal.Infrastructure.Audit;

namespace Portal.Infrastructure.Security;

/// <summary>
/// A page refused to a signed-in staff member (a role the page needs and they lack) is written to the audit trail the
/// way every other refusal is: <see cref="AuditAction.AccessDenied"/> through <see cref="IAuditLog"/>, with the path as
/// the record. The request pipeline (a page opened by its address) and the router (a page reached within a circuit)
/// both record it here.
/// </summary>
public static class PageRefusals
{
    public const string RecordType = "Page";

    public static Task RecordAsync(IAuditLog audit, string path, CancellationToken cancellationToken = default)
    {
        var record = path.Length > AuditEntry.RecordIdMaxLength ? path[..AuditEntry.RecordIdMaxLength] : path;
        return audit.RecordAsync(AuditAction.AccessDenied, RecordType, record, "not in the page's roles", cancellationToken);
    }
}

/// <summary>The authorization middleware's answer, unchanged, after recording a refusal of a signed-in staff member.</summary>
internal sealed class AuditingAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && UserScope.FromPrincipal(context.User) is not null)
        {
            await PageRefusals.RecordAsync(context.RequestServices.GetRequiredService<IAuditLog>(), context.Request.Path.Value ?? "/", context.RequestAborted);
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
