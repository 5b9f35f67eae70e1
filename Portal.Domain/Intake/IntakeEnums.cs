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
