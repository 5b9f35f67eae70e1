using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Referrals;
using Portal.Features.Queues;

namespace Portal.Tests.Features.Queues;

public sealed class QueueQueryTests
{
    [Fact]
    public void A_filter_survives_the_trip_through_a_link()
    {
        var filter = new QueueFilter
        {
            Statuses = [CaseStatus.Intake, CaseStatus.Assessment],
            RiskLevels = [RiskLevel.High],
            CountryCode = "CF",
            OverdueOnly = true,
            Unclaimed = true,
            DueToday = true,
            ReferralType = ReferralType.PaternityAndChildSupport,
            ReferralStatus = ReferralStatus.Accepted,
            ReferralSentFrom = new DateOnly(2025, 1, 1),
            ReferralSentTo = new DateOnly(2025, 12, 31),
            ReferralAccepted = true,
            ClaimStatus = PaternityClaimStatus.UnderReviewByMemberState,
            PendingClaim = true,
            StaleClaim = true,
            OpenedFrom = new DateOnly(2024, 2, 29),
            OpenedTo = new DateOnly(2024, 3, 1),
            Contacted = true,
            ClosedFrom = new DateOnly(2024, 1, 1),
            ClosedTo = new DateOnly(2024, 1, 31),
            AllegationYear = 2019,
            AllegationUnMission = false,
            NumberSearch = "CF-2025",
        };

        var link = QueueRoutes.For(QueueKind.AllCases, filter);
        var (parsed, invalid) = QueueQuery.Parse(link);

        Assert.StartsWith("/queues/all?status=Intake,Assessment&risk=High&country=CF", link, StringComparison.Ordinal);
        Assert.Empty(invalid);
        Assert.Equal(filter.Statuses, parsed.Statuses);
        Assert.Equal(filter.RiskLevels, parsed.RiskLevels);
        Assert.Equal(filter with { Statuses = parsed.Statuses, RiskLevels = parsed.RiskLevels }, parsed);
        Assert.Equal(QueueFilter.None with { Statuses = QueueFilter.None.Statuses }, QueueQuery.Parse("/queues/all").Filter with { Statuses = QueueFilter.None.Statuses, RiskLevels = QueueFilter.None.RiskLevels });
    }

    [Theory]
    [InlineData("?status=Intake,Nonsense", "status")]
    [InlineData("?status=3", "status")]
    [InlineData("?country=C", "country")]
    [InlineData("?overdue=yes", "overdue")]
    [InlineData("?openedFrom=2025-13-01", "openedFrom")]
    [InlineData("?referralType=Medicall", "referralType")]
    [InlineData("?allegationYear=twenty", "allegationYear")]
    public void A_parameter_that_cannot_be_read_is_reported_not_guessed(string query, string parameter)
    {
        var (filter, invalid) = QueueQuery.Parse("/queues/all" + query);

        Assert.Equal([parameter], invalid);
        Assert.Empty(filter.Statuses);
        Assert.Null(filter.CountryCode);
        Assert.False(filter.OverdueOnly);
    }

    [Fact]
    public void Values_are_read_whatever_their_case_and_escaping()
    {
        var (filter, invalid) = QueueQuery.Parse("https://portal.example.org/queues/all?status=closurerequested&country=cd&unclaimed=TRUE&number=CD%2D2026");

        Assert.Empty(invalid);
        Assert.Equal([CaseStatus.ClosureRequested], filter.Statuses);
        Assert.Equal("CD", filter.CountryCode);
        Assert.True(filter.Unclaimed);
        Assert.Equal("CD-2026", filter.NumberSearch);
    }

    [Theory]
    [InlineData(QueueSort.NextDue, true)]
    [InlineData(QueueSort.Assignee, false)]
    [InlineData(QueueSort.Risk, true)]
    public void An_order_survives_the_trip_through_a_link_with_the_filter(QueueSort sort, bool descending)
    {
        var order = new QueueOrder(sort, descending);
        var link = QueueRoutes.For(QueueKind.MyCases) + QueueQuery.ToQueryString(new QueueFilter { CountryCode = "CF" }, order);

        var (parsed, invalid) = QueueQuery.ParseOrder(link);

        Assert.Equal($"/queues/mine?country=CF&sort={sort}&dir={(descending ? "desc" : "asc")}", link);
        Assert.Empty(invalid);
        Assert.Equal(order, parsed);
        Assert.Equal("CF", QueueQuery.Parse(link).Filter.CountryCode);
        Assert.Equal((null, []), QueueQuery.ParseOrder("/queues/mine?country=CF"));
    }

    [Theory]
    [InlineData("?sort=Nonsense", "sort")]
    [InlineData("?sort=3", "sort")]
    [InlineData("?dir=desc", "dir")]
    public void An_order_that_cannot_be_read_is_reported_and_the_queue_keeps_its_own(string query, string parameter)
    {
        var (order, invalid) = QueueQuery.ParseOrder("/queues/new" + query);

        Assert.Null(order);
        Assert.Equal([parameter], invalid);
    }

    [Fact]
    public void A_direction_that_cannot_be_read_is_reported_and_the_column_kept()
    {
        var (order, invalid) = QueueQuery.ParseOrder("/queues/new?sort=risk&dir=up");

        Assert.Equal(new QueueOrder(QueueSort.Risk, false), order);
        Assert.Equal(["dir"], invalid);
    }
}
