using Portal.Domain.Common;

namespace Portal.Domain.Drafts;

/// <summary>
/// What one person has typed into one form of a case and not saved yet (a note, a referral): theirs alone, replaced as
/// they type, and gone once the form is saved or discarded, when they sign out, or when it has lain unused too long.
/// The content is the form's own serialised fields; the store never reads it.
/// </summary>
public sealed class Draft
{
    public const int FormMaxLength = 100;
    public const int ContentMaxLength = 60_000;

    private Draft()
    {
    }

    public Guid Id { get; private set; }

    public Guid CaseId { get; private set; }

    public string AuthorId { get; private set; } = string.Empty;

    /// <summary>Which form of the case: "note", "referral" (a new one), "followup", "closure-request", "message".</summary>
    public string Form { get; private set; } = string.Empty;

    public string Content { get; private set; } = string.Empty;

    public DateTime SavedAtUtc { get; private set; }

    public static Draft Start(Guid caseId, string authorId, string form, string content, TimeProvider clock)
    {
        var draft = new Draft
        {
            Id = Guid.CreateVersion7(),
            CaseId = caseId,
            AuthorId = Guard.UserId(authorId, "Author"),
            Form = Guard.Required(form, "Form", FormMaxLength),
        };
        draft.Replace(content, clock);
        return draft;
    }

    public void Replace(string content, TimeProvider clock)
    {
        Content = Guard.Required(content, "Draft", ContentMaxLength);
        SavedAtUtc = clock.GetUtcDateTime();
    }
}

public static class DraftRules
{
    /// <summary>Saved before the cut-off (now less the configured lifetime): never offered again, and deleted.</summary>
    public static readonly Rule<Draft, DateTime> Expired = new((d, cutoff) => d.SavedAtUtc < cutoff);
}
