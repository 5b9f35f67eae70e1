namespace Portal.Domain.Referrals;

/// <summary>One step in a referral's history; <see cref="Sequence"/> orders it.</summary>
public sealed class ReferralStatusChange
{
    private ReferralStatusChange()
    {
    }

    internal ReferralStatusChange(int sequence, ReferralStatus? from, ReferralStatus to, string byUserId, DateTime atUtc, string? comment, DateTime? appointmentAtUtc = null)
    {
        AppointmentAtUtc = appointmentAtUtc;
        Sequence = sequence;
        From = from;
        To = to;
        ByUserId = byUserId;
        AtUtc = atUtc;
        Comment = comment;
    }

    public int Sequence { get; private set; }

    /// <summary>Null for the entry that created the draft.</summary>
    public ReferralStatus? From { get; private set; }

    public ReferralStatus To { get; private set; }

    public string ByUserId { get; private set; } = string.Empty;

    public DateTime AtUtc { get; private set; }

    public string? Comment { get; private set; }

    /// <summary>Set on the step that gave (or moved) an appointment: the time given.</summary>
    public DateTime? AppointmentAtUtc { get; private set; }
}

/// <summary>A coordinator sent a referral without the consent it needed; kept with the referral and audited.</summary>
public sealed class ConsentOverride
{
    private ConsentOverride()
    {
    }

    internal ConsentOverride(string byUserId, string reason, DateTime atUtc, string missingConsent)
    {
        ByUserId = byUserId;
        Reason = reason;
        AtUtc = atUtc;
        MissingConsent = missingConsent;
    }

    public string ByUserId { get; private set; } = string.Empty;

    public string Reason { get; private set; } = string.Empty;

    public DateTime AtUtc { get; private set; }

    /// <summary>The items that were missing when the override was made, e.g. "NoConsentToShareWithProvider".</summary>
    public string MissingConsent { get; private set; } = string.Empty;
}
