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
        new(data.Database.Contexts, data.Clock, data.World.AuditFor(viewer), data.Policy, cache);

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
    public async Task A_claim_recomputes_the_figures_but_keeps_the_referral_pass_and_the_allegations()
    {
        using var cache = new DashboardFiguresCache(_events, _cacheClock);
        var service = Service(cache, data.Coordinator);
        var first = await service.GetAsync(data.Coordinator, Haiti);

        _events.Deliver(new LiveEvent(LiveEventKind.CaseClaimed, DashboardData.Country, Guid.NewGuid()));
        var afterClaim = await service.GetAsync(data.Coordinator, Haiti);

        Assert.Equal(2, cache.Computations);
        Assert.Equal(1, cache.ComputationsOf(DashboardPart.Referrals));
        Assert.Equal(1, cache.ComputationsOf(DashboardPart.Allegations));
        Assert.Same(first.ReferralCells, afterClaim.ReferralCells);
        Assert.Same(first.AllegationYears, afterClaim.AllegationYears);
    }

    [Theory]
    [InlineData(LiveEventKind.ReferralChanged, 1, 1)] // its case's referrals are read again (LiveReferralRowsTests), not the period's
    [InlineData(LiveEventKind.CaseChanged, 1, 2)]
    [InlineData(LiveEventKind.CaseCreated, 1, 1)]
    [InlineData(LiveEventKind.FollowUpChanged, 1, 1)]
    public async Task Each_kept_part_is_recomputed_after_the_changes_that_can_move_it(LiveEventKind kind, int referralPasses, int allegationReads)
    {
        using var cache = new DashboardFiguresCache(_events, _cacheClock);
        var service = Service(cache, data.Coordinator);
        await service.GetAsync(data.Coordinator, Haiti);

        _events.Deliver(new LiveEvent(kind, DashboardData.Country, Guid.NewGuid(), Guid.NewGuid()));
        await service.GetAsync(data.Coordinator, Haiti);

        Assert.Equal(2, cache.Computations); // every case event recomputes the figures themselves
        Assert.Equal(referralPasses, cache.ComputationsOf(DashboardPart.Referrals));
        Assert.Equal(allegationReads, cache.ComputationsOf(DashboardPart.Allegations));
    }

    [Fact]
    public async Task Kept_allegations_also_expire_with_the_maximum_age_and_referral_rows_are_kept_by_the_events()
    {
        using var cache = new DashboardFiguresCache(_events, _cacheClock);
        var service = Service(cache, data.Coordinator);
        await service.GetAsync(data.Coordinator, Haiti);

        _cacheClock.Advance(DashboardFiguresCache.MaxAge + TimeSpan.FromSeconds(1));
        await service.GetAsync(data.Coordinator, Haiti);

        Assert.Equal(2, cache.ComputationsOf(DashboardPart.Allegations));
        Assert.Equal(1, cache.ComputationsOf(DashboardPart.Referrals)); // read in full again only after LiveReferralRows.MaxAge
    }

    [Fact]
    public void Every_kind_of_event_but_notifications_moves_the_figures_and_a_new_kind_would_move_every_part()
    {
        foreach (var kind in Enum.GetValues<LiveEventKind>())
        {
            Assert.Equal(kind is not (LiveEventKind.NotificationCreated or LiveEventKind.NotificationRead), DashboardPart.Figures.MovedBy(kind));
        }

        Assert.All(DashboardPart.All, part => Assert.True(part.MovedBy((LiveEventKind)999)));
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
