using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Common;
using Portal.Domain.Queues;

namespace Portal.Infrastructure.Data.Configurations;

public sealed class SavedQueueConfiguration : IEntityTypeConfiguration<SavedQueue>
{
    public void Configure(EntityTypeBuilder<SavedQueue> builder)
    {
        builder.ToTable("SavedQueues");
        builder.HasKey(q => q.Id);
        builder.Property(q => q.OwnerUserId).HasMaxLength(Guard.UserIdMaxLength).IsRequired();
        builder.Property(q => q.Name).HasMaxLength(SavedQueue.NameMaxLength).IsRequired();
        builder.Property(q => q.FilterJson).HasMaxLength(4000).IsRequired();
        builder.HasIndex(q => new { q.OwnerUserId, q.Name }).IsUnique();
    }
}
