using Bunit;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Referrals;
using Portal.Features.Dashboard;
using Portal.Features.Queues;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Dashboard;

public sealed class DashboardTilesTests : MudBunitContext
{
    private static readonly DateTime Now = new(2025, 6, 16, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Every_number_is_shown_and_links_to_the_queue_of_its_cases()
    {
        var figures = Sample();

        var cut = Render<DashboardTiles>(p => p.Add(t => t.Figures, figures));

        // Months and allegation years are the charts' (tested below); everything else is on the tiles.
        var onTiles = figures.AllLinkedFigures().Where(f => !f.Key.StartsWith("opened.", StringComparison.Ordinal) && !f.Key.StartsWith("closed.", StringComparison.Ordinal) && !f.Key.StartsWith("allegations.", StringComparison.Ordinal)).ToList();
        Assert.True(onTiles.Count > 20);
        foreach (var figure in onTiles)
        {
            var links = cut.FindAll($"a[data-figure='{figure.Key}']");
            Assert.True(links.Count > 0, $"{figure.Key} is not on the tiles");
            Assert.All(links, link =>
            {
                Assert.Equal(figure.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), link.TextContent);
                Assert.Equal(figure.Link, link.GetAttribute("href"));
            });
        }

        var unclaimed = cut.Find("[data-testid=tile-unclaimed] a[data-figure=unclaimed]");
        Assert.Equal("/queues/all?country=HT&unclaimed=true", unclaimed.GetAttribute("href"));
        Assert.Contains("3 days", cut.Find("[data-testid=oldest-unclaimed]").TextContent, StringComparison.Ordinal);
        Assert.Contains("3.5 h", cut.Find("[data-testid=median-first-contact]").TextContent, StringComparison.Ordinal);
        Assert.Equal("50%", string.Concat(cut.Find("[data-testid=completion-Medical]").TextContent.Where(c => !char.IsWhiteSpace(c))));
        Assert.Equal("—", cut.Find("[data-testid=completion-Legal]").TextContent.Trim());
        Assert.Contains("No movement for 30 days", cut.Find("a[data-figure='claims.stale']").ParentElement!.ParentElement!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_number_that_counts_follow_ups_says_how_many_cases_its_link_opens()
    {
        var cut = Render<DashboardTiles>(p => p.Add(t => t.Figures, Sample()));

        var overdue = cut.Find("a[data-figure='followups.overdue']");
        Assert.Equal("7", overdue.TextContent);
        Assert.Equal("4", overdue.GetAttribute("data-cases"));
        Assert.Contains("4 cases", overdue.GetAttribute("title"), StringComparison.Ordinal);
        Assert.Equal("/queues/all?country=HT&overdue=true", overdue.GetAttribute("href"));
    }

    [Fact]
    public void The_charts_show_each_month_and_year_as_clickable_numbers()
    {
        var figures = Sample();

        var cut = Render<DashboardCharts>(p => p.Add(c => c.Figures, figures));

        Assert.Equal(figures.Months[1].Opened.Link, cut.Find($"a[data-figure='{figures.Months[1].Opened.Key}']").GetAttribute("href"));
        Assert.Equal("102", cut.Find("a[data-figure='allegations.2024.missions']").TextContent);
        Assert.Contains("allegationYear=2024", cut.Find("a[data-figure='allegations.2024.others']").GetAttribute("href"), StringComparison.Ordinal);
    }

    private static LinkedFigure F(string key, int value, QueueFilter filter, int? cases = null, FigureUnit unit = FigureUnit.Cases) =>
        new(key, value, cases ?? value, filter with { CountryCode = "HT" }, unit);

    private static DashboardFigures Sample()
    {
        var none = QueueFilter.None;
        var period = new DateRange(new DateOnly(2025, 5, 1), new DateOnly(2025, 6, 16));
        var open = Enum.GetValues<CaseStatus>().Where(s => s != CaseStatus.Closed)
            .Select((s, i) => (s, F($"open.{s}", i + 1, none with { Statuses = [s] }))).ToList();
        var claims = new[] { PaternityClaimStatus.Intake, PaternityClaimStatus.DnaSampleRequested }
            .Select((s, i) => (s, F($"claims.{s}", i + 2, none with { ClaimStatus = s }, unit: FigureUnit.Claims))).ToList();
        var sent = none with { ReferralSentFrom = period.From, ReferralSentTo = period.To };
        return new DashboardFigures(
            new DashboardFilter("HT"),
            period,
            Now,
            open,
            F("open.total", 21, none with { Statuses = open.Select(o => o.s).ToList() }),
            F("unclaimed", 5, none with { Unclaimed = true }),
            Now.AddDays(-3).AddHours(-2),
            F("followups.due-today", 6, none with { DueToday = true }, 3, FigureUnit.FollowUps),
            F("followups.overdue", 7, none with { OverdueOnly = true }, 4, FigureUnit.FollowUps),
            Enum.GetValues<ReferralType>().Select(t => new ReferralTypeSummary(t, t == ReferralType.Medical ? 4 : 0, t == ReferralType.Medical ? 4 : 0, t == ReferralType.Medical ? 2 : 0,
                F($"referrals.{t}", t == ReferralType.Medical ? 4 : 0, sent with { ReferralType = t }, t == ReferralType.Medical ? 3 : 0, FigureUnit.Referrals))).ToList(),
            [
                new ReferralCell(ReferralType.Medical, ReferralStatus.Completed, F("referrals.Medical.Completed", 2, sent with { ReferralType = ReferralType.Medical, ReferralStatus = ReferralStatus.Completed }, 2, FigureUnit.Referrals)),
                new ReferralCell(ReferralType.Medical, ReferralStatus.Sent, F("referrals.Medical.Sent", 2, sent with { ReferralType = ReferralType.Medical, ReferralStatus = ReferralStatus.Sent }, 1, FigureUnit.Referrals)),
            ],
            new MedianFigure(TimeSpan.FromHours(3.5), F("median.first-contact", 6, none with { OpenedFrom = period.From, OpenedTo = period.To, Contacted = true })),
            new MedianFigure(null, F("median.acceptance", 0, sent with { ReferralAccepted = true }, 0, FigureUnit.Referrals)),
            claims,
            F("claims.pending", 5, none with { PendingClaim = true }, 4, FigureUnit.Claims),
            F("claims.stale", 1, none with { StaleClaim = true }, 1, FigureUnit.Claims),
            F("closure.awaiting", 6, none with { Statuses = [CaseStatus.ClosureRequested] }),
            [
                new MonthCount(2025, 5, F("opened.2025-05", 9, none with { OpenedFrom = new DateOnly(2025, 5, 1), OpenedTo = new DateOnly(2025, 5, 31) }), F("closed.2025-05", 1, none with { ClosedFrom = new DateOnly(2025, 5, 1), ClosedTo = new DateOnly(2025, 5, 31) })),
                new MonthCount(2025, 6, F("opened.2025-06", 4, none with { OpenedFrom = new DateOnly(2025, 6, 1), OpenedTo = new DateOnly(2025, 6, 16) }), F("closed.2025-06", 0, none with { ClosedFrom = new DateOnly(2025, 6, 1), ClosedTo = new DateOnly(2025, 6, 16) })),
            ],
            [new AllegationYear(2024, F("allegations.2024.missions", 102, none with { AllegationYear = 2024, AllegationUnMission = true }), F("allegations.2024.others", 190, none with { AllegationYear = 2024, AllegationUnMission = false }))],
            StaleClaimDays: 30);
    }
}
