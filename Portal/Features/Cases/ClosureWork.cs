using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Infrastructure.Data;

namespace Portal.Features.Cases;

/// <summary>
/// The records a closure has to settle, loaded once for both the closure dialog and the closure commands: referrals and
/// follow-ups still open, paternity claims under way (carried on or not), and since when the person's words wait unread.
/// </summary>
public sealed record ClosureWork(
    IReadOnlyList<Referral> Referrals,
    IReadOnlyList<FollowUp> FollowUps,
    IReadOnlyList<PaternityClaim> Claims,
    DateTime? UnreadFromPersonSinceUtc)
{
    /// <summary>Provider names for the referrals listed.</summary>
    public IReadOnlyDictionary<Guid, string> ProviderNames { get; init; } = new Dictionary<Guid, string>();

    /// <summary>Child pseudonyms for the claims listed.</summary>
    public IReadOnlyDictionary<Guid, string> ChildPseudonyms { get; init; } = new Dictionary<Guid, string>();

    public OpenWork For(Guid caseId) => OpenWork.Of(caseId, Referrals, FollowUps, Claims, UnreadFromPersonSinceUtc);

    /// <summary>Loads through the caller's context (tracked, so a command's check and save see the same rows).</summary>
    internal static async Task<ClosureWork> LoadAsync(PortalDbContext db, Guid caseId, CancellationToken cancellationToken)
    {
        var referrals = await db.Referrals.Where(r => r.CaseId == caseId).Where(ReferralRules.Open.Expression).ToListAsync(cancellationToken);
        var followUps = await db.FollowUps.Where(f => f.CaseId == caseId).Where(FollowUpRules.Open.Expression).ToListAsync(cancellationToken);
        var claims = await db.PaternityClaims.Where(p => p.CaseId == caseId).Where(PaternityClaimRules.UnderWay.Expression).ToListAsync(cancellationToken);
        var unread = await db.IntakeSubmissions.Where(s => s.CaseId == caseId).MinAsync(s => s.UnreadSinceUtc, cancellationToken);
        return new ClosureWork(referrals, followUps, claims, unread);
    }

    /// <summary>As <see cref="LoadAsync"/>, with the names a page shows beside each item.</summary>
    internal static async Task<ClosureWork> LoadToShowAsync(PortalDbContext db, Guid caseId, CancellationToken cancellationToken)
    {
        var work = await LoadAsync(db, caseId, cancellationToken);
        var providerIds = work.Referrals.Select(r => r.ProviderId).Distinct().ToList();
        var childIds = work.Claims.Select(c => c.ChildId).Distinct().ToList();
        return work with
        {
            ProviderNames = await db.ServiceProviders.AsNoTracking().Where(p => providerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken),
            ChildPseudonyms = await db.Children.AsNoTracking().Where(c => childIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Pseudonym, cancellationToken),
        };
    }
}
