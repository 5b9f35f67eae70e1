using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.Common;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>The office's messages to the person: the text is sealed with the case's key, so retention destroys it with the identity.</summary>
public sealed class PersonMessageConfiguration : IEntityTypeConfiguration<PersonMessage>
{
    public void Configure(EntityTypeBuilder<PersonMessage> builder)
    {
        builder.ToTable("PersonMessages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.HasDataKey(m => m.CaseId);
        builder.Property(m => m.Text).IsProtected();
        builder.Property(m => m.SentBy).HasMaxLength(Guard.UserIdMaxLength);
        builder.Property(m => m.Signature).HasMaxLength(PersonMessage.SignatureMaxLength);

        builder.HasOne<Case>().WithMany().HasForeignKey(m => m.CaseId).OnDelete(DeleteBehavior.Cascade);

        // The thread of a case, oldest first.
        builder.HasIndex(m => new { m.CaseId, m.SentAtUtc });
    }
}
