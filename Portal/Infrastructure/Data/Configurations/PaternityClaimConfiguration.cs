using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.Referrals;

namespace Portal.Infrastructure.Data.Configurations;

public sealed class PaternityClaimConfiguration : IEntityTypeConfiguration<PaternityClaim>
{
    /// <summary>"Member State 07"; the domain checks the form.</summary>

    public void Configure(EntityTypeBuilder<PaternityClaim> builder)
    {
        builder.ToTable("PaternityClaims");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.MemberStateCode).HasMaxLength(MemberStates.CodeLength);
        builder.PrimitiveCollection(p => p.Jurisdictions).HasField("_jurisdictions").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasAuditStamps();

        builder.Property(p => p.CarriedOnBy).HasMaxLength(Guard.UserIdMaxLength);
        builder.Ignore(p => p.IsFinal);
        builder.Ignore(p => p.IsCarriedOn);

        builder.HasOne<Child>().WithMany().HasForeignKey(p => p.ChildId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(p => p.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Referral>().WithMany().HasForeignKey(p => p.LegalAidReferralId).OnDelete(DeleteBehavior.Restrict);

        builder.OwnsMany(p => p.History, history =>
        {
            history.ToTable("PaternityClaimStatusChanges");
            history.WithOwner().HasForeignKey("PaternityClaimId");
            history.HasKey("PaternityClaimId", nameof(PaternityClaimStatusChange.Sequence));
            history.Property(h => h.Sequence).ValueGeneratedNever();
            history.Property(h => h.ByUserId).HasMaxLength(Guard.UserIdMaxLength);
            history.Property(h => h.Note).HasMaxLength(PaternityClaim.NoteMaxLength);
        });
        builder.Navigation(p => p.History).HasField("_history").UsePropertyAccessMode(PropertyAccessMode.Field);

        // Stale claims: open statuses whose last movement is older than the threshold.
        builder.HasIndex(p => new { p.Status, p.LastMovementAtUtc });

        // A country's claims, read from the index with what its figures need (CaseCountryCopies).
        CaseCountryCopies.Configure(builder);
        builder.HasIndex(CaseCountryCopies.Column, nameof(PaternityClaim.Status), nameof(PaternityClaim.LastMovementAtUtc), nameof(PaternityClaim.CaseId));
    }
}
