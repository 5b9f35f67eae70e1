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

public enum ReferralAction
{
    EditDraft,
    Send,
    Accept,
    Decline,
    Complete,
    Withdraw,
}
