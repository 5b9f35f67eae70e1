using System.Globalization;
using Bunit;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Features.Queues;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Queues;

/// <summary>
/// A queue longer than the counted limit says "more than" the limit, and still pages to its last case: by seeking past
/// the previous page, and by a page number past the limit (which must not be read back from an end the count never saw).
/// </summary>
public sealed class QueueCountLimitTests : MudBunitContext, IClassFixture<QueueCountLimitTests.ManyCases>
{
    private const string Country = "ML";

    private readonly ManyCases _cases;

    public QueueCountLimitTests(ManyCases cases) => _cases = cases;

    [Fact]
    public async Task A_queue_past_the_limit_counts_as_more_than_it_and_pages_to_its_last_case()
    {
        var coordinator = await _cases.World.StaffAsync(Roles.Coordinator);
        var byNumber = new QueueRequest(QueueKind.AllCases, new QueueFilter { CountryCode = Country }, QueueSort.Number, PageSize: 100);

        var first = await _cases.World.Queues.GetPageAsync(coordinator, byNumber);
        Assert.Equal(QueueCount.Limit + 1, first.TotalCount);
        Assert.True(QueueCount.IsBeyondLimit(first.TotalCount));

        var seeked = new List<string>();
        QueueRow? last = null;
        for (var page = 0; ; page++)
        {
            var rows = (await _cases.World.Queues.GetPageAsync(coordinator, byNumber with { Page = page, After = last })).Rows;
            seeked.AddRange(rows.Select(r => r.Number));
            if (rows.Count < byNumber.PageSize)
            {
                break;
            }

            last = rows[^1];
        }

        Assert.Equal(ManyCases.Count, seeked.Count);
        Assert.Equal(_cases.Numbers.Order(StringComparer.Ordinal), seeked);

        // Page 11 of 100 lies past the limit: its rows by number, not the last rows of some guessed end.
        var eleventh = await _cases.World.Queues.GetPageAsync(coordinator, byNumber with { Page = 10 });
        Assert.Equal(seeked.Skip(1000), eleventh.Rows.Select(r => r.Number));

        var counts = await _cases.World.Queues.GetCountsAsync(coordinator);
        Assert.True(QueueCount.IsBeyondLimit(counts.AllCases));
    }

    [Theory]
    [InlineData("en", "1001–1025 of more than 1,000", "More than 1,000 cases", "1,000 cases")]
    [InlineData("fr", "1001–1025 sur plus de 1\u202f000", "Plus de 1\u202f000 dossiers", "1\u202f000 dossiers")]
    public void Past_the_limit_the_pager_says_more_than_and_offers_no_last_page_and_a_next_page_after_a_full_one(string culture, string range, string beyond, string atLimit)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);

        var full = Render<QueuePager>(p => p.Add(x => x.Page, 40).Add(x => x.PageSize, 25).Add(x => x.Total, QueueCount.Limit + 1).Add(x => x.RowsShown, 25));
        Assert.Equal(range, full.Find("[data-testid='pager-range']").TextContent);
        Assert.True(full.Find("[data-testid='pager-last']").HasAttribute("disabled"));
        Assert.False(full.Find("[data-testid='pager-next']").HasAttribute("disabled"));

        var shortPage = Render<QueuePager>(p => p.Add(x => x.Page, 41).Add(x => x.PageSize, 25).Add(x => x.Total, QueueCount.Limit + 1).Add(x => x.RowsShown, 5));
        Assert.True(shortPage.Find("[data-testid='pager-next']").HasAttribute("disabled"));

        Assert.Equal(beyond, Render<QueueTotal>(p => p.Add(x => x.Total, QueueCount.Limit + 1)).Find("[data-testid='queue-total']").TextContent);
        Assert.Equal(atLimit, Render<QueueTotal>(p => p.Add(x => x.Total, QueueCount.Limit)).Find("[data-testid='queue-total']").TextContent);
    }

    /// <summary>Thirty cases more than the limit, in one country of their own.</summary>
    public sealed class ManyCases : IAsyncLifetime, IDisposable
    {
        public const int Count = QueueCount.Limit + 30;

        private readonly TestDatabase _database = new();

        public ManyCases() => World = new CaseWorld(_database);

        public CaseWorld World { get; }

        public List<string> Numbers { get; } = [];

        public async Task InitializeAsync()
        {
            var opened = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
            await using var db = _database.NewContext();
            for (var i = 0; i < Count; i++)
            {
                opened.Advance(TimeSpan.FromMinutes(1));
                var number = await _database.Service<CaseNumbers>().NextAsync(db, Country, opened);
                db.Add(Case.OpenFromIntake(number, Country, RiskLevel.Medium, "fr", null, opened));
                Numbers.Add(number.ToString());
            }

            await db.SaveChangesAsync();
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => _database.Dispose();
    }
}
