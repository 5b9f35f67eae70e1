namespace Portal.Domain.Common;

/// <summary>
/// A record several people may change at once. Its version is replaced by every change, and the database refuses a save
/// made from an older version (the version is its concurrency token), so nobody overwrites someone else's work unseen.
/// </summary>
public abstract class VersionedEntity : AuditedEntity
{
    public Guid Version { get; private set; }

    /// <summary>Called by every method that changes the record, and when it is created.</summary>
    protected void Touch() => Version = Guid.NewGuid();
}
