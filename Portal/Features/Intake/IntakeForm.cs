namespace Portal.Features.Intake;

/// <summary>Whether a child was born as a result; the person may leave it unanswered.</summary>
public enum ChildBornAnswer
{
    Yes,
    No,
    PreferNotToSay,
}

/// <summary>The kinds of help a person can ask for on the public form (several at once).</summary>
[Flags]
public enum HelpWanted
{
    None = 0,
    Medical = 1,
    Psychological = 2,
    Legal = 4,
    ChildSupport = 8,
    Livelihood = 16,
    Schooling = 32,
    Safety = 64,
    Other = 128,
}

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

    /// <summary>Proof-of-work challenge token and the browser's answer.</summary>
    public string? Challenge { get; set; }

    public string? Nonce { get; set; }

    /// <summary>Honeypot: hidden from people by the stylesheet; only a bot fills it.</summary>
    public string? Website { get; set; }

    public HelpWanted Help =>
        (Medical ? HelpWanted.Medical : 0) | (Psychological ? HelpWanted.Psychological : 0) | (Legal ? HelpWanted.Legal : 0)
        | (ChildSupport ? HelpWanted.ChildSupport : 0) | (Livelihood ? HelpWanted.Livelihood : 0) | (Schooling ? HelpWanted.Schooling : 0)
        | (Safety ? HelpWanted.Safety : 0) | (OtherHelp ? HelpWanted.Other : 0);
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

    public string? Website { get; set; }
}
