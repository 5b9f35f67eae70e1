namespace Portal.Features.Reminders;

/// <summary>The "Portal:Reminders" section, plus <c>Portal:PublicBaseUrl</c> for links in e-mails.</summary>
public sealed class ReminderOptions
{
    public const string Section = "Portal:Reminders";

    public const string ScanJobId = "reminders-scan";

    /// <summary>Off: the recurring scan is not registered (a node that only serves pages, or a test that drives the scan).</summary>
    public bool ScanEnabled { get; set; } = true;

    /// <summary>When the scan runs: a cron expression, five fields (minutes) or six (seconds first). Every minute by default.</summary>
    public string ScanCron { get; set; } = "* * * * *";

    /// <summary>
    /// Each scan looks back this far before where the last one stopped, so a change committed while the last scan ran
    /// (stamped before it, visible only after) is still seen. Re-finding is harmless: delivery keys are unique.
    /// </summary>
    public TimeSpan ScanOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back the very first scan of a new installation looks.</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromDays(7);

    public const string RedispatchJobId = "reminders-redispatch";

    /// <summary>
    /// A message queued this long ago and still not delivered is queued again (its job was lost while its node lived on).
    /// A message whose node died goes again as soon as the death is known (<c>Portal:Nodes:Timeout</c>), see
    /// <see cref="RedispatchCron"/>.
    /// </summary>
    public TimeSpan RedispatchAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often every node looks for deliveries left by a node that died (six fields, seconds first). With the node
    /// timeout this bounds how long an urgent reminder waits after its worker's death: about half a minute by default.
    /// </summary>
    public string RedispatchCron { get; set; } = "*/15 * * * * *";

    /// <summary>How long a worker sending an e-mail holds it before another may take over.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    public int DispatchBatchSize { get; set; } = 500;

    /// <summary>
    /// Notifications delivered by one job. The job reads what it needs for all of them at once and commits them
    /// together (see <see cref="DeliveryJob"/>), and the job storage keeps one job instead of one per message
    /// (measured: with SQLite job storage, a job per message could not deliver 10,000 reminders in 4 minutes;
    /// BENCHMARKS.md, reminders at scale).
    /// </summary>
    public int DeliveriesPerJob { get; set; } = 250;

    /// <summary>The portal's address as staff reach it, for links in e-mails (<c>Portal:PublicBaseUrl</c>).</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5249";

    public Uri CaseLink(string caseNumber) => new($"{PublicBaseUrl.TrimEnd('/')}/cases/{Uri.EscapeDataString(caseNumber)}");

    public Uri NotificationsLink() => new($"{PublicBaseUrl.TrimEnd('/')}/notifications");

    public string MessageIdDomain => Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : "portal.invalid";
}
