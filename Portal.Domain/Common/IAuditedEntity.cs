namespace Portal.Domain.Common;

/// <summary>
/// Who created and last changed a record. Set by the persistence layer (an EF interceptor) from the signed-in
/// user, so domain methods do not repeat it; the methods are public because that layer lives in another assembly.
/// </summary>
public interface IAuditedEntity
{
    DateTime CreatedAtUtc { get; }

    string? CreatedBy { get; }

    DateTime? ChangedAtUtc { get; }

    string? ChangedBy { get; }

    void StampCreated(string? by, DateTime atUtc);

    void StampChanged(string? by, DateTime atUtc);
}

public abstract class AuditedEntity : IAuditedEntity
{
    public DateTime CreatedAtUtc { get; private set; }

    public string? CreatedBy { get; private set; }

    public DateTime? ChangedAtUtc { get; private set; }

    public string? ChangedBy { get; private set; }

    public void StampCreated(string? by, DateTime atUtc)
    {
        CreatedBy = by;
        CreatedAtUtc = Guard.Utc(atUtc, nameof(atUtc));
    }

    public void StampChanged(string? by, DateTime atUtc)
    {
        ChangedBy = by;
        ChangedAtUtc = Guard.Utc(atUtc, nameof(atUtc));
    }
}
