namespace Portal.Domain.Cases;

/// <summary>
/// One step in a case's status history. <see cref="Sequence"/> orders the history (instants can tie) and, with the
/// case id, is a natural key for the owned collection.
/// </summary>
public sealed class CaseStatusChange
{
    private CaseStatusChange()
    {
    }

    internal CaseStatusChange(
        int sequence,
        CaseStatus? from,
        CaseStatus to,
        string? byUserId,
        DateTime atUtc,
        string? comment,
        CaseClosureReason? closureReason)
    {
        Sequence = sequence;
        From = from;
        To = to;
        ByUserId = byUserId;
        AtUtc = atUtc;
        Comment = comment;
        ClosureReason = closureReason;
    }

    public int Sequence { get; private set; }

    /// <summary>Null for the entry that opened the case.</summary>
    public CaseStatus? From { get; private set; }

    public CaseStatus To { get; private set; }

    /// <summary>Null when the system acted, e.g. opening a case from the public form.</summary>
    public string? ByUserId { get; private set; }

    public DateTime AtUtc { get; private set; }

    public string? Comment { get; private set; }

    /// <summary>Kept on the history entry because a reopened case clears its current closure reason.</summary>
    public CaseClosureReason? ClosureReason { get; private set; }
}
