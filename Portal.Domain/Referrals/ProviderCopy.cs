using Portal.Domain.Cases;
using Portal.Domain.Consents;

namespace Portal.Domain.Referrals;

/// <summary>
/// What the provider a referral is addressed to may read of it: the referral itself, and of the person only the fields
/// the consent in force shares with that provider. Never the allegation, never the case's other referrals. The provider's
/// list, the referral letter and anything else a provider reads are made from this, so the rule lives here once.
/// </summary>
public sealed record ProviderCopy(
    Guid ReferralId,
    string Reference,
    string CaseNumber,
    Guid ProviderId,
    ReferralType Type,
    ReferralUrgency Urgency,
    string Reason,
    ReferralStatus Status,
    DateTime? SentAtUtc,
    DateTime? AppointmentAtUtc,
    SharedField Shared,
    string? Name,
    string? Phone,
    string? Email,
    ContactChannel? ContactChannel,
    string? SafeContactTimes,
    Sex? Sex,
    AgeGroup? AgeGroup,
    int? BirthYear,
    IReadOnlyList<string> Languages,
    string? District,
    bool? HasDisability,
    string? DisabilityDetails)
{
    /// <summary>Whether a provider may see the referral at all: addressed to them, and sent.</summary>
    public static bool IsFor(Referral referral, Guid providerId) =>
        referral.ProviderId == providerId && referral.Status != ReferralStatus.Draft && referral.SentAtUtc is not null;

    /// <summary>What the consent in force shares with the referral's provider: nothing once revoked, or while a child's turning 18 awaits their own consent.</summary>
    public static SharedField SharedWith(Case survivorCase, Guid providerId, DateTime utcNow) =>
        survivorCase.CurrentConsent is { } consent && consent.IsSharedWith(providerId) && !survivorCase.NeedsReconsent(utcNow)
            ? consent.SharedFields
            : SharedField.None;

    /// <param name="identity">The person's identity record, or null when none is kept (or it was erased).</param>
    public static ProviderCopy Of(Referral referral, Case survivorCase, IdentityRecord? identity, DateTime utcNow)
    {
        if (survivorCase.Id != referral.CaseId)
        {
            throw new ArgumentException("The case is not the referral's.", nameof(survivorCase));
        }

        var shared = SharedWith(survivorCase, referral.ProviderId, utcNow);
        bool Has(SharedField field) => shared.HasFlag(field);
        var profile = survivorCase.Profile;
        var name = identity is null ? null
            : string.Join(" ", new[] { identity.GivenName, identity.FamilyName, identity.OtherNames is { } other ? $"({other})" : null }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return new ProviderCopy(
            referral.Id,
            referral.Reference,
            referral.CaseNumber,
            referral.ProviderId,
            referral.Type,
            referral.Urgency,
            referral.Reason,
            referral.Status,
            referral.SentAtUtc,
            referral.AppointmentAtUtc,
            shared,
            Has(SharedField.Name) && !string.IsNullOrWhiteSpace(name) ? name : null,
            Has(SharedField.Contact) ? identity?.Phone : null,
            Has(SharedField.Contact) ? identity?.Email : null,
            Has(SharedField.Contact) ? identity?.ContactChannel : null,
            Has(SharedField.Contact) ? identity?.SafeContactTimes : null,
            Has(SharedField.AgeAndSex) ? profile.Sex : null,
            Has(SharedField.AgeAndSex) ? profile.AgeGroupOn(DateOnly.FromDateTime(utcNow)) : null,
            Has(SharedField.AgeAndSex) ? profile.BirthYear : null,
            Has(SharedField.Languages) ? profile.Languages : [],
            Has(SharedField.District) ? profile.District : null,
            Has(SharedField.Disability) ? profile.HasDisability : null,
            Has(SharedField.Disability) ? profile.DisabilityDetails : null);
    }
}
