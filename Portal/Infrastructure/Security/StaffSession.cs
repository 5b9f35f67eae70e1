using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Infrastructure.Security;

/// <summary>
/// One signed-in session, held on the server so that idle time, the absolute limit and sign-out apply to
/// every tab and circuit at once. The cookie carries only the session's id (encrypted).
/// </summary>
public sealed class StaffSession
{
    public string Id { get; set; } = "";

    public string UserId { get; set; } = "";

    public DateTimeOffset StartedUtc { get; set; }

    public DateTimeOffset LastActivityUtc { get; set; }

    public DateTimeOffset? EndedUtc { get; set; }

    public SessionEndReason? EndReason { get; set; }
}

public enum SessionEndReason
{
    SignedOut = 1,
    Idle = 2,
    AbsoluteLimit = 3,
    AccountChanged = 4,
    Disabled = 5,
    Replaced = 6,
}

internal sealed class StaffSessionConfiguration : IEntityTypeConfiguration<StaffSession>
{
    public void Configure(EntityTypeBuilder<StaffSession> builder)
    {
        builder.ToTable("StaffSessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(64);
        builder.Property(s => s.UserId).HasMaxLength(450);
        builder.Property(s => s.EndReason).HasConversion<string>().HasMaxLength(32);
        builder.HasOne<StaffUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.UserId);
    }
}
