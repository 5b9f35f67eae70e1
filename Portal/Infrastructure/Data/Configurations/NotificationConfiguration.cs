using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Notifications;

namespace Portal.Infrastructure.Data.Configurations;

public sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("Notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.DeliveryKey).HasMaxLength(Notification.DeliveryKeyMaxLength).IsRequired();
        builder.Property(n => n.RecipientUserId).HasMaxLength(Guard.UserIdMaxLength).IsRequired();
        builder.Property(n => n.CaseNumber).HasMaxLength(PortalConventions.CaseNumberMaxLength);
        builder.Property(n => n.CountryCode).HasMaxLength(PortalConventions.CountryCodeMaxLength);
        builder.Property(n => n.MessageId).HasMaxLength(Notification.MessageIdMaxLength);
        builder.Property(n => n.WorkerNode).HasMaxLength(Notification.WorkerNodeMaxLength);
        builder.Property(n => n.ClaimedBy).HasMaxLength(Notification.WorkerNodeMaxLength);
        builder.Property(n => n.Version).IsConcurrencyToken();
        builder.Ignore(n => n.IsUnread);

        builder.HasOne<Case>().WithMany().HasForeignKey(n => n.CaseId).OnDelete(DeleteBehavior.Restrict);

        // Exactly once: planning the same delivery twice collides here, whoever tries.
        builder.HasIndex(n => n.DeliveryKey).IsUnique();

        // Dispatch: pending messages whose moment has come.
        builder.HasIndex(n => new { n.Status, n.DeliverAfterUtc });

        // The bell and the list: one user's delivered in-app messages, newest first; unread ones counted from here.
        builder.HasIndex(n => new { n.RecipientUserId, n.Channel, n.Status, n.DeliveredAtUtc });

        // A case's timeline.
        builder.HasIndex(n => new { n.CaseId, n.Status });
    }
}
