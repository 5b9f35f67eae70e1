using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Plans;
using Portal.Domain.Referrals;
using ServiceProvider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Infrastructure.Data.Configurations;

public sealed class ReferralConfiguration : IEntityTypeConfiguration<Referral>
{
    public void Configure(EntityTypeBuilder<Referral> builder)
    {
        builder.ToTable("Referrals");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.CaseNumber).HasMaxLength(PortalConventions.CaseNumberMaxLength);
        builder.Property(r => r.CountryCode).HasMaxLength(PortalConventions.CountryCodeMaxLength);
        builder.Property(r => r.Reason).HasMaxLength(Referral.ReasonMaxLength);
        builder.Property(r => r.DeclineReason).HasMaxLength(Referral.ReasonMaxLength);
        builder.Property(r => r.OutcomeComment).HasMaxLength(Referral.CommentMaxLength);
        builder.Property(r => r.WithdrawReason).HasMaxLength(Referral.ReasonMaxLength);
        builder.Property(r => r.SentBy).HasMaxLength(Guard.UserIdMaxLength);
        builder.HasAuditStamps();
        builder.Ignore(r => r.IsOpen);

        builder.HasOne<Case>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ServiceProvider>().WithMany().HasForeignKey(r => r.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PlanGoal>().WithMany().HasForeignKey(r => r.GoalId).OnDelete(DeleteBehavior.Restrict);

        builder.OwnsOne(r => r.ConsentOverride, consentOverride =>
        {
            consentOverride.Property(o => o.ByUserId).HasMaxLength(Guard.UserIdMaxLength);
            consentOverride.Property(o => o.Reason).HasMaxLength(Referral.ReasonMaxLength);
            consentOverride.Property(o => o.MissingConsent).HasMaxLength(500);
        });

        builder.OwnsMany(r => r.History, history =>
        {
            history.ToTable("ReferralStatusChanges");
            history.WithOwner().HasForeignKey("ReferralId");
            history.HasKey("ReferralId", nameof(ReferralStatusChange.Sequence));
            history.Property(h => h.Sequence).ValueGeneratedNever();
            history.Property(h => h.ByUserId).HasMaxLength(Guard.UserIdMaxLength);
            history.Property(h => h.Comment).HasMaxLength(Referral.CommentMaxLength);
        });
        builder.Navigation(r => r.History).HasField("_history").UsePropertyAccessMode(PropertyAccessMode.Field);

        // Unanswered referrals past their acceptance deadline (reminder scan, coordinators' dashboard).
        builder.HasIndex(r => new { r.Status, r.AcceptanceDueAtUtc });

        // Dashboard (issue 8): referrals sent in a period by type and status, distinct cases and the acceptance median,
        // all answered from this index without reading referral rows.
        builder.HasIndex(r => new { r.SentAtUtc, r.CountryCode, r.Type, r.Status, r.CaseId, r.AcceptedAtUtc });

        // A case's referrals, by status (also the foreign key's index); the type carried so that "has a referral of this
        // type" and the case's referral types (CaseReferralTypes) are answered from the index alone.
        builder.HasIndex(r => new { r.CaseId, r.Status, r.Type });
    }
}
