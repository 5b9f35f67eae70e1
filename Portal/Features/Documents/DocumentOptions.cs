namespace Portal.Features.Documents;

/// <summary>The "Portal:Documents" configuration section.</summary>
public sealed class DocumentOptions
{
    public const string Section = "Portal:Documents";

    /// <summary>The largest file an advocate may attach, in megabytes.</summary>
    public int MaxFileSizeMegabytes { get; set; } = 10;

    public long MaxBytes => MaxFileSizeMegabytes * 1024L * 1024L;
}
