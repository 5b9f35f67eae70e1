using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Features.Dashboard;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Tests.Features.Dashboard;

/// <summary>
/// Open dashboards of the same view share one computation; a case event or the maximum age starts a new one; the
/// viewer is still checked on every call and no answer crosses scopes. Real computations on the story's SQLite file.
/// </summary>
public sealed class DashboardFiguresCacheTests(DashboardData data) : IClassFixture<DashboardData>
{
    private static readonly DashboardFilter Haiti = new(DashboardData.Country);

    private readonly InProcessLiveEvents _events = new(NullLogger<InProcessLiveEvents>.Instance);
    private readonly FakeTimeProvider _cacheClock = new(DashboardData.Now);

    private DashboardService Service(DashboardFiguresCache cache, UserScope viewer) =>
        new(data.Database.Contexts, data.Clock, data.World.AuditFor(viewer), cache);

    [Fact]
    public async Task Many_open_dashboards_of_one_view_cost_one_computation_with_the_same_figures()
    {
        using var cache = new DashboardFiguresCache(_events, _cacheClock);
        var service = Service(cache, data.Coordinator);

        var all = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => service.GetAsync(data.Coordinator, Haiti))));

        Assert.Equal(1, cache.Computations);
        Assert.All(all, figures => Assert.Same(all[0], figures));
        Assert.Equal(8, all[0].OpenTotal.Value);
    }

    [Fact]
    public async Task A_case_event_or_the_maximum_age_starts_a_new_computation_and_a_notification_does_not()
    {
        using var cache = new DashboardFiguresCache(_events, _cacheClock);
        var service = Service(cache, data.Coordinator);
        await service.GetAsync(data.Coordinator, Haiti);

        _events.Deliver(new LiveEvent(LiveEventKind.NotificationCreated, DashboardData.Country, Guid.NewGuid(), RecipientUserId: "someone"));
        await service.GetAsync(data.Coordinator, Haiti);
        Assert.Equal(1, cache.Computations);

        _events.Deliver(new LiveEvent(LiveEventKind.CaseClaimed, DashboardData.Country, Guid.NewGuid()));
        await service.GetAsync(data.Coordinator, Haiti);
        Assert.Equal(2, cache.Computations);

        _cacheClock.Advance(DashboardFiguresCache.MaxAge - TimeSpan.FromSeconds(1));
        await service.GetAsync(data.Coordinator, Haiti);
        Assert.Equal(2, cache.Computations);
        _cacheClock.Advance(TimeSpan.FromSeconds(2));
        await service.GetAsync(data.Coordinator, Haiti);
        Assert.Equal(3, cache.Computations);
    }

    [Fact]
    public async Task Other_scopes_and_other_views_never_share_an_answer()
    {
        using var cache = new DashboardFiguresCache(_events, _cacheClock);
        var coordinator = Service(cache, data.Coordinator);
        var administrator = Service(cache, data.Administrator);

        var mine = await coordinator.GetAsync(data.Coordinator, Haiti);
        var theirs = await administrator.GetAsync(data.Administrator, Haiti);
        var wholeOffice = await coordinator.GetAsync(data.Coordinator, new DashboardFilter());
        var lastMonth = await coordinator.GetAsync(data.Coordinator, Haiti with { Period = DashboardPeriod.Last30Days });

        Assert.Equal(4, cache.Computations);
        Assert.NotSame(mine, theirs);
        Assert.Equal(8, mine.OpenTotal.Value);
        Assert.Equal(10, wholeOffice.OpenTotal.Value); // Haiti's 8 and South Sudan's 2
        Assert.Equal(DashboardPeriod.Last30Days, lastMonth.Filter.Period);
    }

    [Fact]
    public async Task The_viewer_is_checked_on_every_call_even_when_the_answer_is_kept()
    {
        using var cache = new DashboardFiguresCache(_events, _cacheClock);
        await Service(cache, data.Coordinator).GetAsync(data.Coordinator, Haiti);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service(cache, data.CountryAdvocate).GetAsync(data.CountryAdvocate, Haiti));
        Assert.Equal(1, cache.Computations);
    }
}
