namespace Portal.Features.Drafts;

/// <summary>The "Portal:Drafts" section.</summary>
public sealed class DraftOptions
{
    public const string Section = "Portal:Drafts";

    public const string JobId = "draft-expiry";

    /// <summary>
    /// How long unsaved text is kept after it was last typed: long enough to outlast a power cut or a night without a
    /// link, short enough that forgotten text about a person does not linger.
    /// </summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long typing must pause before the text is sent to be kept: one save per pause, not per keystroke.</summary>
    public TimeSpan KeepAfterPause { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>When expired drafts are deleted: hourly by default.</summary>
    public string Cron { get; set; } = "17 * * * *";

    /// <summary>A draft saved before this moment has expired.</summary>
    public DateTime CutoffAt(DateTime nowUtc) => nowUtc - Lifetime;
}
