namespace Portal.Infrastructure.Security;

/// <summary>The "Portal:Security" configuration section: sign-in, session and rate-limit settings.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Portal:Security";

    /// <summary>Every staff account must sign in with an authenticator app. True unless configuration says otherwise (Development turns it off).</summary>
    public bool RequireTwoFactor { get; set; } = true;

    /// <summary>A session with no user activity for this long ends.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A session ends this long after sign-in, however active.</summary>
    public TimeSpan AbsoluteSessionLimit { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often an open circuit re-checks its session (disabled user, changed roles, sign-out, idle).</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a positive check of a session, made for a case command or query, is reused before the database is asked
    /// again. Ending a session (sign-out, an administrator's change) forgets it on this node at once; other nodes notice
    /// within this time.
    /// </summary>
    public TimeSpan SessionCheckReuse { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Failed passwords or codes from one client address before that address may not try that account for <see cref="LockoutDuration"/>.</summary>
    public int MaxFailedAccessAttempts { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Failed passwords or codes for one account, from any addresses within <see cref="LockoutDuration"/> of each other,
    /// after which a password counts only when followed by the right code: every password is answered with the code step.
    /// </summary>
    public int AccountFailuresBeforeCodeProof { get; set; } = 20;

    /// <summary>
    /// Every failed answer of the password step takes at least this long, so that unknown user names, locked accounts
    /// and wrong passwords cannot be told apart by timing.
    /// </summary>
    public TimeSpan SignInMinimumDuration { get; set; } = TimeSpan.FromMilliseconds(400);

    public LoginRateLimitOptions LoginRateLimit { get; set; } = new();

    /// <summary>
    /// Origins (scheme, host and port, e.g. <c>https://portal.example.org</c>) besides the portal's own whose pages may
    /// open a circuit: for nodes that see themselves under another name than the one in the browser's address bar.
    /// </summary>
    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];
}

/// <summary>A fixed window on the sign-in form posts per client address (guesses at one account are <c>SignInThrottle</c>'s).</summary>
public sealed class LoginRateLimitOptions
{
    public int PerAddressPermitLimit { get; set; } = 30;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);
}
