using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.FollowUps;
using Portal.Features.Queues;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Queues;

/// <summary>
/// Every sortable column, both ways, offsetRows by seeking past the previous page's last row: the pages together are the
/// whole queue in its order, with nothing twice and nothing left out at a page boundary. The cases share opening moments,
/// risk levels, due dates and advocates, so every order has ties that only the later keys break.
/// </summary>
public sealed class QueueSortTests : IClassFixture<QueueSortTests.Cases>
{
    private const string Country = "ML";

    private readonly Cases _cases;

    public QueueSortTests(Cases cases) => _cases = cases;

    public static TheoryData<QueueSort, bool> EveryOrder()
    {
        var data = new TheoryData<QueueSort, bool>();
        foreach (var sort in Enum.GetValues<QueueSort>())
        {
            data.Add(sort, false);
            data.Add(sort, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryOrder))]
    public async Task Keyset_pages_give_the_whole_queue_in_order_with_no_row_twice_or_missing(QueueSort sort, bool descending)
    {
        var coordinator = await _cases.CoordinatorAsync();
        var filter = new QueueFilter { CountryCode = Country };
        var whole = await _cases.World.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, filter, sort, descending, 0, 100));

        var seeked = new List<QueueRow>();
        var offsetRows = new List<QueueRow>();
        QueueRow? last = null;
        for (var page = 0; page * 4 < whole.TotalCount; page++)
        {
            var bySeek = await _cases.World.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, filter, sort, descending, page, 4, last));
            var byOffset = await _cases.World.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, filter, sort, descending, page, 4));
            seeked.AddRange(bySeek.Rows);
            offsetRows.AddRange(byOffset.Rows);
            last = bySeek.Rows[^1];
        }

        Assert.Equal(Cases.Count, whole.TotalCount);
        Assert.Equal(whole.Rows.Select(r => r.Number), seeked.Select(r => r.Number));
        Assert.Equal(whole.Rows.Select(r => r.Number), offsetRows.Select(r => r.Number));
        Assert.Equal(Cases.Count, seeked.Select(r => r.CaseId).Distinct().Count());
        Assert.Equal(Expected(whole.Rows, sort, descending), whole.Rows.Select(r => r.Number));
    }

    [Fact]
    public async Task The_data_has_ties_for_the_later_keys_to_break()
    {
        var coordinator = await _cases.CoordinatorAsync();
        var rows = (await _cases.World.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, new QueueFilter { CountryCode = Country }, PageSize: 100))).Rows;

        Assert.Contains(rows.GroupBy(r => r.OpenedAtUtc), g => g.Count() > 1);
        Assert.Contains(rows.GroupBy(r => r.NextFollowUpDueUtc), g => g.Key is not null && g.Count() > 1);
        Assert.Contains(rows, r => r.NextFollowUpDueUtc is null);
        Assert.Contains(rows.GroupBy(r => r.AssigneeName), g => g.Key is not null && g.Count() > 1);
        Assert.Contains(rows, r => r.AssigneeName is null);
    }

    [Fact]
    public async Task Without_a_chosen_order_new_intakes_put_the_highest_risk_that_waited_longest_first()
    {
        var advocate = await _cases.World.StaffAsync(Roles.Advocate, Country);
        var rows = (await _cases.World.Queues.GetPageAsync(advocate, new QueueRequest(QueueKind.NewIntakes, QueueFilter.None, PageSize: 100))).Rows;

        Assert.Equal(new QueueOrder(QueueSort.Risk, true), QueueOrder.DefaultFor(QueueKind.NewIntakes));
        Assert.Equal(new QueueOrder(QueueSort.NextDue, false), QueueOrder.DefaultFor(QueueKind.MyCases));
        Assert.Equal(new QueueOrder(QueueSort.NextDue, false), QueueOrder.DefaultFor(QueueKind.DueFollowUps));
        Assert.NotEmpty(rows);
        var expected = rows.OrderByDescending(r => r.RiskLevel).ThenBy(r => r.OpenedAtUtc).ThenBy(r => r.Number, StringComparer.Ordinal).Select(r => r.Number);
        Assert.Equal(expected, rows.Select(r => r.Number));
        Assert.Equal(RiskLevel.High, rows[0].RiskLevel);
    }

    [Fact]
    public async Task Without_a_chosen_order_my_cases_put_the_soonest_due_first_and_cases_without_follow_up_last()
    {
        var rows = (await _cases.World.Queues.GetPageAsync(_cases.Ann, new QueueRequest(QueueKind.MyCases, QueueFilter.None, PageSize: 100))).Rows;

        Assert.True(rows.Count >= 3);
        Assert.Equal(Expected(rows, QueueSort.NextDue, descending: false), rows.Select(r => r.Number));
        Assert.Null(rows[^1].NextFollowUpDueUtc);
    }

    [Fact]
    public void A_header_click_turns_the_same_column_round_and_starts_another_at_its_most_urgent_end()
    {
        var risk = new QueueOrder(QueueSort.Risk, true);

        Assert.Equal(new QueueOrder(QueueSort.Risk, false), risk.Then(QueueSort.Risk));
        Assert.Equal(new QueueOrder(QueueSort.NextDue, false), risk.Then(QueueSort.NextDue));
        Assert.Equal(new QueueOrder(QueueSort.Risk, true), new QueueOrder(QueueSort.Number, false).Then(QueueSort.Risk));
    }

    /// <summary>The order each column means, worked out here from the rows' values, independently of the query.</summary>
    private static IEnumerable<string> Expected(IReadOnlyList<QueueRow> rows, QueueSort sort, bool descending)
    {
        IOrderedEnumerable<QueueRow> By<T>(IEnumerable<QueueRow> source, Func<QueueRow, T> key, bool desc, IComparer<T>? comparer = null) =>
            desc ? source.OrderByDescending(key, comparer) : source.OrderBy(key, comparer);
        IOrderedEnumerable<QueueRow> Then<T>(IOrderedEnumerable<QueueRow> source, Func<QueueRow, T> key, bool desc, IComparer<T>? comparer = null) =>
            desc ? source.ThenByDescending(key, comparer) : source.ThenBy(key, comparer);
        var number = (IComparer<string?>)StringComparer.Ordinal;
        var ordered = sort switch
        {
            QueueSort.Number => By(rows, r => r.Number, descending, number),
            QueueSort.Country => Then(By(rows, r => r.CountryCode, descending, number), r => r.Number, descending, number),
            QueueSort.Status => Then(By(rows, r => r.Status, descending), r => r.Number, descending, number),
            QueueSort.Risk => Then(Then(By(rows, r => r.RiskLevel, descending), r => r.OpenedAtUtc, !descending), r => r.Number, !descending, number),
            QueueSort.NextDue => Then(Then(By(rows, r => r.NextFollowUpDueUtc is null, false), r => r.NextFollowUpDueUtc, descending), r => r.Number, descending, number),
            QueueSort.Assignee => Then(Then(By(rows, r => r.AssigneeName is null, false), r => r.AssigneeName, descending, number), r => r.Number, descending, number),
            _ => Then(By(rows, r => r.OpenedAtUtc, descending), r => r.Number, descending, number),
        };
        return ordered.Select(r => r.Number);
    }

    /// <summary>
    /// Seventeen cases of one country, opened in pairs at the same moment, of three risk levels; two advocates hold some;
    /// open follow-ups share due dates (one snoozed, one done, which no longer counts), and some cases have none.
    /// </summary>
    public sealed class Cases : IAsyncLifetime, IDisposable
    {
        public const int Count = 17;

        private readonly TestDatabase _database = new();

        public Cases() => World = new CaseWorld(_database);

        public CaseWorld World { get; }

        public UserScope Ann { get; private set; } = null!;

        public Task<UserScope> CoordinatorAsync() => World.StaffAsync(Roles.Coordinator);

        public async Task InitializeAsync()
        {
            Ann = await World.StaffAsync(Roles.Advocate, Country);
            var bob = await World.StaffAsync(Roles.Advocate, Country);
            var opened = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
            var risks = new[] { RiskLevel.Low, RiskLevel.High, RiskLevel.Medium };
            var today = DateTime.UtcNow.Date;
            for (var i = 0; i < Count; i++)
            {
                if (i % 2 == 1)
                {
                    opened.Advance(TimeSpan.FromHours(1)); // cases 1 and 2, 3 and 4 ... open at the same moment
                }

                Case survivorCase;
                await using (var db = _database.NewContext())
                {
                    var number = await _database.Service<CaseNumbers>().NextAsync(db, Country, opened);
                    survivorCase = Case.OpenFromIntake(number, Country, risks[i % 3], "fr", null, opened);
                    db.Add(survivorCase);
                    if (i % 3 != 0)
                    {
                        db.Add(FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Check", today.AddDays(10 + (i % 4)), isUrgent: false));
                    }

                    if (i == 4)
                    {
                        var snoozed = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Call", today.AddDays(2), isUrgent: false);
                        snoozed.Snooze(today.AddDays(11), "Away", "test-user", TimeProvider.System);
                        db.Add(snoozed);
                    }

                    if (i == 5)
                    {
                        var done = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Visit", today.AddDays(1), isUrgent: false);
                        done.Complete("test-user", TimeProvider.System);
                        db.Add(done);
                    }

                    await db.SaveChangesAsync();
                }

                var holder = (i % 4) switch { 1 => Ann, 2 => bob, _ => null };
                if (holder is not null)
                {
                    await World.CasesFor(holder).ClaimAsync(holder, survivorCase.Id);
                }
            }
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => _database.Dispose();
    }
}
