namespace Portal.Infrastructure.Configuration;

/// <summary>
/// The "Portal:Connections" section: how long a page whose link dropped is held on the server. Field links (mobile data,
/// satellite, power cuts) drop for minutes at a time; a page held that long comes back as it was, with what was typed.
/// </summary>
public sealed class ConnectionOptions
{
    public const string Section = "Portal:Connections";

    /// <summary>
    /// How long the server holds a disconnected page (its circuit) for the browser to rejoin: a ten-minute outage and
    /// then some. The browser keeps trying, with growing pauses, for as long. Past it, drafts bring back what was typed.
    /// </summary>
    public TimeSpan DisconnectedCircuitRetention { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How many disconnected pages one node holds at most, oldest dropped first: when a region's link goes down every
    /// advocate there drops at once, so this is sized above the staff a node serves rather than the framework's 100.
    /// </summary>
    public int MaxRetainedCircuits { get; set; } = 500;
}
