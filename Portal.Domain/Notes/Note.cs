using Portal.Domain.Common;

namespace Portal.Domain.Notes;

/// <summary>A timeline entry on a case. Notes are never edited, so the timeline stays a faithful record.</summary>
public sealed class Note
{
    public const int TextMaxLength = 10_000;

    private Note()
    {
    }

    public Guid Id { get; private set; }

    public Guid CaseId { get; private set; }

    public string Text { get; private set; } = string.Empty;

    public string AuthorId { get; private set; } = string.Empty;

    public DateTime CreatedAtUtc { get; private set; }

    public static Note Create(Guid caseId, string text, string authorId, TimeProvider clock) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            CaseId = caseId,
            Text = Guard.Required(text, "Note text", TextMaxLength),
            AuthorId = Guard.UserId(authorId, "Author"),
            CreatedAtUtc = clock.GetUtcDateTime(),
        };
}
