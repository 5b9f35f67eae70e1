namespace Portal.Infrastructure.Live;

/// <summary>
/// Tells open pages that something changed. Publish only after the change is committed. In-process by default;
/// across nodes through Redis when configured.
/// </summary>
public interface ILiveEvents
{
    Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="handler"/> for each event that passes <paramref name="filter"/> until disposed.</summary>
    IDisposable Subscribe(Func<LiveEvent, bool> filter, Func<LiveEvent, Task> handler);
}
