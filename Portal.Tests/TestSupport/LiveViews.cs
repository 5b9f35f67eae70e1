using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Internal;
using Portal.Infrastructure.Live;

namespace Portal.Tests.TestSupport;

/// <summary>
/// The portal's <see cref="LiveViewCache"/>, registered as the portal registers it (<c>AddPortalLiveEvents</c>), on the
/// given live events. Kept answers age by <paramref name="clock"/>, so a test moves time instead of waiting.
/// </summary>
public sealed class LiveViews : IDisposable
{
    private readonly ServiceProvider _services;

    public LiveViews(InProcessLiveEvents liveEvents, TimeProvider? clock = null)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddPortalLiveEvents();
        services.AddSingleton(liveEvents);
        services.AddMemoryCache(options => options.Clock = new MemoryCacheClock(clock ?? TimeProvider.System));
        _services = services.BuildServiceProvider();
        Cache = _services.GetRequiredService<LiveViewCache>();
    }

    public LiveViewCache Cache { get; }

    public void Dispose() => _services.Dispose();

    private sealed class MemoryCacheClock(TimeProvider clock) : ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
}
