using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;

namespace Portal.Infrastructure.Data.Configurations;

public sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> builder)
    {
        builder.ToTable("FollowUps");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.Title).HasMaxLength(FollowUp.TitleMaxLength);
        builder.Property(f => f.SnoozeReason).HasMaxLength(FollowUp.ReasonMaxLength);
        builder.Property(f => f.SnoozedBy).HasMaxLength(Guard.UserIdMaxLength);
        builder.Property(f => f.DoneBy).HasMaxLength(Guard.UserIdMaxLength);
        builder.Property(f => f.DoneNote).HasMaxLength(FollowUp.NoteMaxLength);
        builder.Property(f => f.CancelledBy).HasMaxLength(Guard.UserIdMaxLength);
        builder.Property(f => f.CancelReason).HasMaxLength(FollowUp.ReasonMaxLength);
        builder.HasAuditStamps();

        builder.Ignore(f => f.IsOpen);
        builder.Ignore(f => f.EffectiveDueAtUtc);

        builder.HasOne<Case>().WithMany().HasForeignKey(f => f.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Referral>().WithMany().HasForeignKey(f => f.ReferralId).OnDelete(DeleteBehavior.Restrict);

        builder.OwnsMany(f => f.MovedHistory, move =>
        {
            move.ToTable("FollowUpMoves");
            move.WithOwner().HasForeignKey("FollowUpId");
            move.HasKey("FollowUpId", nameof(FollowUpMove.Sequence));
            move.Property(m => m.Sequence).ValueGeneratedNever();
            move.Property(m => m.Reason).HasMaxLength(FollowUp.ReasonMaxLength);
            move.Property(m => m.ByUserId).HasMaxLength(Guard.UserIdMaxLength);
        });
        builder.Navigation(f => f.MovedHistory).HasField("_moves").UsePropertyAccessMode(PropertyAccessMode.Field);

        // Due and overdue checks (reminder scan, "Due follow-ups" queue): open ones by planned date, snoozed ones by
        // the end of their snooze, which is when they fall due again. The first also carries what the overdue rule
        // reads (urgency, snooze end) and the case, so the dashboard's overdue count reads this index alone instead of
        // every open check's row.
        builder.HasIndex(f => new { f.Status, f.DueAtUtc, f.IsUrgent, f.SnoozedUntilUtc, f.CaseId });
        builder.HasIndex(f => new { f.Status, f.SnoozedUntilUtc });

        // The same within one country, for the figures of a country (CaseCountryCopies).
        CaseCountryCopies.Configure(builder);
        builder.HasIndex(CaseCountryCopies.Column, nameof(FollowUp.Status), nameof(FollowUp.DueAtUtc), nameof(FollowUp.IsUrgent), nameof(FollowUp.SnoozedUntilUtc), nameof(FollowUp.CaseId));

        // The reminder scan also looks at checks created or changed since its last run (a check entered late, or moved
        // into the past, has a due date the scan's window has already passed).
        builder.HasIndex(f => f.CreatedAtUtc);
        builder.HasIndex(f => f.ChangedAtUtc);

        // A case's checks and "next due follow-up per case": MIN(DueAtUtc) per case is a seek.
        builder.HasIndex(f => new { f.CaseId, f.Status, f.DueAtUtc });
    }
}
