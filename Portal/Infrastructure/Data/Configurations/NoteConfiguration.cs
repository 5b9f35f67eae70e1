using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Notes;

namespace Portal.Infrastructure.Data.Configurations;

public sealed class NoteConfiguration : IEntityTypeConfiguration<Note>
{
    public void Configure(EntityTypeBuilder<Note> builder)
    {
        builder.ToTable("Notes");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Text).HasMaxLength(Note.TextMaxLength);
        builder.Property(n => n.AuthorId).HasMaxLength(Guard.UserIdMaxLength);

        builder.HasOne<Case>().WithMany().HasForeignKey(n => n.CaseId).OnDelete(DeleteBehavior.Restrict);

        // The case timeline, newest or oldest first.
        builder.HasIndex(n => new { n.CaseId, n.CreatedAtUtc });
    }
}
