using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.Children;

namespace Portal.Infrastructure.Data.Configurations;

public sealed class ChildConfiguration : IEntityTypeConfiguration<Child>
{
    public void Configure(EntityTypeBuilder<Child> builder)
    {
        builder.ToTable("Children");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Pseudonym).HasMaxLength(Child.PseudonymMaxLength);
        builder.Property(c => c.Needs).HasMaxLength(Child.NeedsMaxLength);
        builder.HasAuditStamps();

        builder.HasOne<Case>().WithMany().HasForeignKey(c => c.CaseId).OnDelete(DeleteBehavior.Restrict);

        // A country's children, counted from the index (CaseCountryCopies).
        CaseCountryCopies.Configure(builder);
        builder.HasIndex(CaseCountryCopies.Column, nameof(Child.IsExpected), nameof(Child.BirthYear));
    }
}
