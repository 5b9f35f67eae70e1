using Portal.Infrastructure.Security;

namespace Portal.Infrastructure.Live;

public static class ScopedSubscriptions
{
    /// <summary>
    /// Subscribes on behalf of a viewer: they receive only events of countries within their scope, and only
    /// their own personal events (notifications). Every page subscribes through here.
    /// </summary>
    public static IDisposable SubscribeFor(this ILiveEvents liveEvents, UserScope viewer, Func<LiveEvent, bool> filter, Func<LiveEvent, Task> handler) =>
        liveEvents.Subscribe(e => IsVisibleTo(e, viewer) && filter(e), handler);

    public static bool IsVisibleTo(LiveEvent liveEvent, UserScope viewer) =>
        liveEvent.RecipientUserId is { } recipient ? recipient == viewer.UserId
        : viewer.IsProvider ? liveEvent.ProviderId is { } provider && provider == viewer.ProviderId
        : viewer.CanSee(liveEvent.CountryCode);
}
