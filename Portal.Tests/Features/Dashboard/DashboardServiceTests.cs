using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Referrals;
using Portal.Features.Dashboard;
using Portal.Features.Queues;
using Portal.Infrastructure.Security;

namespace Portal.Tests.Features.Dashboard;

/// <summary>Each figure against the hand-built story in <see cref="DashboardData"/>, where the right answer is known.</summary>
public sealed class DashboardServiceTests(DashboardData data) : IClassFixture<DashboardData>
{
    private Task<DashboardFigures> HaitiAsync(DashboardPeriod period = DashboardPeriod.Last12Months, int? year = null) =>
        data.DashboardFor(data.Coordinator).GetAsync(data.Coordinator, new DashboardFilter(DashboardData.Country, period, year));

    [Fact]
    public async Task Open_cases_are_counted_by_status_with_closures_awaiting_approval()
    {
        var figures = await HaitiAsync();

        var byStatus = figures.OpenByStatus.ToDictionary(s => s.Status, s => s.Figure.Value);
        Assert.Equal(2, byStatus[CaseStatus.Intake]);
        Assert.Equal(3, byStatus[CaseStatus.Assessment]);
        Assert.Equal(1, byStatus[CaseStatus.ActionPlan]);
        Assert.Equal(1, byStatus[CaseStatus.Assistance]);
        Assert.Equal(0, byStatus[CaseStatus.FollowUp]);
        Assert.Equal(1, byStatus[CaseStatus.ClosureRequested]);
        Assert.DoesNotContain(CaseStatus.Closed, byStatus.Keys);
        Assert.Equal(8, figures.OpenTotal.Value);
        Assert.Equal(1, figures.AwaitingClosure.Value);
    }

    [Fact]
    public async Task Unclaimed_cases_include_released_ones_and_the_oldest_sets_the_age()
    {
        var figures = await HaitiAsync();

        Assert.Equal(3, figures.Unclaimed.Value);
        Assert.Equal(new DateTime(2025, 2, 1, 9, 0, 0, DateTimeKind.Utc), figures.OldestUnclaimedOpenedAtUtc);
        Assert.Equal(DashboardData.Now.UtcDateTime - new DateTime(2025, 2, 1, 9, 0, 0, DateTimeKind.Utc), figures.OldestUnclaimedAge);
    }

    [Fact]
    public async Task Follow_ups_due_today_and_overdue_follow_the_domain_rules()
    {
        var figures = await HaitiAsync();

        // Due today: planned 08:00, urgent 10:00, snoozed until 15:00. Overdue: 14 June (a day late), urgent 10:00 (at once).
        Assert.Equal((3, 2), (figures.DueToday.Value, figures.DueToday.Cases));
        Assert.Equal((2, 2), (figures.Overdue.Value, figures.Overdue.Cases));
        Assert.Equal(FigureUnit.FollowUps, figures.Overdue.Counts);
    }

    [Fact]
    public async Task Referrals_sent_in_the_period_by_type_and_status_with_completion_rate()
    {
        var figures = await HaitiAsync();

        var cells = figures.ReferralCells.ToDictionary(c => (c.Type, c.Status), c => c.Figure.Value);
        Assert.Equal(2, cells.Count);
        Assert.Equal(1, cells[(ReferralType.Medical, ReferralStatus.Completed)]);
        Assert.Equal(1, cells[(ReferralType.Psychosocial, ReferralStatus.Sent)]);
        var types = figures.ReferralTypes.ToDictionary(t => t.Type);
        Assert.Equal(1.0, types[ReferralType.Medical].CompletionRate);
        Assert.Equal(0.0, types[ReferralType.Psychosocial].CompletionRate);
        Assert.Null(types[ReferralType.Legal].CompletionRate); // a draft was never sent
        Assert.Equal(0, types[ReferralType.Legal].Total);

        var earlier = await HaitiAsync(DashboardPeriod.Last30Days);
        Assert.Empty(earlier.ReferralCells);
    }

    [Fact]
    public async Task Medians_of_first_contact_and_of_acceptance()
    {
        var figures = await HaitiAsync();

        // First contact after 1, 2, 3, 4, 5 and 10 hours among the cases opened in the period.
        Assert.Equal(TimeSpan.FromHours(3.5), figures.IntakeToFirstContact.Median);
        Assert.Equal(6, figures.IntakeToFirstContact.Basis.Value);
        Assert.Equal(TimeSpan.FromHours(48), figures.ReferralToAcceptance.Median);
        Assert.Equal((1, 1), (figures.ReferralToAcceptance.Basis.Value, figures.ReferralToAcceptance.Basis.Cases));

        var lastMonth = await HaitiAsync(DashboardPeriod.Last30Days);
        Assert.Null(lastMonth.ReferralToAcceptance.Median);
        Assert.Equal(0, lastMonth.IntakeToFirstContact.Basis.Value);
    }

    [Fact]
    public async Task Pending_paternity_claims_by_status_and_those_without_movement()
    {
        var figures = await HaitiAsync();

        var pending = figures.PendingClaims.ToDictionary(p => p.Status, p => p.Figure.Value);
        Assert.Equal(1, pending[PaternityClaimStatus.Intake]);
        Assert.Equal(1, pending[PaternityClaimStatus.DnaSampleRequested]);
        Assert.DoesNotContain(PaternityClaimStatus.NotEstablished, pending.Keys);
        Assert.Equal(2, figures.PendingClaimsTotal.Value);
        Assert.Equal(1, figures.StaleClaims.Value);
    }

    [Fact]
    public async Task Cases_opened_and_closed_per_month_of_the_period()
    {
        var figures = await HaitiAsync();

        Assert.Equal(13, figures.Months.Count);
        Assert.Equal("2024-06", figures.Months[0].Label);
        Assert.Equal("2025-06", figures.Months[^1].Label);
        var opened = figures.Months.ToDictionary(m => m.Label, m => m.Opened.Value);
        Assert.Equal(8, opened.Values.Sum());
        Assert.Equal(2, opened["2025-06"]);
        Assert.Equal(1, opened["2024-12"]);
        Assert.Equal(1, figures.Months.Single(m => m.Label == "2025-05").Closed.Value);
        Assert.Equal(1, figures.Months.Sum(m => m.Closed.Value));
    }

    [Fact]
    public async Task Allegations_per_year_split_between_missions_and_other_entities()
    {
        var haiti = await HaitiAsync();
        var all = await data.DashboardFor(data.Coordinator).GetAsync(data.Coordinator, new DashboardFilter());

        Assert.Equal([(2024, 0, 1), (2025, 2, 1)], haiti.AllegationYears.Select(y => (y.Year, y.UnMissions.Value, y.OtherEntities.Value)));
        Assert.Equal([(2024, 0, 1), (2025, 3, 1)], all.AllegationYears.Select(y => (y.Year, y.UnMissions.Value, y.OtherEntities.Value)));
    }

    [Fact]
    public async Task All_countries_counts_the_other_country_too()
    {
        var all = await data.DashboardFor(data.Administrator).GetAsync(data.Administrator, new DashboardFilter());

        Assert.Equal(4, all.Unclaimed.Value);
        Assert.Equal(3, all.OpenByStatus.Single(s => s.Status == CaseStatus.Intake).Figure.Value);
    }

    /// <summary>
    /// The all-countries view reads other tables without going through the cases (no filter at all), one country through
    /// its cases (EXISTS) or through an expression on the country: every count, of rows and of cases (a case belongs to
    /// one country), must still be the sum of the countries' counts.
    /// </summary>
    [Theory]
    [InlineData(DashboardPeriod.Last12Months, null)]
    [InlineData(DashboardPeriod.Year, 2024)]
    public async Task Every_count_of_all_countries_is_the_sum_of_the_countries(DashboardPeriod period, int? year)
    {
        var dashboard = data.DashboardFor(data.Coordinator);
        var all = await dashboard.GetAsync(data.Coordinator, new DashboardFilter(null, period, year));
        var sums = new Dictionary<string, (int Value, int Cases)>();
        foreach (var (country, _) in await dashboard.GetCountriesAsync(data.Coordinator))
        {
            var figures = await dashboard.GetAsync(data.Coordinator, new DashboardFilter(country, period, year));
            foreach (var figure in figures.AllLinkedFigures())
            {
                var (value, cases) = sums.GetValueOrDefault(figure.Key);
                sums[figure.Key] = (value + figure.Value, cases + figure.Cases);
            }
        }

        Assert.True(all.AllLinkedFigures().Count(f => f.Value > 0) >= 10);
        Assert.All(all.AllLinkedFigures(), f => Assert.Equal((f.Key, f.Value, f.Cases), (f.Key, sums.GetValueOrDefault(f.Key).Value, sums.GetValueOrDefault(f.Key).Cases)));
        Assert.All(sums.Where(s => s.Value.Value > 0), s => Assert.Contains(all.AllLinkedFigures(), f => f.Key == s.Key));
    }

    [Fact]
    public async Task The_annual_summary_of_all_countries_is_the_sum_of_the_countries()
    {
        var dashboard = data.DashboardFor(data.Coordinator);
        var all = await dashboard.GetAnnualAsync(data.Coordinator, 2025, null);
        var countries = new List<AnnualSummary>();
        foreach (var (country, _) in await dashboard.GetCountriesAsync(data.Coordinator))
        {
            countries.Add(await dashboard.GetAnnualAsync(data.Coordinator, 2025, country));
        }

        static int[] Counts(AnnualSummary s) =>
        [
            s.CasesOpened.Value, s.CasesClosed.Value, s.CasesAssisted.Value, s.ChildrenRegistered, s.ChildrenBorn, s.ClaimsOpened,
            s.AllegationsUnMissions.Value, s.AllegationsOtherEntities.Value, .. s.AllegationsByEntityType.Select(a => a.Allegations),
        ];

        var sum = countries.Select(Counts).Aggregate((a, b) => a.Zip(b, (x, y) => x + y).ToArray());
        Assert.Equal(sum, Counts(all));
        Assert.True(all.CasesOpened.Value > countries.Single(c => c.Figures.Filter.CountryCode == DashboardData.Country).CasesOpened.Value);
        Assert.True(all.ChildrenRegistered > 0 && all.ClaimsOpened > 0 && all.CasesClosed.Value > 0);
    }

    [Fact]
    public async Task The_annual_summary_counts_the_year()
    {
        var summary = await data.DashboardFor(data.Coordinator).GetAnnualAsync(data.Coordinator, 2025, DashboardData.Country);

        Assert.Equal(new DateOnly(2025, 1, 1), summary.Figures.Period.From);
        Assert.Equal(new DateOnly(2025, 6, 16), summary.Figures.Period.To); // the year is not over
        Assert.Equal(7, summary.CasesOpened.Value);
        Assert.Equal(1, summary.CasesClosed.Value);
        Assert.Equal(1, summary.CasesAssisted.Value);
        Assert.Equal(3, summary.ChildrenRegistered);
        Assert.Equal(1, summary.ChildrenBorn);
        Assert.Equal(2, summary.ClaimsOpened);
        Assert.Equal([(PaternityClaimStatus.DnaSampleRequested, 1), (PaternityClaimStatus.NotEstablished, 1)], summary.ClaimsOpenedByStatusNow);
        Assert.Equal(2, summary.AllegationsUnMissions.Value);
        Assert.Equal(1, summary.AllegationsOtherEntities.Value);
        Assert.Equal(1, summary.AllegationsByEntityType.Single(a => a.EntityType == AllegationEntityType.ImplementingPartner).Allegations);
    }

    [Fact]
    public async Task Advocates_are_refused_and_the_attempt_is_audited()
    {
        var service = data.DashboardFor(data.CountryAdvocate);

        await Assert.ThrowsAsync<AccessDeniedException>(() => service.GetAsync(data.CountryAdvocate, new DashboardFilter(DashboardData.Country)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.GetAnnualAsync(data.CountryAdvocate, 2025, null));
        Assert.Empty(await service.GetCountriesAsync(data.CountryAdvocate));

        await using var db = data.Database.NewContext();
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.UserId == data.CountryAdvocate.UserId && e.Action == AuditAction.AccessDenied && e.RecordType == DashboardService.RecordType));
    }

    [Fact]
    public async Task An_unknown_country_or_future_year_is_refused()
    {
        var service = data.DashboardFor(data.Coordinator);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => service.GetAsync(data.Coordinator, new DashboardFilter("QQ")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => service.GetAsync(data.Coordinator, new DashboardFilter(null, DashboardPeriod.Year, 2026)));
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        Assert.Null(DashboardService.Median([]));
        Assert.Equal(TimeSpan.FromHours(2), DashboardService.Median([TimeSpan.FromHours(3), TimeSpan.FromHours(1), TimeSpan.FromHours(2)]));
        Assert.Equal(TimeSpan.FromHours(2.5), DashboardService.Median([TimeSpan.FromHours(4), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3)]));
    }
}

/// <summary>Every number on the dashboard opens a queue listing exactly the cases it counts.</summary>
public sealed class DashboardQueueAgreementTests(DashboardData data) : IClassFixture<DashboardData>
{
    public static TheoryData<string?, DashboardPeriod, int?> Views => new()
    {
        { DashboardData.Country, DashboardPeriod.Last12Months, null },
        { DashboardData.Country, DashboardPeriod.Last30Days, null },
        { DashboardData.Country, DashboardPeriod.Year, 2025 },
        { null, DashboardPeriod.Last12Months, null },
        { null, DashboardPeriod.Year, 2024 },
    };

    [Theory]
    [MemberData(nameof(Views))]
    public async Task Every_figure_agrees_with_the_queue_its_link_opens(string? country, DashboardPeriod period, int? year)
    {
        var figures = await data.DashboardFor(data.Coordinator).GetAsync(data.Coordinator, new DashboardFilter(country, period, year));
        var linked = figures.AllLinkedFigures().ToList();
        Assert.True(linked.Count > 30, $"only {linked.Count} figures");

        foreach (var figure in linked)
        {
            // Through the link itself, as the queue page reads it.
            var (filter, invalid) = QueueQuery.Parse(figure.Link);
            Assert.Empty(invalid);
            Assert.Equal(figure.Filter, filter, FilterComparer.Instance);
            var listed = await data.QueueCountAsync(data.Coordinator, filter);
            Assert.True(figure.Cases == listed, $"{figure.Key}: the dashboard counts {figure.Cases} cases, its queue ({figure.Link}) lists {listed}");
            if (figure.Counts == FigureUnit.Cases)
            {
                Assert.Equal(figure.Value, figure.Cases);
            }
            else
            {
                Assert.True(figure.Value >= figure.Cases, $"{figure.Key}: {figure.Value} {figure.Counts} in {figure.Cases} cases");
            }
        }
    }

    [Fact]
    public async Task The_agreement_is_not_vacuous()
    {
        var figures = await data.DashboardFor(data.Coordinator).GetAsync(data.Coordinator, new DashboardFilter(DashboardData.Country));

        Assert.Equal([data.Numbers["A"], data.Numbers["B"], data.Numbers["H"]], (await data.QueueNumbersAsync(data.Coordinator, figures.Unclaimed.Filter)).Order());
        Assert.Equal([data.Numbers["F"]], await data.QueueNumbersAsync(data.Coordinator, figures.StaleClaims.Filter));
        Assert.Equal(new[] { data.Numbers["D"], data.Numbers["E"] }.Order(), await data.QueueNumbersAsync(data.Coordinator, figures.DueToday.Filter));
        Assert.Equal(new[] { data.Numbers["E"] }, await data.QueueNumbersAsync(data.Coordinator, figures.ReferralCells.Single(c => c.Status == ReferralStatus.Sent).Figure.Filter));
    }

    /// <summary>Records compare lists by reference; a filter read back from a link has new lists.</summary>
    private sealed class FilterComparer : IEqualityComparer<QueueFilter>
    {
        public static readonly FilterComparer Instance = new();

        private static readonly IReadOnlyList<CaseStatus> NoStatuses = [];
        private static readonly IReadOnlyList<RiskLevel> NoRisks = [];

        public bool Equals(QueueFilter? x, QueueFilter? y) =>
            x is not null && y is not null
            && x.Statuses.SequenceEqual(y.Statuses) && x.RiskLevels.SequenceEqual(y.RiskLevels)
            && (x with { Statuses = NoStatuses, RiskLevels = NoRisks }) == (y with { Statuses = NoStatuses, RiskLevels = NoRisks });

        public int GetHashCode(QueueFilter obj) => 0;
    }
}
