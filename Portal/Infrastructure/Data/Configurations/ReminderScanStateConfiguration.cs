using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Reminders;

namespace Portal.Infrastructure.Data.Configurations;

public sealed class ReminderScanStateConfiguration : IEntityTypeConfiguration<ReminderScanState>
{
    public void Configure(EntityTypeBuilder<ReminderScanState> builder)
    {
        builder.ToTable("ReminderScanState");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
    }
}
