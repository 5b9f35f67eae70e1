using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Features.Dashboard;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Dashboard;

/// <summary>
/// Open dashboards of the same view share one computation; a case event or the maximum age starts a new one; the
/// viewer is still checked on every call and no answer crosses scopes. Real computations on the story's SQLite file.
/// </summary>
public sealed class DashboardFiguresCacheTests : IClassFixture<DashboardData>, IDisposable
{
    private static readonly DashboardFilter Haiti = new(DashboardData.Country);

    private readonly DashboardData _data;
    private readonly InProcessLiveEvents _events = new(NullLogger<InProcessLiveEvents>.Instance);
    private readonly FakeTimeProvider _cacheClock = new(DashboardData.Now);
    private readonly LiveViews _views;

    public DashboardFiguresCacheTests(DashboardData data)
    {
        _data = data;
        _views = new LiveViews(_events, _cacheClock);
    }

    public void Dispose() => _views.Dispose();

    private DashboardFiguresCache NewCache() => new(_views.Cache, _events, _cacheClock);

    private DashboardService Service(DashboardFiguresCache cache, UserScope viewer) =>
        new(_data.Database.Contexts, _data.Clock, _data.World.AuditFor(viewer), _data.Policy, _data.World.ScopeFor(viewer), cache);

    [Fact]
    public async Task Many_open_dashboards_of_one_view_cost_one_computation_with_the_same_figures()
    {
        using var cache = NewCache();
        var service = Service(cache, _data.Coordinator);

        var all = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => service.GetAsync(_data.Coordinator, Haiti))));

        Assert.Equal(1, cache.Computations);
        Assert.All(all, figures => Assert.Same(all[0], figures));
        Assert.Equal(8, all[0].OpenTotal.Value);
    }

    [Fact]
    public async Task A_case_event_or_the_maximum_age_starts_a_new_computation_and_a_notification_does_not()
    {
        using var cache = NewCache();
        var service = Service(cache, _data.Coordinator);
        await service.GetAsync(_data.Coordinator, Haiti);

        _events.Deliver(new LiveEvent(LiveEventKind.NotificationCreated, DashboardData.Country, Guid.NewGuid(), RecipientUserId: "someone"));
        await service.GetAsync(_data.Coordinator, Haiti);
        Assert.Equal(1, cache.Computations);

        _events.Deliver(new LiveEvent(LiveEventKind.CaseClaimed, DashboardData.Country, Guid.NewGuid()));
        await service.GetAsync(_data.Coordinator, Haiti);
        Assert.Equal(2, cache.Computations);

        _cacheClock.Advance(DashboardFiguresCache.MaxAge - TimeSpan.FromSeconds(1));
        await service.GetAsync(_data.Coordinator, Haiti);
        Assert.Equal(2, cache.Computations);
        _cacheClock.Advance(TimeSpan.FromSeconds(2));
        await service.GetAsync(_data.Coordinator, Haiti);
        Assert.Equal(3, cache.Computations);
    }

    [Fact]
    public async Task A_claim_recomputes_the_figures_but_keeps_the_referral_pass_and_the_allegations()
    {
        using var cache = NewCache();
        var service = Service(cache, _data.Coordinator);
        var first = await service.GetAsync(_data.Coordinator, Haiti);

        _events.Deliver(new LiveEvent(LiveEventKind.CaseClaimed, DashboardData.Country, Guid.NewGuid()));
        var afterClaim = await service.GetAsync(_data.Coordinator, Haiti);

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
        using var cache = NewCache();
        var service = Service(cache, _data.Coordinator);
        await service.GetAsync(_data.Coordinator, Haiti);

        _events.Deliver(new LiveEvent(kind, DashboardData.Country, Guid.NewGuid(), Guid.NewGuid()));
        await service.GetAsync(_data.Coordinator, Haiti);

        Assert.Equal(2, cache.Computations); // every case event recomputes the figures themselves
        Assert.Equal(referralPasses, cache.ComputationsOf(DashboardPart.Referrals));
        Assert.Equal(allegationReads, cache.ComputationsOf(DashboardPart.Allegations));
    }

    [Fact]
    public async Task Kept_allegations_also_expire_with_the_maximum_age_and_referral_rows_are_kept_by_the_events()
    {
        using var cache = NewCache();
        var service = Service(cache, _data.Coordinator);
        await service.GetAsync(_data.Coordinator, Haiti);

        _cacheClock.Advance(DashboardFiguresCache.MaxAge + TimeSpan.FromSeconds(1));
        await service.GetAsync(_data.Coordinator, Haiti);

        Assert.Equal(2, cache.ComputationsOf(DashboardPart.Allegations));
        Assert.Equal(1, cache.ComputationsOf(DashboardPart.Referrals)); // read in full again only after LiveReferralRows.MaxAge
    }

    [Fact]
    public void Every_kind_of_event_but_notifications_and_documents_moves_the_figures_and_a_new_kind_would_move_every_part()
    {
        foreach (var kind in Enum.GetValues<LiveEventKind>())
        {
            var notification = kind is LiveEventKind.NotificationCreated or LiveEventKind.NotificationRead or LiveEventKind.DocumentChanged;
            Assert.Equal(!notification, DashboardPart.Figures.MovedBy(kind));
            Assert.Equal(!notification, DashboardPart.Referrals.MovedBy(kind));
        }

        Assert.All(DashboardPart.All, part => Assert.True(part.MovedBy((LiveEventKind)999)));
    }

    [Fact]
    public async Task Other_scopes_and_other_views_never_share_an_answer()
    {
        using var cache = NewCache();
        var coordinator = Service(cache, _data.Coordinator);
        var administrator = Service(cache, _data.Administrator);

        var mine = await coordinator.GetAsync(_data.Coordinator, Haiti);
        var theirs = await administrator.GetAsync(_data.Administrator, Haiti);
        var wholeOffice = await coordinator.GetAsync(_data.Coordinator, new DashboardFilter());
        var lastMonth = await coordinator.GetAsync(_data.Coordinator, Haiti with { Period = DashboardPeriod.Last30Days });

        Assert.Equal(4, cache.Computations);
        Assert.NotSame(mine, theirs);
        Assert.Equal(8, mine.OpenTotal.Value);
        Assert.Equal(10, wholeOffice.OpenTotal.Value); // Haiti's 8 and South Sudan's 2
        Assert.Equal(DashboardPeriod.Last30Days, lastMonth.Filter.Period);
    }

    [Fact]
    public async Task A_change_in_one_country_recomputes_the_views_that_show_it_and_only_those()
    {
        using var cache = NewCache();
        var service = Service(cache, _data.Coordinator);
        var southSudan = new DashboardFilter(DashboardData.OtherCountry);
        var haiti = await service.GetAsync(_data.Coordinator, Haiti);
        await service.GetAsync(_data.Coordinator, southSudan);
        await service.GetAsync(_data.Coordinator, new DashboardFilter());

        _events.Deliver(new LiveEvent(LiveEventKind.CaseClaimed, DashboardData.OtherCountry, Guid.NewGuid()));

        Assert.Same(haiti, await service.GetAsync(_data.Coordinator, Haiti));
        await service.GetAsync(_data.Coordinator, southSudan);
        await service.GetAsync(_data.Coordinator, new DashboardFilter());
        Assert.Equal(5, cache.Computations); // South Sudan's view and the whole office's, again
    }

    [Fact]
    public async Task The_viewer_is_checked_on_every_call_even_when_the_answer_is_kept()
    {
        using var cache = NewCache();
        await Service(cache, _data.Coordinator).GetAsync(_data.Coordinator, Haiti);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service(cache, _data.CountryAdvocate).GetAsync(_data.CountryAdvocate, Haiti));
        Assert.Equal(1, cache.Computations);
    }
}
