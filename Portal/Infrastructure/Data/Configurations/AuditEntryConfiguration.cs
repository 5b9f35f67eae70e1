using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Audit;
using Portal.Domain.Common;

namespace Portal.Infrastructure.Data.Configurations;

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(e => e.Id);
        // The appender assigns the position in the chain; the key makes a second writer collide, never fork.
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.AtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        builder.Property(e => e.UserId).HasMaxLength(Guard.UserIdMaxLength);
        builder.Property(e => e.UserName).HasMaxLength(AuditEntry.UserNameMaxLength);
        builder.Property(e => e.Role).HasMaxLength(AuditEntry.RoleMaxLength);
        builder.Property(e => e.IpAddress).HasMaxLength(AuditEntry.IpAddressMaxLength);
        builder.Property(e => e.Action).HasConversion<string>().HasMaxLength(64);
        builder.Property(e => e.RecordType).HasMaxLength(AuditEntry.RecordTypeMaxLength);
        builder.Property(e => e.RecordId).HasMaxLength(AuditEntry.RecordIdMaxLength);
        builder.Property(e => e.Detail).HasMaxLength(AuditEntry.DetailMaxLength);
        builder.Property(e => e.PreviousHash).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Hash).HasMaxLength(64).IsRequired();
        builder.HasIndex(e => new { e.RecordType, e.RecordId });
        builder.HasIndex(e => e.UserId);
    }
}
