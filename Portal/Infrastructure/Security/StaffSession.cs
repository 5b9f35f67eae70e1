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
