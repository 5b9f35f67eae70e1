using System.Linq.Expressions;
using Portal.Domain.Children;

namespace Portal.Features.Children;

/// <summary>
/// "No movement for N days" in queries: the same rule as <see cref="PaternityClaim.IsStale(DateTime, TimeSpan)"/>, with
/// the threshold from the reminder policy (Portal:Paternity:StaleAfterDays). Queues and the dashboard count with it.
/// </summary>
public static class PaternityStaleness
{
    /// <summary>Statuses a claim never leaves; such a claim is never stale.</summary>
    public static IReadOnlyList<PaternityClaimStatus> FinalStatuses { get; } =
        Enum.GetValues<PaternityClaimStatus>().Where(s => PaternityClaim.AllowedNext(s).Count == 0).ToList();

    public static Expression<Func<PaternityClaim, bool>> IsStale(DateTime utcNow, TimeSpan noMovementThreshold)
    {
        var cutoff = utcNow - noMovementThreshold;
        var final = FinalStatuses.ToList();
        return p => !final.Contains(p.Status) && p.LastMovementAtUtc <= cutoff;
    }
}
