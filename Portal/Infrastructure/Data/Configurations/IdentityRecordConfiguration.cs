using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// Who the person is, in a table of its own keyed by case id, so no case query ever reads it. Every field that could
/// identify or reach the person is encrypted, with the case's own key. Encrypted columns carry no maximum length: the ciphertext is several
/// times longer than the text, and the domain already bounds the text.
/// </summary>
public sealed class IdentityRecordConfiguration : IEntityTypeConfiguration<IdentityRecord>
{
    public void Configure(EntityTypeBuilder<IdentityRecord> builder)
    {
        builder.ToTable("IdentityRecords");
        builder.HasKey(i => i.CaseId);
        builder.Property(i => i.CaseId).ValueGeneratedNever();
        builder.HasDataKey(i => i.CaseId);
        builder.Property(i => i.GivenName).IsProtected();
        builder.Property(i => i.FamilyName).IsProtected();
        builder.Property(i => i.OtherNames).IsProtected();
        builder.Property(i => i.Phone).IsProtected();
        builder.Property(i => i.Email).IsProtected();
        builder.Property(i => i.SafeContactTimes).IsProtected();
        builder.Property(i => i.ExactAddress).IsProtected();
        builder.HasAuditStamps();

        // Erasing a case erases who the person was with it.
        builder.HasOne<Case>().WithOne().HasForeignKey<IdentityRecord>(i => i.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
