using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Plans;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// A case's assessment and every version of it. What is needed, the person's wish and the reason for the risk are told
/// in words about the person's life, so they are sealed with the case's key like the rest of the case's text; the kinds
/// of assistance, urgencies and risk levels stay in clear.
/// </summary>
public sealed class AssessmentConfiguration : IEntityTypeConfiguration<Assessment>
{
    public void Configure(EntityTypeBuilder<Assessment> builder)
    {
        builder.ToTable("Assessments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.HasDataKey(a => a.CaseId);
        builder.HasAuditStamps();
        builder.Ignore(a => a.Current);
        builder.Ignore(a => a.CurrentNeeds);

        builder.HasOne<Case>().WithMany().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Restrict);

        // One assessment per case, revised in versions.
        builder.HasIndex(a => a.CaseId).IsUnique();

        builder.OwnsMany(a => a.Versions, version =>
        {
            version.ToTable("AssessmentVersions");
            version.WithOwner().HasForeignKey("AssessmentId");
            version.HasKey("AssessmentId", nameof(AssessmentVersion.Sequence));
            version.Property(v => v.Sequence).ValueGeneratedNever();
            version.Property(v => v.RecordedBy).HasMaxLength(Guard.UserIdMaxLength);
            version.Property(v => v.RiskReason).IsProtected();
        });
        builder.Navigation(a => a.Versions).HasField("_versions").UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.OwnsMany(a => a.AllNeeds, need =>
        {
            need.ToTable("AssessedNeeds");
            need.WithOwner().HasForeignKey("AssessmentId");
            need.HasKey("AssessmentId", nameof(AssessedNeed.Sequence), nameof(AssessedNeed.Type));
            need.Property(n => n.Sequence).ValueGeneratedNever();
            need.Property(n => n.WhatIsNeeded).IsProtected();
            need.Property(n => n.PersonsWish).IsProtected();
        });
        builder.Navigation(a => a.AllNeeds).HasField("_needs").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
