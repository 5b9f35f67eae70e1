using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Retention;

/// <summary>Where a case stands with retention, for its page.</summary>
/// <param name="Years">The country's period; null when its cases are kept.</param>
/// <param name="ErasesOnUtc">When the job erases it, if it stays closed and unheld; null while open or when kept.</param>
/// <param name="CanHold">Whether the viewer may place or release a hold (coordinators).</param>
public sealed record RetentionStatus(
    int? Years,
    DateTime? ErasesOnUtc,
    DateTime? ErasedAtUtc,
    string? HoldReason,
    string? HeldBy,
    DateTime? HeldAtUtc,
    bool CanHold);

/// <summary>
/// A coordinator holds a case from erasure with a reason (an open legal claim, a paternity claim under way) and
/// releases the hold when it is over. Each is audited; the reason stays on the case, not in the audit trail, which
/// never holds free text about a case.
/// </summary>
public sealed class RetentionService(
    IDbContextFactory<PortalDbContext> dbFactory,
    ICurrentUser currentUser,
    CommandPath path,
    IOptionsMonitor<RetentionOptions> options,
    TimeProvider clock)
{
    private static readonly CasePermission HoldPermission =
        CasePermission.WorkOnCase.AndCoordinator("Only a coordinator holds a case from erasure or releases it.");

    public async Task<RetentionStatus?> GetAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        var scope = await currentUser.GetAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.Cases.AsNoTracking().InScope(scope, c => c.CountryCode).Where(c => c.Id == caseId)
            .Select(c => new { c.CountryCode, c.Status, c.ClosedAtUtc, c.ErasedAtUtc, c.ErasureHoldReason, c.ErasureHeldBy, c.ErasureHeldAtUtc })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var heldBy = found.ErasureHeldBy is { } userId
            ? await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? userId
            : null;
        var years = options.CurrentValue.YearsFor(found.CountryCode);
        var erasesOn = years is { } y && found.Status == CaseStatus.Closed && found.ClosedAtUtc is { } closed ? closed.AddYears(y) : (DateTime?)null;
        return new RetentionStatus(years, erasesOn, found.ErasedAtUtc, found.ErasureHoldReason, heldBy, found.ErasureHeldAtUtc, scope.IsCoordinator);
    }

    public Task<CommandResult> HoldAsync(Guid caseId, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, AuditAction.ErasureHoldPlaced, (c, by) => c.HoldFromErasure(reason, by, clock), cancellationToken);

    public Task<CommandResult> ReleaseAsync(Guid caseId, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, AuditAction.ErasureHoldReleased, (c, by) => c.ReleaseErasureHold(by), cancellationToken);

    /// <summary>Through the shared command path: scope, a coordinator only, the domain's rule, a busy database, audit.</summary>
    private async Task<CommandResult> ChangeAsync(Guid caseId, AuditAction action, Action<Case, string> change, CancellationToken cancellationToken)
    {
        var scope = await currentUser.GetAsync(cancellationToken);
        return await path.ChangeAsync(scope, Seen<Case>.Latest(caseId), action.ToString(), HoldPermission, work =>
        {
            change(work.Record, scope.UserId);
            work.Audit(action);
            work.Publish(LiveEventKind.CaseChanged);
        }, cancellationToken);
    }
}

public static class RetentionExtensions
{
    public static WebApplicationBuilder AddPortalRetention(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RetentionOptions>(builder.Configuration.GetSection(RetentionOptions.Section));
        builder.Services.AddScoped<RetentionService>();
        builder.Services.AddTransient<RetentionJob>();
        builder.Services.AddSingleton<ICaseEraser, IdentityAndAccountEraser>();
        builder.Services.AddHostedService<RetentionSchedule>();
        return builder;
    }
}
