using Portal.Domain.Common;

namespace Portal.Domain.Audit;

/// <summary>Who acted: a signed-in user, the public (user id null) or a job (a name such as "reminder-job").</summary>
public sealed record AuditActor(string? UserId, string? UserName, string? Role, string? IpAddress)
{
    public static AuditActor System(string name) => new(null, name, "System", null);
}

/// <summary>
/// An append-only record of who did or saw what. Entries form a hash chain (see <see cref="AuditChain"/>), so a
/// changed, removed or reordered entry is detectable. <see cref="Id"/> is the position in the chain, assigned by
/// the appender (previous + 1): a unique key on it makes two concurrent appends collide instead of forking the chain.
/// <see cref="Detail"/> must never hold sensitive values such as names, contact details or free text of a case.
/// </summary>
public sealed class AuditEntry
{
    public const int UserNameMaxLength = 256;
    public const int RoleMaxLength = 100;
    public const int IpAddressMaxLength = 45;
    public const int RecordTypeMaxLength = 100;
    public const int RecordIdMaxLength = 100;
    public const int DetailMaxLength = 2000;

    private AuditEntry()
    {
    }

    public long Id { get; private set; }

    public DateTime AtUtc { get; private set; }

    public string? UserId { get; private set; }

    public string? UserName { get; private set; }

    public string? Role { get; private set; }

    public string? IpAddress { get; private set; }

    public AuditAction Action { get; private set; }

    public string? RecordType { get; private set; }

    public string? RecordId { get; private set; }

    public string? Detail { get; private set; }

    public string PreviousHash { get; private set; } = string.Empty;

    public string Hash { get; private set; } = string.Empty;

    public static AuditEntry Append(
        AuditEntry? previous,
        AuditActor actor,
        AuditAction action,
        string? recordType,
        string? recordId,
        string? detail,
        TimeProvider clock)
    {
        var entry = new AuditEntry
        {
            Id = (previous?.Id ?? 0) + 1,
            AtUtc = TruncateToMicroseconds(clock.GetUtcDateTime()),
            UserId = Guard.Optional(actor.UserId, "User id", Guard.UserIdMaxLength),
            UserName = Guard.Optional(actor.UserName, "User name", UserNameMaxLength),
            Role = Guard.Optional(actor.Role, "Role", RoleMaxLength),
            IpAddress = Guard.Optional(actor.IpAddress, "IP address", IpAddressMaxLength),
            Action = Guard.Defined(action, "Audit action"),
            RecordType = Guard.Optional(recordType, "Record type", RecordTypeMaxLength),
            RecordId = Guard.Optional(recordId, "Record id", RecordIdMaxLength),
            Detail = Guard.Optional(detail, "Detail", DetailMaxLength),
            PreviousHash = previous?.Hash ?? AuditChain.GenesisHash,
        };
        entry.Hash = AuditChain.ComputeHash(entry.PreviousHash, entry);
        return entry;
    }

    /// <summary>PostgreSQL keeps microseconds, not .NET's 100 ns ticks; the hashed instant must survive a round trip.</summary>
    private static DateTime TruncateToMicroseconds(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);
}
