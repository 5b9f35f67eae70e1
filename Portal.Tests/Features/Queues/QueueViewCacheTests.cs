using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Cases;
using Portal.Features.Queues;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Queues;

/// <summary>
/// The shared queue results: one query for identical views of one scope, dropped by a live event of a country they
/// cover, never handed across scopes. The loaders here count their calls and tag each answer with the viewer it was
/// made for; the last tests run the real <see cref="QueueService"/> on SQLite. What every shared view guarantees
/// (single flight, failures, cancellation, computations under way at an event, maximum age) is tested once, in
/// LiveViewCacheTests.
/// </summary>
public sealed class QueueViewCacheTests : IClassFixture<TestDatabase>, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly QueueRequest NewIntakes = new(QueueKind.NewIntakes, QueueFilter.None);

    private readonly CaseWorld _world;
    private readonly InProcessLiveEvents _events = new(NullLogger<InProcessLiveEvents>.Instance);
    private readonly LiveViews _views;
    private int _pageQueries;
    private int _countQueries;

    public QueueViewCacheTests(TestDatabase database)
    {
        _world = new CaseWorld(database);
        _views = new LiveViews(_events);
    }

    public void Dispose() => _views.Dispose();

    private static UserScope Advocate(string id, params string[] countries) => new(id, id, id, [Roles.Advocate], countries);

    private static UserScope Staff(string id, string[] roles, params string[] countries) => new(id, id, id, roles, countries);

    [Fact]
    public async Task Identical_views_of_one_scope_cost_one_query()
    {
        using var cache = Counting();
        var viewer = Advocate("a1", "CF");

        var first = await cache.GetPageAsync(viewer, NewIntakes);
        var second = await cache.GetPageAsync(viewer, NewIntakes);
        var third = await cache.GetPageAsync(Advocate("a2", "CF"), NewIntakes);

        Assert.Equal(1, _pageQueries);
        Assert.Same(first, second);
        Assert.Same(first, third); // new intakes depend on roles and countries, not on who looks
    }

    [Fact]
    public async Task Another_page_sort_or_filter_is_another_query()
    {
        using var cache = Counting();
        var viewer = Advocate("a1", "CF");

        await cache.GetPageAsync(viewer, NewIntakes);
        await cache.GetPageAsync(viewer, NewIntakes with { Page = 1 });
        await cache.GetPageAsync(viewer, NewIntakes with { Sort = QueueSort.Number });
        await cache.GetPageAsync(viewer, NewIntakes with { Descending = true });
        await cache.GetPageAsync(viewer, NewIntakes with { PageSize = 50 });
        await cache.GetPageAsync(viewer, NewIntakes with { Filter = new QueueFilter { RiskLevels = [RiskLevel.High] } });
        await cache.GetPageAsync(viewer, NewIntakes with { Filter = new QueueFilter { NumberSearch = "CF-2026" } });
        await cache.GetPageAsync(viewer, NewIntakes with { Queue = QueueKind.AllCases });
        await cache.GetPageAsync(viewer, NewIntakes with { Page = 1, After = Row("CF-2026-0001") });
        await cache.GetPageAsync(viewer, NewIntakes with { Page = 1, After = Row("CF-2026-0002") });

        Assert.Equal(10, _pageQueries);
        await cache.GetPageAsync(viewer, NewIntakes with { Filter = new QueueFilter { RiskLevels = [RiskLevel.High] } });
        Assert.Equal(10, _pageQueries); // an equal filter in a new object is the same view
    }

    [Fact]
    public async Task A_filter_with_every_criterion_set_is_shared_too()
    {
        using var cache = Counting();
        var viewer = Advocate("a1", "CF");
        var request = NewIntakes with { Filter = EveryCriterion(), Page = 1, After = Row("CF-2026-0001") };

        await cache.GetPageAsync(viewer, request);
        await cache.GetPageAsync(viewer, request with { Filter = EveryCriterion() });

        Assert.Equal(1, _pageQueries);
    }

    [Fact]
    public async Task Different_scopes_never_share_a_result()
    {
        using var cache = Counting();
        UserScope[] scopes =
        [
            Advocate("a1", "CF"),
            Advocate("a2", "CD"),
            Advocate("a3", "CF", "CD"),
            Staff("c1", [Roles.Coordinator]),
            Staff("x1", [Roles.Administrator]),
            Staff("x2", [Roles.Coordinator, Roles.Administrator]),
            Staff("n1", [], "CF"),
        ];
        var requests = Enum.GetValues<QueueKind>().Select(queue => NewIntakes with { Queue = queue }).ToList();

        foreach (var request in requests)
        {
            foreach (var scope in scopes)
            {
                var page = await cache.GetPageAsync(scope, request);
                Assert.Equal(scope.UserId, page.Rows.Single().AssigneeId);
            }
        }

        foreach (var scope in scopes)
        {
            Assert.Equal(Counts(scope.UserId), await cache.GetCountsAsync(scope));
        }

        Assert.Equal(requests.Count * scopes.Length, _pageQueries);
        Assert.Equal(scopes.Length, _countQueries);
    }

    [Fact]
    public async Task Queues_of_the_user_and_counts_are_never_shared_between_users()
    {
        using var cache = Counting();
        var one = Advocate("a1", "CF");
        var other = Advocate("a2", "CF");

        foreach (var queue in new[] { QueueKind.MyCases, QueueKind.DueFollowUps })
        {
            Assert.Equal("a1", (await cache.GetPageAsync(one, NewIntakes with { Queue = queue })).Rows.Single().AssigneeId);
            Assert.Equal("a2", (await cache.GetPageAsync(other, NewIntakes with { Queue = queue })).Rows.Single().AssigneeId);
        }

        Assert.Equal(Counts("a1"), await cache.GetCountsAsync(one));
        Assert.Equal(Counts("a2"), await cache.GetCountsAsync(other));
        Assert.Equal(4, _pageQueries);
        Assert.Equal(2, _countQueries);
    }

    [Fact]
    public async Task A_live_event_drops_the_results_of_its_country_before_any_page_hears_of_it()
    {
        using var cache = Counting();
        var central = Advocate("a1", "CF");
        var congo = Advocate("a2", "CD");
        var coordinator = Staff("c1", [Roles.Coordinator]);
        await cache.GetPageAsync(central, NewIntakes);
        await cache.GetPageAsync(congo, NewIntakes);
        await cache.GetPageAsync(coordinator, NewIntakes);
        await cache.GetCountsAsync(central);
        Assert.Equal((3, 1), (_pageQueries, _countQueries));

        // What a page subscribed to the event finds when it re-queries: checked inside the subscriber itself.
        var seenBySubscriber = new TaskCompletionSource<int>();
        using var page = _events.SubscribeFor(central, _ => true, async _ =>
        {
            await cache.GetPageAsync(central, NewIntakes);
            seenBySubscriber.TrySetResult(Volatile.Read(ref _pageQueries));
        });
        await _events.PublishAsync(new LiveEvent(LiveEventKind.CaseClaimed, "CF", Guid.NewGuid()));

        Assert.Equal(4, await seenBySubscriber.Task.WaitAsync(Wait)); // the subscriber's query was a new one
        await cache.GetPageAsync(congo, NewIntakes);
        Assert.Equal(4, _pageQueries); // Congo's view is not about the Central African Republic
        await cache.GetPageAsync(coordinator, NewIntakes);
        Assert.Equal(5, _pageQueries); // a coordinator's view covers every country
        await cache.GetCountsAsync(central);
        Assert.Equal(2, _countQueries);
    }

    [Fact]
    public async Task Notifications_do_not_drop_queue_results()
    {
        using var cache = Counting();
        var viewer = Advocate("a1", "CF");
        await cache.GetPageAsync(viewer, NewIntakes);

        _events.Deliver(new LiveEvent(LiveEventKind.NotificationCreated, "CF", Guid.NewGuid(), RecipientUserId: "a1"));
        _events.Deliver(new LiveEvent(LiveEventKind.NotificationRead, "", RecipientUserId: "a1"));
        await cache.GetPageAsync(viewer, NewIntakes);

        Assert.Equal(1, _pageQueries);
    }

    [Fact]
    public async Task A_view_of_several_countries_is_dropped_by_each_and_an_event_without_a_country_drops_every_view()
    {
        using var cache = Counting();
        var both = Advocate("a1", "CF", "CD");
        var congo = Advocate("a2", "CD");
        await cache.GetPageAsync(both, NewIntakes);
        await cache.GetPageAsync(congo, NewIntakes);

        _events.Deliver(new LiveEvent(LiveEventKind.CaseChanged, "CF", Guid.NewGuid()));
        await cache.GetPageAsync(both, NewIntakes);
        await cache.GetPageAsync(congo, NewIntakes);
        Assert.Equal(3, _pageQueries);

        _events.Deliver(new LiveEvent(LiveEventKind.CaseChanged, "", Guid.NewGuid()));
        await cache.GetPageAsync(both, NewIntakes);
        await cache.GetPageAsync(congo, NewIntakes);
        Assert.Equal(5, _pageQueries);
    }

    [Fact]
    public void Every_kind_of_event_but_notifications_and_documents_drops_queue_results_and_so_would_a_new_kind()
    {
        foreach (var kind in Enum.GetValues<LiveEventKind>().Append((LiveEventKind)999))
        {
            var dropped = QueueViewCache.TagsMovedBy(new LiveEvent(kind, "CF", Guid.NewGuid()));
            var notification = kind is LiveEventKind.NotificationCreated or LiveEventKind.NotificationRead or LiveEventKind.DocumentChanged;
            Assert.Equal(!notification, dropped.Intersect(QueueViewCache.TagsOf(Advocate("a1", "CF"))).Any());
            Assert.Equal(!notification, dropped.Intersect(QueueViewCache.TagsOf(Staff("c1", [Roles.Coordinator]))).Any());
            Assert.Empty(dropped.Intersect(QueueViewCache.TagsOf(Advocate("a2", "CD"))));
        }
    }

    [Fact]
    public async Task With_the_real_queries_an_advocate_sees_their_countries_only_whoever_asked_first()
    {
        var central = await _world.StaffAsync(Roles.Advocate, "CF");
        var congo = await _world.StaffAsync(Roles.Advocate, "CD");
        var inCentral = await _world.NewIntakeAsync("CF");
        var inCongo = await _world.NewIntakeAsync("CD");
        using var shared = new QueueViewCache(_views.Cache);
        var cache = new QueueService(_world.Database.Contexts, _world.Clock, _world.Database.Service<Portal.Domain.Reminders.ReminderPolicy>(), _world.AnyViewersScope, shared);

        var forCentral = await cache.GetPageAsync(central, NewIntakes with { PageSize = 100 });
        var forCongo = await cache.GetPageAsync(congo, NewIntakes with { PageSize = 100 });
        var centralCounts = await cache.GetCountsAsync(central);
        var congoCounts = await cache.GetCountsAsync(congo);

        Assert.Contains(inCentral.Number, forCentral.Rows.Select(r => r.Number));
        Assert.All(forCentral.Rows, r => Assert.Equal("CF", r.CountryCode));
        Assert.Contains(inCongo.Number, forCongo.Rows.Select(r => r.Number));
        Assert.All(forCongo.Rows, r => Assert.Equal("CD", r.CountryCode));
        Assert.Equal(forCentral.TotalCount, centralCounts.NewIntakes);
        Assert.Equal(forCongo.TotalCount, congoCounts.NewIntakes);
    }

    [Fact]
    public async Task With_the_real_queries_a_claim_reaches_the_next_read_through_its_live_event()
    {
        var viewer = await _world.StaffAsync(Roles.Advocate, "CF");
        var claimer = await _world.StaffAsync(Roles.Advocate, "CF");
        var intake = await _world.NewIntakeAsync("CF");
        using var views = new LiveViews(_world.LiveEvents);
        using var shared = new QueueViewCache(views.Cache);
        var cache = new QueueService(_world.Database.Contexts, _world.Clock, _world.Database.Service<Portal.Domain.Reminders.ReminderPolicy>(), _world.AnyViewersScope, shared);
        var request = NewIntakes with { Filter = new QueueFilter { NumberSearch = intake.Number } };
        Assert.Single((await cache.GetPageAsync(viewer, request)).Rows);
        var countsBefore = await cache.GetCountsAsync(claimer);

        await _world.CasesFor(claimer).ClaimAsync(claimer, intake.Id); // publishes CaseClaimed after the commit

        Assert.Empty((await cache.GetPageAsync(viewer, request)).Rows);
        var countsAfter = await cache.GetCountsAsync(claimer);
        Assert.Equal((countsBefore.NewIntakes - 1, countsBefore.MyCases + 1), (countsAfter.NewIntakes, countsAfter.MyCases));
    }

    private Counted Counting() => new(_views.Cache, this);

    /// <summary>The cache with stand-in queries that count how often they run, called as the service calls it.</summary>
    private sealed class Counted(LiveViewCache views, QueueViewCacheTests test) : IDisposable
    {
        private readonly QueueViewCache cache = new(views);

        public Task<QueuePage> GetPageAsync(UserScope scope, QueueRequest request) =>
            cache.GetPageAsync(scope, request, _ =>
            {
                Interlocked.Increment(ref test._pageQueries);
                return Task.FromResult(Page(scope.UserId));
            });

        public Task<QueueCounts> GetCountsAsync(UserScope scope) =>
            cache.GetCountsAsync(scope, _ =>
            {
                Interlocked.Increment(ref test._countQueries);
                return Task.FromResult(Counts(scope.UserId));
            });

        public void Dispose() => cache.Dispose();
    }

    private static QueueFilter EveryCriterion() => new()
    {
        Statuses = Enum.GetValues<CaseStatus>(),
        RiskLevels = Enum.GetValues<RiskLevel>(),
        CountryCode = "CF",
        ReferralType = Portal.Domain.Referrals.ReferralType.SafetyAndProtection,
        OverdueOnly = true,
        StalePaternityOnly = true,
        NumberSearch = "CF-2026-000123456789",
        Unclaimed = true,
        DueToday = true,
        ReferralStatus = Portal.Domain.Referrals.ReferralStatus.Accepted,
        ReferralSentFrom = new DateOnly(2025, 6, 17),
        ReferralSentTo = new DateOnly(2026, 6, 16),
        ReferralAccepted = true,
        ClaimStatus = Portal.Domain.Children.PaternityClaimStatus.UnderReviewByMemberState,
        PendingClaim = true,
        StaleClaim = true,
        OpenedFrom = new DateOnly(2025, 6, 17),
        OpenedTo = new DateOnly(2026, 6, 16),
        Contacted = true,
        ClosedFrom = new DateOnly(2025, 6, 17),
        ClosedTo = new DateOnly(2026, 6, 16),
        AllegationYear = 2025,
        AllegationUnMission = false,
    };

    /// <summary>A page that says whom it was made for (in the assignee column).</summary>
    private static QueuePage Page(string madeFor) =>
        new([new QueueRow(Guid.NewGuid(), "CF-2026-0001", "CF", CaseStatus.Intake, RiskLevel.Medium, DateTime.UtcNow, null, madeFor, null)], 1);

    /// <summary>Counts that say whom they were made for.</summary>
    private static QueueCounts Counts(string madeFor) => new(madeFor.GetHashCode(StringComparison.Ordinal), 0, 0, null, 0);

    private static QueueRow Row(string number) =>
        new(Guid.NewGuid(), number, "CF", CaseStatus.Intake, RiskLevel.Medium, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), null, null, null);
}
