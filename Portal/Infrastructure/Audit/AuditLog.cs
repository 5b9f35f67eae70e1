using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Infrastructure.Audit;

/// <summary>
/// The audit trail as features use it. Who, role and address come from the current user; callers say only
/// what happened to which record. Never pass sensitive values (names, contact details, case text) as detail.
/// </summary>
public interface IAuditLog
{
    /// <summary>Records an action by the current user (or the public, when nobody is signed in).</summary>
    Task RecordAsync(AuditAction action, string? recordType, string? recordId, string? detail = null, CancellationToken cancellationToken = default);

    /// <summary>Records an action by a given actor: sign-in steps before the principal exists, and jobs.</summary>
    Task RecordAsAsync(AuditActor actor, AuditAction action, string? recordType, string? recordId, string? detail = null, CancellationToken cancellationToken = default);

    /// <summary>Everything recorded about one record, newest first: a case's access log. Coordinators and Administrators only.</summary>
    Task<IReadOnlyList<AuditEntry>> GetForRecordAsync(string recordType, string recordId, CancellationToken cancellationToken = default);

    /// <summary>The latest entries, newest first. Administrators only.</summary>
    Task<IReadOnlyList<AuditEntry>> GetRecentAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>Checks the whole hash chain. Administrators only.</summary>
    Task<AuditChainVerification> VerifyChainAsync(CancellationToken cancellationToken = default);
}

public sealed class AuditLog(AuditAppender appender, ICurrentUser currentUser, IDbContextFactory<PortalDbContext> dbFactory) : IAuditLog
{
    private const int VerifyPageSize = 2000;

    public async Task RecordAsync(AuditAction action, string? recordType, string? recordId, string? detail = null, CancellationToken cancellationToken = default) =>
        await appender.AppendAsync(await CurrentActorAsync(cancellationToken), action, recordType, recordId, detail, cancellationToken);

    public async Task RecordAsAsync(AuditActor actor, AuditAction action, string? recordType, string? recordId, string? detail = null, CancellationToken cancellationToken = default) =>
        await appender.AppendAsync(actor with { IpAddress = actor.IpAddress ?? currentUser.RemoteAddress }, action, recordType, recordId, detail, cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> GetForRecordAsync(string recordType, string recordId, CancellationToken cancellationToken = default)
    {
        await RequireRoleAsync(nameof(GetForRecordAsync), cancellationToken, Roles.Coordinator, Roles.Administrator);
        await RecordAsync(AuditAction.ViewedAuditLog, recordType, recordId, cancellationToken: cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<AuditEntry>().AsNoTracking()
            .Where(e => e.RecordType == recordType && e.RecordId == recordId)
            .OrderByDescending(e => e.Id)
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> GetRecentAsync(int count, CancellationToken cancellationToken = default)
    {
        await RequireRoleAsync(nameof(GetRecentAsync), cancellationToken, Roles.Administrator);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(e => e.Id).Take(Math.Clamp(count, 1, 1000)).ToListAsync(cancellationToken);
    }

    public async Task<AuditChainVerification> VerifyChainAsync(CancellationToken cancellationToken = default)
    {
        await RequireRoleAsync(nameof(VerifyChainAsync), cancellationToken, Roles.Administrator);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        AuditEntry? preceding = null;
        while (true)
        {
            var afterId = preceding?.Id ?? 0;
            var page = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Id > afterId).OrderBy(e => e.Id).Take(VerifyPageSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return AuditChainVerification.Intact;
            }

            var result = AuditChain.Verify(page, preceding);
            if (!result.IsIntact)
            {
                return result;
            }

            preceding = page[^1];
        }
    }

    private async Task<AuditActor> CurrentActorAsync(CancellationToken cancellationToken)
    {
        var scope = await currentUser.FindAsync(cancellationToken);
        return scope is null
            ? new AuditActor(null, null, null, currentUser.RemoteAddress)
            : new AuditActor(scope.UserId, scope.UserName, scope.PrimaryRole, currentUser.RemoteAddress);
    }

    private async Task RequireRoleAsync(string operation, CancellationToken cancellationToken, params string[] roles)
    {
        var scope = await currentUser.GetAsync(cancellationToken);
        if (!roles.Any(scope.IsInRole))
        {
            await RecordAsync(AuditAction.AccessDenied, "AuditLog", null, operation, cancellationToken);
            throw new AccessDeniedException(operation);
        }
    }
}

public static class AuditExtensions
{
    public static IServiceCollection AddPortalAudit(this IServiceCollection services)
    {
        services.AddSingleton<AuditAppender>();
        services.AddScoped<IAuditLog, AuditLog>();
        return services;
    }
}
