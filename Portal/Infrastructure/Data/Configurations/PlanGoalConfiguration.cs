using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Plans;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>A goal of a case's action plan; what it says of the person's life and a drop reason are sealed with the case's key.</summary>
public sealed class PlanGoalConfiguration : IEntityTypeConfiguration<PlanGoal>
{
    public void Configure(EntityTypeBuilder<PlanGoal> builder)
    {
        builder.ToTable("PlanGoals");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).ValueGeneratedNever();
        builder.HasDataKey(g => g.CaseId);
        builder.Property(g => g.Description).IsProtected();
        builder.Property(g => g.DropReason).IsProtected();
        builder.Property(g => g.EndedBy).HasMaxLength(Guard.UserIdMaxLength);
        builder.PrimitiveCollection(g => g.Needs).HasField("_needs").UsePropertyAccessMode(PropertyAccessMode.Field).HasEnumNames();
        builder.HasAuditStamps();
        builder.Ignore(g => g.IsOpen);

        builder.HasOne<Case>().WithMany().HasForeignKey(g => g.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}
