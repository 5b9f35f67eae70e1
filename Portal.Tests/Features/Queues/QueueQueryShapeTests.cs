using Microsoft.Extensions.Time.Testing;
using Portal.Domain.FollowUps;
using Portal.Features.Queues;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Queues;

/// <summary>
/// The queue queries were reshaped for a million cases (BENCHMARKS.md, "Queues at scale"): the next due date is
/// looked up for the page's rows only, "due" is one condition on the effective due date, a search starting with a
/// country code is a range on the number. The answers must be the ones the plain formulation gives.
/// </summary>
public sealed class QueueQueryShapeTests : IClassFixture<TestDatabase>
{
    private readonly CaseWorld _world;

    public QueueQueryShapeTests(TestDatabase database) => _world = new CaseWorld(database);

    [Fact]
    public async Task Due_follow_ups_are_open_or_snoozed_checks_due_by_the_end_of_today_and_each_row_shows_its_earliest()
    {
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var now = DateTime.UtcNow;
        var dueOpen = await _world.NewIntakeAsync("HT");
        var dueSnoozed = await _world.NewIntakeAsync("HT");
        var notYet = await _world.NewIntakeAsync("HT");
        var done = await _world.NewIntakeAsync("HT");

        var monthAgo = new FakeTimeProvider(now.AddDays(-30));
        var openYesterday = FollowUp.CreateManual(dueOpen.Id, null, FollowUpKind.General, "Call back", now.AddDays(-1), isUrgent: false);
        var openLater = FollowUp.CreateManual(dueOpen.Id, null, FollowUpKind.General, "Visit", now.AddDays(5), isUrgent: false);
        var snoozedUntilLastWeek = FollowUp.CreateManual(dueSnoozed.Id, null, FollowUpKind.General, "Call back", now.AddDays(-40), isUrgent: false);
        snoozedUntilLastWeek.Snooze(now.AddDays(-7), "asked to wait", coordinator.UserId, monthAgo);
        var snoozedPastToday = FollowUp.CreateManual(notYet.Id, null, FollowUpKind.General, "Call back", now.AddDays(-40), isUrgent: false);
        snoozedPastToday.Snooze(now.AddDays(3), "asked to wait", coordinator.UserId, monthAgo);
        var openInTwoDays = FollowUp.CreateManual(notYet.Id, null, FollowUpKind.General, "Visit", now.AddDays(2), isUrgent: false);
        var completed = FollowUp.CreateManual(done.Id, null, FollowUpKind.General, "Call back", now.AddDays(-2), isUrgent: false);
        completed.Complete(coordinator.UserId, TimeProvider.System);
        await using (var db = _world.Database.NewContext())
        {
            db.AddRange(openYesterday, openLater, snoozedUntilLastWeek, snoozedPastToday, openInTwoDays, completed);
            await db.SaveChangesAsync();
        }

        var filter = new QueueFilter { CountryCode = "HT" };
        var due = await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.DueFollowUps, filter));
        var all = await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, filter));
        var overdue = await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, filter with { OverdueOnly = true }));

        Assert.Equal([dueOpen.Number, dueSnoozed.Number], due.Rows.Select(r => r.Number).Order());
        Assert.Equal(2, due.TotalCount);
        Assert.Equal([dueOpen.Number, dueSnoozed.Number], overdue.Rows.Select(r => r.Number).Order());
        var next = all.Rows.ToDictionary(r => r.Number, r => r.NextFollowUpDueUtc);
        AssertClose(openYesterday.DueAtUtc, next[dueOpen.Number]);
        AssertClose(snoozedUntilLastWeek.SnoozedUntilUtc!.Value, next[dueSnoozed.Number]);
        AssertClose(openInTwoDays.DueAtUtc, next[notYet.Number]);
        Assert.Null(next[done.Number]);
    }

    /// <summary>
    /// "Overdue only" tests the moment the case row keeps (CaseOverdueKey): it lists exactly the open cases
    /// with a follow-up the follow-ups' own rule finds overdue, an urgent one as soon as it falls due, a snoozed one by its
    /// snooze's end.
    /// </summary>
    [Fact]
    public async Task Overdue_only_lists_the_cases_with_a_follow_up_the_domain_finds_overdue()
    {
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var now = DateTime.UtcNow;
        var longAgo = new FakeTimeProvider(now.AddDays(-30));
        var planned = new List<FollowUp>();
        async Task<Portal.Domain.Cases.Case> CaseWithAsync(params (double Hours, bool Urgent, double? SnoozedToHours)[] checks)
        {
            var survivorCase = await _world.NewIntakeAsync("ML");
            foreach (var (hours, urgent, snoozedTo) in checks)
            {
                var followUp = FollowUp.CreateManual(survivorCase.Id, null, FollowUpKind.General, "Call back", now.AddHours(hours), urgent);
                if (snoozedTo is { } until)
                {
                    followUp.Snooze(now.AddHours(until), "asked to wait", coordinator.UserId, longAgo);
                }

                planned.Add(followUp);
            }

            return survivorCase;
        }

        var ordinaryLate = await CaseWithAsync((-30, false, null));
        var ordinaryJustDue = await CaseWithAsync((-5, false, null), (-2, false, null));
        var urgentJustDue = await CaseWithAsync((-5, true, null), (48, false, null));
        var urgentNotYet = await CaseWithAsync((5, true, null), (-3, false, null));
        var urgentSnoozedPast = await CaseWithAsync((-200, true, -2));
        var ordinarySnoozedPast = await CaseWithAsync((-200, false, -2));
        var ordinarySnoozedLongPast = await CaseWithAsync((-200, false, -26), (-1, true, 3));
        await _world.NewIntakeAsync("ML");
        await using (var db = _world.Database.NewContext())
        {
            db.AddRange(planned);
            await db.SaveChangesAsync();
        }

        var shown = (await _world.Queues.GetPageAsync(
            coordinator, new QueueRequest(QueueKind.AllCases, new QueueFilter { CountryCode = "ML", OverdueOnly = true }, PageSize: 100))).Rows.Select(r => r.Number).Order();

        var byFollowUps = planned.Where(f => FollowUpRules.Overdue.IsMetBy(f, now)).Select(f => f.CaseId).ToHashSet();
        var overdue = new[] { ordinaryLate, urgentJustDue, urgentSnoozedPast, ordinarySnoozedLongPast };
        Assert.Equal(overdue.Select(c => c.Id).Order(), byFollowUps.Order());
        Assert.Equal(overdue.Select(c => c.Number).Order(), shown);
        Assert.DoesNotContain(ordinaryJustDue.Number, shown);
        Assert.DoesNotContain(urgentNotYet.Number, shown);
        Assert.DoesNotContain(ordinarySnoozedPast.Number, shown);
    }

    [Fact]
    public async Task A_search_starting_with_a_country_code_finds_what_a_substring_search_finds()
    {
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var so = new[] { await _world.NewIntakeAsync("SO"), await _world.NewIntakeAsync("SO") };
        await _world.NewIntakeAsync("SS");
        var year = so[0].Number[3..7];

        async Task<List<string>> SearchAsync(string text) =>
            (await _world.Queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, new QueueFilter { NumberSearch = text }, PageSize: 100)))
            .Rows.Select(r => r.Number).Order().ToList();

        var byPrefix = await SearchAsync($" so-{year}");
        var bySubstring = await SearchAsync($"O-{year}");

        Assert.Equal(so.Select(c => c.Number).Order(), byPrefix);
        Assert.Equal(byPrefix, bySubstring.Where(n => n.StartsWith("SO-", StringComparison.Ordinal)));
        Assert.Equal([so[1].Number], await SearchAsync(so[1].Number));
        Assert.Empty(await SearchAsync("SOX"));
        Assert.Equal("CF-2025", QueueService.PrefixUpperBound("CF-2024"));
    }

    private static void AssertClose(DateTime expected, DateTime? actual) =>
        Assert.InRange(actual!.Value, expected.AddMilliseconds(-1), expected.AddMilliseconds(1));
}
