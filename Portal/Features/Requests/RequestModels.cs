using Portal.Domain.Intake;
using Portal.Domain.Referrals;

namespace Portal.Features.Requests;

/// <summary>
/// The person's own words in a case: each request they sent (a second one when they lost their passphrase) and the
/// messages between them and the office. Contact details and safe times are not here: they are shown only with the
/// identity, on its audited reveal.
/// </summary>
public sealed record RequestView(
    IReadOnlyList<PersonRequest> Requests,
    IReadOnlyList<ThreadEntry> Thread,
    bool CanWrite,
    DateTime? UnreadSinceUtc);

/// <summary>One request as the person sent it. <see cref="Account"/> is empty once retention erased it.</summary>
public sealed record PersonRequest(
    Guid SubmissionId,
    string ReferenceCode,
    DateTime ReceivedAtUtc,
    string Language,
    string? CountryAnswer,
    string? Area,
    ChildBornAnswer ChildBorn,
    IReadOnlyList<RequestedHelp> Help,
    bool GaveContactDetails)
{
    /// <summary>The number of the case this request opened, when it was later linked into this one; null for the case's own.</summary>
    public string? LinkedFromCase { get; init; }
}

/// <summary>A kind of help the person ticked, and the assistance type an advocate can refer it as (none for "something else").</summary>
public sealed record RequestedHelp(HelpKind Help, ReferralType? AssistanceType);

public enum ThreadEntryKind
{
    Account,
    Addition,
    Message,
}

/// <summary>
/// One entry of the thread, in the order it happened: the account or an addition by the person, or a message to them.
/// <see cref="SafeTimesChanged"/> says that an addition gave a new safe time (its value is shown with the identity).
/// </summary>
public sealed record ThreadEntry(ThreadEntryKind Kind, DateTime AtUtc, string Text, string Language)
{
    public string? ReferenceCode { get; init; }

    public bool SafeTimesChanged { get; init; }

    /// <summary>A message: the staff member who wrote it (never shown to the person) and how it was signed for them.</summary>
    public string? SentByName { get; init; }

    public string? Signature { get; init; }

    /// <summary>A message: when the person first read it on the status page.</summary>
    public DateTime? ReadAtUtc { get; init; }
}
