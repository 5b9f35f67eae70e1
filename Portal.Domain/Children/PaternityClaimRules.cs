using Portal.Domain.Common;

namespace Portal.Domain.Children;

/// <summary>Rules about paternity claims that queries and pages both apply; see <see cref="Rule{T}"/>.</summary>
public static class PaternityClaimRules
{
    /// <summary>The statuses a claim never leaves: those with no transition out (<see cref="PaternityClaim.AllowedNext"/>).</summary>
    public static readonly PaternityClaimStatus[] FinalStatuses =
        [.. Enum.GetValues<PaternityClaimStatus>().Where(s => PaternityClaim.AllowedNext(s).Count == 0)];

    /// <summary>Settled one way or another: nothing more will happen to it.</summary>
    public static readonly Rule<PaternityClaim> Final = new(p => FinalStatuses.Contains(p.Status));

    /// <summary>Not final yet: open work on its case.</summary>
    public static readonly Rule<PaternityClaim> UnderWay = new(p => !FinalStatuses.Contains(p.Status));

    /// <summary>
    /// Under way and not carried on: the case cannot close while it is so. A carried-on claim goes on after the case
    /// closes, on the coordinators' lists.
    /// </summary>
    public static readonly Rule<PaternityClaim> HoldsClosure = new(p => !FinalStatuses.Contains(p.Status) && p.CarriedOnAtUtc == null);

    /// <summary>
    /// Under way, and last moved at or before the argument (UTC), so nobody forgets it. The cut-off is now minus the
    /// configured time without movement: use <see cref="Reminders.ReminderPolicy.StaleClaims"/>, which knows that time.
    /// </summary>
    public static readonly Rule<PaternityClaim, DateTime> NoMovementSince = new((p, movedBefore) =>
        !FinalStatuses.Contains(p.Status) && p.LastMovementAtUtc <= movedBefore);
}
