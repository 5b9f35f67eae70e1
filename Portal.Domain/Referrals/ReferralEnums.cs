namespace Portal.Domain.Referrals;

public enum ReferralType
{
    Medical,
    Psychosocial,
    Legal,
    PaternityAndChildSupport,
    SkillsTrainingOrLivelihood,
    Education,
    MaterialAssistance,
    SafetyAndProtection,
}

public enum ReferralUrgency
{
    Routine,
    Urgent,
    Emergency,
}

public enum ReferralStatus
{
    Draft,
    Sent,
    Accepted,
    Declined,
    Completed,
    Withdrawn,
}

public enum ReferralOutcome
{
    ServiceProvided,
    AlreadyReceivedElsewhere,
    NotApplicable,
    DeclinedByPerson,
    ServiceUnavailable,
}

/// <summary>Why a provider said no, from a short list so the dashboard can count; the text says the rest.</summary>
public enum ReferralDeclineReason
{
    NoCapacity,
    ServiceNotOffered,
    PersonNotEligible,
    OutsideArea,
    PersonUnreachable,
    Other,
}

public enum ReferralAction
{
    EditDraft,
    Send,
    Accept,
    Decline,
    Schedule,
    Complete,
    Withdraw,
}
