using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Features.Queues;

/// <summary>A user's own named filter over all the cases they may see.</summary>
public sealed class SavedQueue
{
    public const int NameMaxLength = 60;
    private static readonly JsonSerializerOptions Json = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private SavedQueue()
    {
    }

    public Guid Id { get; private set; }

    public string OwnerUserId { get; private set; } = "";

    public string Name { get; private set; } = "";

    public string FilterJson { get; private set; } = "{}";

    public DateTime CreatedAtUtc { get; private set; }

    public QueueFilter Filter => JsonSerializer.Deserialize<QueueFilter>(FilterJson, Json) ?? QueueFilter.None;

    public static SavedQueue Create(string ownerUserId, string name, QueueFilter filter, DateTime nowUtc)
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
            FilterJson = JsonSerializer.Serialize(filter, Json),
            CreatedAtUtc = nowUtc,
        };
    }
}

public sealed class SavedQueueConfiguration : IEntityTypeConfiguration<SavedQueue>
{
    public void Configure(EntityTypeBuilder<SavedQueue> builder)
    {
        builder.ToTable("SavedQueues");
        builder.HasKey(q => q.Id);
        builder.Property(q => q.OwnerUserId).HasMaxLength(450).IsRequired();
        builder.Property(q => q.Name).HasMaxLength(SavedQueue.NameMaxLength).IsRequired();
        builder.Property(q => q.FilterJson).HasMaxLength(4000).IsRequired();
        builder.Ignore(q => q.Filter);
        builder.HasIndex(q => new { q.OwnerUserId, q.Name }).IsUnique();
    }
}
