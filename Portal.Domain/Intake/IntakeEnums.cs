namespace Portal.Domain.Intake;

public enum HelpKind
{
    Medical,
    PsychologicalSupport,
    LegalHelp,
    ChildSupportOrPaternity,
    SkillsTrainingOrLivelihood,
    Schooling,
    Safety,
    Other,
}

/// <summary>The public form's answer to "Was a child born as a result?".</summary>
public enum ChildBornAnswer
{
    Yes,
    No,
    PreferNotToSay,
}

public static class HelpKinds
{
    /// <summary>The portal's assistance type for the help the person asked for; null for "something else", which the advocate reads.</summary>
    public static Referrals.ReferralType? AssistanceType(this HelpKind help) => help switch
    {
        HelpKind.Medical => Referrals.ReferralType.Medical,
        HelpKind.PsychologicalSupport => Referrals.ReferralType.Psychosocial,
        HelpKind.LegalHelp => Referrals.ReferralType.Legal,
        HelpKind.ChildSupportOrPaternity => Referrals.ReferralType.PaternityAndChildSupport,
        HelpKind.SkillsTrainingOrLivelihood => Referrals.ReferralType.SkillsTrainingOrLivelihood,
        HelpKind.Schooling => Referrals.ReferralType.Education,
        HelpKind.Safety => Referrals.ReferralType.SafetyAndProtection,
        _ => null,
    };
}
