using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Drafts;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>Unsaved form text is case data: sealed with the case's key, so retention and a copy of the database treat it like the rest.</summary>
public sealed class DraftConfiguration : IEntityTypeConfiguration<Draft>
{
    public void Configure(EntityTypeBuilder<Draft> builder)
    {
        builder.ToTable("Drafts");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.HasDataKey(d => d.CaseId);
        builder.Property(d => d.Content).IsProtected();
        builder.Property(d => d.AuthorId).HasMaxLength(Guard.UserIdMaxLength);
        builder.Property(d => d.Form).HasMaxLength(Draft.FormMaxLength);

        builder.HasOne<Case>().WithMany().HasForeignKey(d => d.CaseId).OnDelete(DeleteBehavior.Cascade);

        // One draft per person, case and form; the expiry sweep reads by age.
        builder.HasIndex(d => new { d.AuthorId, d.CaseId, d.Form }).IsUnique();
        builder.HasIndex(d => d.SavedAtUtc);
    }
}
