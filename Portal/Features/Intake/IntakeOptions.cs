namespace Portal.Features.Intake;

/// <summary>The "Portal:Intake" configuration section: the public "Get help now" pages.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Portal:Intake";

    /// <summary>Country queue (ISO 3166 alpha-2) for submissions that name no country the office serves.</summary>
    public string DefaultCountry { get; set; } = "CD";

    public ProofOfWorkOptions ProofOfWork { get; set; } = new();

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

/// <summary>
/// The public forms' proof of work: several puzzles, each a secret number below 2^bits that the browser finds by
/// trying every number from 0 (on average half the range, at most all of it), and how the bits rise with the
/// number of accepted submissions. The resting level is sized so that a phone six times slower than a desktop finds
/// the answer in about 2 s from page open, well within the 5 s a person takes to write (BENCHMARKS.md, section 8).
/// </summary>
public sealed class ProofOfWorkOptions
{
    /// <summary>Bits of each puzzle's range when the office receives what it normally does.</summary>
    public int RestBits { get; set; } = 16;

    /// <summary>Puzzles per form: the total work is their sum, whose spread narrows as they grow more numerous and smaller.</summary>
    public int Puzzles { get; set; } = 4;

    /// <summary>The most bits added under pressure (each doubles the work): with the resting bits, the ceiling a flood meets.</summary>
    public int MaxExtraBits { get; set; } = 10;

    /// <summary>Accepted submissions (new requests and status checks) per <see cref="Window"/> from all addresses that the office normally receives.</summary>
    public double NormalInTotal { get; set; } = 6;

    /// <summary>Accepted submissions per <see cref="Window"/> from one address that are normal (a request and a status check, say).</summary>
    public double NormalPerAddress { get; set; } = 3;

    /// <summary>The time over which submissions are counted (the time constant of their decaying count).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long a challenge stays valid; long enough to write a careful account on a slow phone.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(2);
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
