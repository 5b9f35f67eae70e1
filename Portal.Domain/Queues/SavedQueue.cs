namespace Portal.Domain.Queues;

/// <summary>A user's own named filter over all the cases they may see. The filter is the queues' own, kept as JSON text.</summary>
public sealed class SavedQueue
{
    public const int NameMaxLength = 60;

    private SavedQueue()
    {
    }

    public Guid Id { get; private set; }

    public string OwnerUserId { get; private set; } = "";

    public string Name { get; private set; } = "";

    public string FilterJson { get; private set; } = "{}";

    public DateTime CreatedAtUtc { get; private set; }

    public static SavedQueue Create(string ownerUserId, string name, string filterJson, DateTime nowUtc)
    {
        var trimmed = name.Trim();
        if (trimmed.Length == 0 || trimmed.Length > NameMaxLength)
        {
            throw new ArgumentException($"A queue name has 1 to {NameMaxLength} characters.", nameof(name));
        }

        return new SavedQueue
        {
            Id = Guid.CreateVersion7(),
            OwnerUserId = ownerUserId,
            Name = trimmed,
            FilterJson = filterJson,
            CreatedAtUtc = nowUtc,
        };
    }
}
