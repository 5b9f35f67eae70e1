using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Documents;
using Portal.Domain.Referrals;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>A case's documents: the record (its name and note sealed with the case's key) and, apart, its sealed content.</summary>
public sealed class CaseDocumentConfiguration : IEntityTypeConfiguration<CaseDocument>
{
    public void Configure(EntityTypeBuilder<CaseDocument> builder)
    {
        builder.ToTable("CaseDocuments");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.HasDataKey(d => d.CaseId);
        builder.Property(d => d.FileName).IsProtected();
        builder.Property(d => d.Note).IsProtected();
        builder.Property(d => d.DeleteReason).IsProtected();
        builder.Property(d => d.ContentHash).HasMaxLength(64);
        builder.Property(d => d.UploadedBy).HasMaxLength(Guard.UserIdMaxLength);
        builder.Property(d => d.DeletedBy).HasMaxLength(Guard.UserIdMaxLength);
        builder.HasAuditStamps();
        builder.Ignore(d => d.IsDeleted);

        builder.HasOne<Case>().WithMany().HasForeignKey(d => d.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Referral>().WithMany().HasForeignKey(d => d.ReferralId).OnDelete(DeleteBehavior.Restrict);

        // The case's documents, and the same content attached again (a retried upload) found at once. Unique among the
        // documents not deleted: two uploads of one file at the same moment cannot both be stored (the second is run again
        // by the command path and finds the first).
        builder.HasIndex(d => new { d.CaseId, d.ContentHash }).IsUnique().HasFilter("\"DeletedAtUtc\" IS NULL");
    }
}

/// <summary>A document's content, sealed: kept apart so that listing a case's documents never reads the files.</summary>
public sealed class DocumentContentConfiguration : IEntityTypeConfiguration<DocumentContent>
{
    public void Configure(EntityTypeBuilder<DocumentContent> builder)
    {
        builder.ToTable("DocumentContents");
        builder.HasKey(c => c.DocumentId);
        builder.Property(c => c.DocumentId).ValueGeneratedNever();
        builder.HasOne<CaseDocument>().WithOne().HasForeignKey<DocumentContent>(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}
