namespace Portal.Features.Intake;

/// <summary>The "Portal:Intake" configuration section: the public "Get help now" pages.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Portal:Intake";

    /// <summary>Country queue (ISO 3166 alpha-2) for submissions that name no country the office serves.</summary>
    public string DefaultCountry { get; set; } = "CD";

    /// <summary>Leading zero bits the browser must find in SHA-256(challenge:nonce); each bit doubles the work.</summary>
    public int ProofOfWorkDifficulty { get; set; } = 16;

    /// <summary>How long a proof-of-work challenge stays valid; long enough to write a careful account on a slow phone.</summary>
    public TimeSpan ProofOfWorkLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// The same form sent again within this time of its first arrival gets the same receipt again (its reply was lost);
    /// after it, the form is answered as already sent, so that a page left open on a shared phone cannot bring the
    /// receipt back.
    /// </summary>
    public TimeSpan ResendWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Largest request body accepted by a public page, in bytes (8,000 characters of text, percent-encoded, plus the other fields).</summary>
    public long MaxRequestBytes { get; set; } = 128 * 1024;

    /// <summary>
    /// PBKDF2 (HMAC-SHA512) iterations for passphrase hashes. The passphrase is made by the portal, 16 random symbols
    /// out of 31 (about 79 bits), not chosen by a person, so its strength is in its randomness: OWASP's 210,000
    /// iterations for human passwords made guessing no more practical to resist but cost a core 200 ms per
    /// submission (BENCHMARKS.md, public intake). 10,000 keeps a salted key derivation function (as NIST SP 800-63B
    /// asks for random secrets under 112 bits) at about 2^91 hash computations per passphrase.
    /// </summary>
    public int PassphraseIterations { get; set; } = 10_000;

    /// <summary>Where "leave this page quickly" goes: a neutral site that draws no attention.</summary>
    public string QuickExitUrl { get; set; } = "https://www.bbc.com/weather";

    public IntakeRateLimitOptions RateLimits { get; set; } = new();
}

/// <summary>Per-address limits for the public pages; each is a fixed number of requests per window.</summary>
public sealed class IntakeRateLimitOptions
{
    /// <summary>Submissions of a form (new request, status check, additions) per address per window.</summary>
    public int FormPostsPerWindow { get; set; } = 10;

    /// <summary>Page views and language switches per address per window.</summary>
    public int PageViewsPerWindow { get; set; } = 120;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);
}
