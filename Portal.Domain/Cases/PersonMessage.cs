using Portal.Domain.Common;

namespace Portal.Domain.Cases;

/// <summary>
/// A message from the office to the person, read on the status page after they give their reference code and
/// passphrase. It names staff by a first name at most (or "your advocate" when <see cref="Signature"/> is null): the
/// person may be read over the shoulder, and a full name is not theirs to carry. Its text is sealed with the case key.
/// </summary>
public sealed class PersonMessage
{
    public const int TextMaxLength = 4000;
    public const int SignatureMaxLength = 40;

    private PersonMessage()
    {
    }

    public Guid Id { get; private set; }

    public Guid CaseId { get; private set; }

    public string Text { get; private set; } = string.Empty;

    /// <summary>The staff user who wrote it; never shown to the person.</summary>
    public string SentBy { get; private set; } = string.Empty;

    /// <summary>A first name, or null for "your advocate".</summary>
    public string? Signature { get; private set; }

    public DateTime SentAtUtc { get; private set; }

    /// <summary>When the person first saw it on the status page.</summary>
    public DateTime? ReadAtUtc { get; private set; }

    public static PersonMessage Write(Guid caseId, string text, string sentBy, string? signature, TimeProvider clock)
    {
        var firstName = Guard.Optional(signature, "Signature", SignatureMaxLength);
        if (firstName is not null && firstName.Any(char.IsWhiteSpace))
        {
            throw new DomainException(ErrorCodes.InvalidValue, "A message is signed with a first name only, or as \"your advocate\".");
        }

        return new PersonMessage
        {
            Id = Guid.CreateVersion7(),
            CaseId = caseId,
            Text = Guard.Required(text, "Message", TextMaxLength),
            SentBy = Guard.UserId(sentBy, "Sender"),
            Signature = firstName,
            SentAtUtc = clock.GetUtcDateTime(),
        };
    }

    /// <summary>Part of <see cref="Case.LinkInto"/>: the thread follows the request into the case it was linked into.</summary>
    internal void MoveToCase(Guid from, Guid to)
    {
        if (CaseId != from)
        {
            throw new DomainException(ErrorCodes.InvalidValue, "A message of another case cannot move with this one.");
        }

        CaseId = to;
    }

    /// <summary>The first reading counts; showing it again changes nothing.</summary>
    public void MarkRead(TimeProvider clock) => ReadAtUtc ??= clock.GetUtcDateTime();

    /// <summary>The first word of a display name: what a message may say of who wrote it.</summary>
    public static string? FirstNameOf(string? displayName) =>
        displayName?.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } first
            ? first[..Math.Min(first.Length, SignatureMaxLength)]
            : null;
}
