using Portal.Domain.Common;

namespace Portal.Domain.FollowUps;

/// <summary>
/// Rules about follow-ups that queries and pages both apply; see <see cref="Rule{T}"/>. A check falls due at its
/// effective due moment: the end of a snooze when it is snoozed, its planned date otherwise.
/// </summary>
public static class FollowUpRules
{
    /// <summary>Open or snoozed: still to be done, open work on its case.</summary>
    public static readonly Rule<FollowUp> Open = new(f => f.Status == FollowUpStatus.Open || f.Status == FollowUpStatus.Snoozed);

    /// <summary>
    /// Still to be done and late (the argument is now, UTC): an urgent check as soon as it falls due, an ordinary one
    /// <see cref="FollowUp.OverdueAfter"/> later. One comparison of the effective due moment with one bound, which
    /// databases plan better than the equivalent four branches.
    /// </summary>
    public static readonly Rule<FollowUp, DateTime> Overdue = new((f, now) =>
        (f.Status == FollowUpStatus.Open || f.Status == FollowUpStatus.Snoozed) &&
        (f.Status == FollowUpStatus.Snoozed ? f.SnoozedUntilUtc : f.DueAtUtc) <= (f.IsUrgent ? now : now - FollowUp.OverdueAfter));

    /// <summary>Still to be done and falling due before the argument (UTC): due by then, or overdue.</summary>
    public static readonly Rule<FollowUp, DateTime> DueBefore = new((f, until) =>
        (f.Status == FollowUpStatus.Open || f.Status == FollowUpStatus.Snoozed) &&
        (f.Status == FollowUpStatus.Snoozed ? f.SnoozedUntilUtc : f.DueAtUtc) < until);

    /// <summary>Still to be done and falling due within the period [From, Until), UTC: "due today".</summary>
    public static readonly Rule<FollowUp, (DateTime From, DateTime Until)> DueWithin = new((f, period) =>
        (f.Status == FollowUpStatus.Open && f.DueAtUtc >= period.From && f.DueAtUtc < period.Until) ||
        (f.Status == FollowUpStatus.Snoozed && f.SnoozedUntilUtc >= period.From && f.SnoozedUntilUtc < period.Until));
}
