namespace Portal.Domain.FollowUps;

public enum FollowUpKind
{
    PostExposureProphylaxisCheck,
    MedicalCheck,
    AcceptanceCheck,
    PsychosocialCheck,
    LegalCheck,
    PaternityAndChildSupportCheck,
    LivelihoodCheck,
    EducationCheck,
    MaterialAssistanceCheck,
    SafetyCheck,
    General,

    /// <summary>The provider gave the person an appointment: did they get there, and how did it go?</summary>
    AppointmentCheck,
}

public enum FollowUpSource
{
    Policy,
    Manual,
}

/// <summary>Cancelled is for checks that no longer make sense, e.g. those of a withdrawn referral.</summary>
public enum FollowUpStatus
{
    Open,
    Done,
    Snoozed,
    Cancelled,
}
