namespace Portal.Domain.Reminders;

/// <summary>
/// Where the reminder scan has got to. Saved in the same transaction as the notifications a scan plans, so a crash
/// mid-scan leaves the mark where it was and the next scan finds the same deadlines again.
/// </summary>
public sealed class ReminderScanState
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>Every deadline up to here has its notifications planned.</summary>
    public DateTime ScannedUpToUtc { get; set; }

    /// <summary>The Monday (00:00 UTC) of the last week whose paternity-claims digest was planned.</summary>
    public DateTime? DigestWeekUtc { get; set; }
}
