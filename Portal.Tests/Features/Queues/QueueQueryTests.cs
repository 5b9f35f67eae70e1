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
}
