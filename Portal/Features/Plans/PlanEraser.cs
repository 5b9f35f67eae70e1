using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;

namespace Portal.Features.Plans;

/// <summary>
/// Retention removes the assessment (with every version and need) and the plan's goals: their text is sealed with the
/// case key and could never be opened again. Referrals stay, as figures, no longer tied to a goal.
/// </summary>
internal sealed class PlanEraser : ICaseEraser
{
    public async Task EraseAsync(PortalDbContext db, Case erased, CancellationToken cancellationToken)
    {
        await db.Referrals.Where(r => r.CaseId == erased.Id && r.GoalId != null).ExecuteUpdateAsync(r => r.SetProperty(x => x.GoalId, (Guid?)null), cancellationToken);
        await db.PlanGoals.Where(g => g.CaseId == erased.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Assessments.Where(a => a.CaseId == erased.Id).ExecuteDeleteAsync(cancellationToken);
    }
}
