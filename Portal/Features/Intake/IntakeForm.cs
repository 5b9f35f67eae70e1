using Portal.Domain.Intake;

namespace Portal.Features.Intake;

/// <summary>What the "Get help now" form posts. Everything but the account is optional.</summary>
public sealed class IntakeForm
{
    public string? Account { get; set; }

    public bool Medical { get; set; }

    public bool Psychological { get; set; }

    public bool Legal { get; set; }

    public bool ChildSupport { get; set; }

    public bool Livelihood { get; set; }

    public bool Schooling { get; set; }

    public bool Safety { get; set; }

    public bool OtherHelp { get; set; }

    public string? Country { get; set; }

    public string? Area { get; set; }

    public ChildBornAnswer? ChildBorn { get; set; }

    public string? Phone { get; set; }

    public string? WhatsApp { get; set; }

    public string? Email { get; set; }

    public string? TrustedPerson { get; set; }

    public bool InPerson { get; set; }

    public string? SafeTimes { get; set; }

    /// <summary>The sealed <see cref="SubmissionTicket"/>: the same form sent twice is one submission.</summary>
    public string? Ticket { get; set; }

    /// <summary>Proof-of-work challenge token and the browser's answer.</summary>
    public string? Challenge { get; set; }

    public string? Nonce { get; set; }

    /// <summary>Honeypot: hidden from people by the stylesheet; only a bot fills it.</summary>
    public string? Website { get; set; }

    public IReadOnlyCollection<HelpKind> Help =>
        new (bool Chosen, HelpKind Kind)[]
        {
            (Medical, HelpKind.Medical), (Psychological, HelpKind.PsychologicalSupport), (Legal, HelpKind.LegalHelp),
            (ChildSupport, HelpKind.ChildSupportOrPaternity), (Livelihood, HelpKind.SkillsTrainingOrLivelihood),
            (Schooling, HelpKind.Schooling), (Safety, HelpKind.Safety), (OtherHelp, HelpKind.Other),
        }.Where(h => h.Chosen).Select(h => h.Kind).ToList();
}

/// <summary>The status page's two forms: the check, and an addition made after a successful check.</summary>
public sealed class StatusCheckForm
{
    public string? Code { get; set; }

    public string? Passphrase { get; set; }

    public string? Challenge { get; set; }

    public string? Nonce { get; set; }

    public string? Website { get; set; }
}

public sealed class AddInformationForm
{
    public string? Access { get; set; }

    public string? Text { get; set; }

    /// <summary>A new safe time to contact the person; replaces the one the office follows.</summary>
    public string? SafeTimes { get; set; }

    public string? Website { get; set; }
}
