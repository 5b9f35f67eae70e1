using Portal.Domain.Common;

namespace Portal.Domain.Referrals;

/// <summary>Rules about referrals that queries and pages both apply; see <see cref="Rule{T}"/>.</summary>
public static class ReferralRules
{
    /// <summary>The statuses from which a referral can still move: work still open on its case.</summary>
    public static readonly ReferralStatus[] OpenStatuses = [ReferralStatus.Draft, ReferralStatus.Sent, ReferralStatus.Accepted];

    /// <summary>Still open (draft, sent or accepted): open work on its case.</summary>
    public static readonly Rule<Referral> Open = new(r => OpenStatuses.Contains(r.Status));

    /// <summary>Sent, and the provider has not accepted it by its acceptance deadline (the argument is now, UTC).</summary>
    public static readonly Rule<Referral, DateTime> OverdueForAcceptance = new((r, now) =>
        r.Status == ReferralStatus.Sent && r.AcceptanceDueAtUtc < now);
}
