using Portal.Domain.Intake;

namespace Portal.Features.Intake;

/// <summary>How and when the person says it is safe to contact them. Stored encrypted; every part is optional.</summary>
public sealed record ContactDetails(string? Phone, string? WhatsApp, string? Email, string? TrustedPerson, bool InPerson, string? SafeTimes);

/// <summary>A validated submission of the public form, text as written.</summary>
/// <param name="Account">What happened and what help is needed.</param>
/// <param name="CountryAnswer">The served country chosen (ISO alpha-2), or null for another country / not said.</param>
/// <param name="Language">The public page language the person used (BCP 47).</param>
public sealed record IntakeRequest(
    string Account,
    IReadOnlyCollection<HelpKind> Help,
    string? CountryAnswer,
    string? Area,
    ChildBornAnswer ChildBorn,
    ContactDetails Contact,
    string Language);

/// <summary>Shown to the person once: the only way back to their request.</summary>
public sealed record IntakeReceipt(string ReferenceCode, string Passphrase);

/// <summary>
/// What sending the form did: <see cref="Receipt"/> for a new request, or for the same form sent again soon after (the
/// same receipt). No receipt and <see cref="SentBefore"/>: this form was received long ago, and nothing new was made.
/// </summary>
public sealed record SubmitResult(IntakeReceipt? Receipt, bool SentBefore);

/// <summary>The three states a person sees; staff-side states map onto them.</summary>
public enum PublicStatus
{
    Received,
    AdvocateAssigned,
    Closed,
}

/// <summary>What the status page shows after a successful check.</summary>
public sealed record StatusView(Guid SubmissionId, PublicStatus Status, DateTimeOffset ReceivedAt, IReadOnlyList<StatusMessage> Messages);

public enum StatusMessageKind
{
    Account,
    Addition,
    FromOffice,
}

/// <summary>One entry of the person's thread: their first account, a later addition, or a message from the office.</summary>
public sealed record StatusMessage(DateTimeOffset At, string Text, StatusMessageKind Kind)
{
    /// <summary>The safe time to contact them that an addition gave.</summary>
    public string? SafeTimes { get; init; }

    /// <summary>A message from the office: the first name it is signed with, or null for "your advocate".</summary>
    public string? Signature { get; init; }
}
