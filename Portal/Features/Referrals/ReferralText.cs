namespace Portal.Features.Referrals;

/// <summary>Marker for the referral and follow-up resources (ReferralText.resx, ReferralText.fr.resx), which also hold the messages every form of this feature shows.</summary>
public sealed class ReferralText;
