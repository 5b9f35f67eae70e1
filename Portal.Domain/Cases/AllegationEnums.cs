namespace Portal.Domain.Cases;

public enum AllegationEntityType
{
    PeacekeepingMission,
    SpecialPoliticalMission,
    AgencyFundOrProgramme,
    ImplementingPartner,
    NonUnForceUnderSecurityCouncilMandate,
}

public enum PersonnelCategory
{
    StaffMember,
    UnVolunteer,
    MilitaryContingent,
    MilitaryObserverOrStaffOfficer,
    UnPolice,
    FormedPoliceUnit,
    GovernmentProvidedPersonnel,
    Contractor,
    Unknown,
}

public enum AllegationClass
{
    Exploitation,
    Abuse,
    Other,
    Unknown,
}

public enum AllegationSubtype
{
    Rape,
    TransactionalSex,
    ExploitativeRelationship,
    SexualAssault,
    SexualActivityWithMinor,
    Other,
    Unknown,
}

public enum InvestigationStatus
{
    PreliminaryAssessment,
    UnderReview,
    UnderInvestigation,
    Substantiated,
    NotSubstantiated,
    Closed,
    ReferredToMemberState,
}
