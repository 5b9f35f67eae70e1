namespace Portal.Domain.Cases;

public enum CaseStatus
{
    Intake,
    Assessment,
    ActionPlan,
    Assistance,
    FollowUp,
    ClosureRequested,
    Closed,
}

/// <summary>Ordered from least to most urgent so that queues can sort and compare.</summary>
public enum RiskLevel
{
    Low,
    Medium,
    High,
}

public enum CaseClosureReason
{
    AssistanceCompleted,
    PersonDeclinedFurtherAssistance,
    PersonUnreachable,
    Relocated,
    Deceased,
    TransferredToOtherEntity,
    Duplicate,
    Other,
}

public enum Sex
{
    Female,
    Male,
    Other,
    Unknown,
}

public enum AgeGroup
{
    Adult,
    Child,
    Unknown,
}

/// <summary>How the person wants to be contacted; also offered on the public intake form.</summary>
public enum ContactChannel
{
    Phone,
    WhatsApp,
    Email,
    TrustedPerson,
    InPerson,
    None,
}

/// <summary>What a user may do with a case in its current state; see <see cref="Case.AvailableActions"/>.</summary>
public enum CaseAction
{
    Claim,
    Release,
    Reassign,
    StartActionPlan,
    StartAssistance,
    StartFollowUp,
    RequestClosure,
    ApproveClosure,
    RejectClosure,
    Reopen,
    ChangeRisk,
    UpdateProfile,
    RecordAllegation,
    UpdateAllegation,
    RecordConsent,
    RevokeConsent,
    CreateReferral,
    AddNote,
}
