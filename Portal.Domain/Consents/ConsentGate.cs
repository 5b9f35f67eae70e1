using Portal.Domain.Cases;
using Portal.Domain.Common;

namespace Portal.Domain.Consents;

public enum MissingConsent
{
    NoConsentRecorded,
    ConsentRevoked,
    NoConsentForServices,
    NoConsentToShareWithProvider,
    ReconsentRequiredAt18,
}

public sealed record MissingConsentItem(MissingConsent Kind, string Message);

public sealed class ConsentCheck
{
    internal ConsentCheck(IReadOnlyList<MissingConsentItem> missing)
    {
        Missing = missing;
    }

    public IReadOnlyList<MissingConsentItem> Missing { get; }

    public bool IsSatisfied => Missing.Count == 0;
}

/// <summary>No referral is sent without the consent it needs: consent to services and to sharing with that provider.</summary>
public static class ConsentGate
{
    public static ConsentCheck Check(Case survivorCase, Guid providerId, DateTime utcNow)
    {
        var latest = survivorCase.LatestConsent;
        if (latest is null)
        {
            return Missing(MissingConsent.NoConsentRecorded, "No consent has been recorded for this case.");
        }

        if (latest.IsRevoked)
        {
            return Missing(
                MissingConsent.ConsentRevoked,
                $"The person's consent was revoked on {latest.RevokedAtUtc:yyyy-MM-dd}; record new consent first.");
        }

        // Only the re-consent item: the caregiver's answers no longer count, so listing them would mislead.
        if (survivorCase.NeedsReconsent(utcNow))
        {
            return Missing(
                MissingConsent.ReconsentRequiredAt18,
                "The person has turned 18 since a caregiver gave consent; their own consent is needed.");
        }

        var missing = new List<MissingConsentItem>();
        if (!latest.ForServices)
        {
            missing.Add(new(MissingConsent.NoConsentForServices, "The person has not consented to receiving services through referrals."));
        }

        if (!latest.IsSharedWith(providerId))
        {
            missing.Add(new(MissingConsent.NoConsentToShareWithProvider, "The person has not consented to sharing their information with this provider."));
        }

        return new ConsentCheck(missing);
    }

    private static ConsentCheck Missing(MissingConsent kind, string message) => new([new MissingConsentItem(kind, message)]);
}

public sealed class ConsentRequiredException : DomainException
{
    public ConsentRequiredException(string attempt, IReadOnlyList<MissingConsentItem> missing)
        : base(ErrorCodes.ReferralConsentRequired, $"Cannot {attempt}: {string.Join(" ", missing.Select(m => m.Message))}")
    {
        Missing = missing;
    }

    public IReadOnlyList<MissingConsentItem> Missing { get; }
}
