using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Consents;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Features.Dashboard;
using Portal.Features.Queues;
using Portal.Infrastructure.Live;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Dashboard;

/// <summary>
/// The shared cache keeps each view's referral rows and, after a referral's change, reads only its case's referrals
/// again: the figures must then be exactly what a full read gives. Each test changes referrals, so each has a story
/// database of its own (real SQLite file).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class LiveReferralRowsTests : IAsyncLifetime
{
    private static readonly DashboardFilter Haiti = new(DashboardData.Country);

    private readonly DashboardData _data = new();
    private readonly InProcessLiveEvents _events = new(NullLogger<InProcessLiveEvents>.Instance);
    private readonly FakeTimeProvider _cacheClock = new(DashboardData.Now);
    private readonly LiveViews _views;

    public LiveReferralRowsTests() => _views = new LiveViews(_events, _cacheClock);

    public Task InitializeAsync() => _data.InitializeAsync();

    public async Task DisposeAsync()
    {
        _views.Dispose();
        await _data.DisposeAsync();
    }

    private DashboardFiguresCache NewCache() => new(_views.Cache, _events, _cacheClock);

    [Fact]
    public async Task Referral_changes_read_only_their_cases_again_and_give_what_a_full_read_gives()
    {
        using var cache = NewCache();
        var service = new DashboardService(_data.Database.Contexts, _data.Clock, _data.World.AuditFor(_data.Coordinator), _data.Policy, _data.World.ScopeFor(_data.Coordinator), cache);
        var before = await service.GetAsync(_data.Coordinator, Haiti);

        // E's unanswered psychosocial referral is accepted, and D (no referral so far) sends its first.
        var e = await CaseAsync("E");
        var d = await CaseAsync("D");
        await ChangeReferralAsync(e, ReferralType.Psychosocial, r => r.Accept(DashboardData.Advocate, _data.Clock));
        await SendFirstReferralAsync(d, ReferralType.Legal);
        var after = await service.GetAsync(_data.Coordinator, Haiti);

        var fullRead = await _data.DashboardFor(_data.Coordinator).GetAsync(_data.Coordinator, Haiti);
        Assert.Equal(Describe(fullRead), Describe(after));
        Assert.NotEqual(Describe(before), Describe(after));
        Assert.Equal(2, after.ReferralToAcceptance.Basis.Value); // Medical in March and Psychosocial today, both E's
        Assert.Equal(1, after.ReferralToAcceptance.Basis.Cases);
        var sentPerCase = after.ReferralTypes.Where(t => t.Total > 0).ToDictionary(t => t.Type, t => (t.Total, t.AllOfType.Cases));
        Assert.Equal([ReferralType.Medical, ReferralType.Psychosocial, ReferralType.Legal], sentPerCase.Keys.Order());
        Assert.All(sentPerCase.Values, v => Assert.Equal((1, 1), v)); // D's Legal joins the period
        Assert.Equal(1, cache.ComputationsOf(DashboardPart.Referrals)); // one full read, at the start
        Assert.Equal(1, cache.Referrals.CaseReads); // both cases, in one read, by the request after the events
    }

    [Fact]
    public async Task An_event_without_its_case_reads_every_referral_again_and_one_naming_a_case_reads_that_case()
    {
        using var cache = NewCache();
        var service = new DashboardService(_data.Database.Contexts, _data.Clock, _data.World.AuditFor(_data.Coordinator), _data.Policy, _data.World.ScopeFor(_data.Coordinator), cache);
        await service.GetAsync(_data.Coordinator, Haiti);

        _events.Deliver(new LiveEvent(LiveEventKind.ReferralChanged, DashboardData.Country));
        await service.GetAsync(_data.Coordinator, Haiti);
        Assert.Equal(2, cache.ComputationsOf(DashboardPart.Referrals));

        foreach (var kind in new[] { LiveEventKind.CaseClaimed, (LiveEventKind)999 })
        {
            _events.Deliver(new LiveEvent(kind, DashboardData.Country, Guid.NewGuid()));
            await service.GetAsync(_data.Coordinator, Haiti);
        }

        Assert.Equal(2, cache.ComputationsOf(DashboardPart.Referrals));
        Assert.Equal(2, cache.Referrals.CaseReads);

        _events.Deliver(new LiveEvent(LiveEventKind.NotificationCreated, DashboardData.Country, Guid.NewGuid(), RecipientUserId: "someone"));
        await service.GetAsync(_data.Coordinator, Haiti);
        Assert.Equal(2, cache.Referrals.CaseReads);
    }

    [Fact]
    public async Task A_referral_changed_under_an_event_of_another_kind_is_read_again_with_its_case()
    {
        using var cache = NewCache();
        var service = new DashboardService(_data.Database.Contexts, _data.Clock, _data.World.AuditFor(_data.Coordinator), _data.Policy, _data.World.ScopeFor(_data.Coordinator), cache);
        await service.GetAsync(_data.Coordinator, Haiti);

        // Say closing a case withdrew its referrals and announced only the status: the rows must follow all the same.
        var e = await CaseAsync("E");
        await using (var db = _data.Database.NewContext())
        {
            var referral = await db.Referrals.SingleAsync(r => r.CaseId == e.Id && r.Type == ReferralType.Psychosocial);
            referral.Accept(DashboardData.Advocate, _data.Clock);
            await db.SaveChangesAsync();
        }

        _events.Deliver(new LiveEvent(LiveEventKind.CaseStatusChanged, DashboardData.Country, e.Id));
        var after = await service.GetAsync(_data.Coordinator, Haiti);

        Assert.Equal(Describe(await _data.DashboardFor(_data.Coordinator).GetAsync(_data.Coordinator, Haiti)), Describe(after));
        Assert.Equal(2, after.ReferralToAcceptance.Basis.Value);
        Assert.Equal(1, cache.ComputationsOf(DashboardPart.Referrals));
    }

    [Fact]
    public async Task Old_rows_are_read_again_in_the_background_and_a_change_made_meanwhile_is_not_lost()
    {
        var rows = new LiveReferralRows(_cacheClock);
        var backgroundHasRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseBackground = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fullReads = 0;
        var reads = new ReferralReads(
            ReadAll: async () =>
            {
                var read = await ReadHaitiAsync();
                if (Interlocked.Increment(ref fullReads) == 2)
                {
                    // The background read has its rows from before the change below, and holds them until told.
                    backgroundHasRead.SetResult();
                    await releaseBackground.Task;
                }

                return read;
            },
            RefreshCases: async (held, cases) =>
            {
                await using var db = await _data.Database.Contexts.CreateDbContextAsync();
                return await held.RefreshCasesAsync(db, SentInHaiti(db), cases, CancellationToken.None);
            },
            Summarize: held => held.Summarize(new QueueFilter()));
        var first = await rows.GetAsync("view", reads);

        _cacheClock.Advance(LiveReferralRows.MaxAge + TimeSpan.FromSeconds(1));
        var whileReading = await rows.GetAsync("view", reads);
        Assert.Same(first, whileReading); // answered from the rows held, not after the full read
        await backgroundHasRead.Task;

        var e = await CaseAsync("E");
        await ChangeReferralAsync(e, ReferralType.Psychosocial, r => r.Accept(DashboardData.Advocate, _data.Clock), rows);
        var changed = await rows.GetAsync("view", reads); // the held rows, patched
        Assert.Equal(2, changed.ToAcceptance.Basis.Value);

        releaseBackground.SetResult();
        await rows.BackgroundRead;
        var afterBackground = await rows.GetAsync("view", reads);

        Assert.Equal(2, rows.FullReads);
        Assert.Equal(2, afterBackground.ToAcceptance.Basis.Value); // the background's older rows, with E read again on top
        Assert.Equal(Describe(changed), Describe(afterBackground));
        Assert.Equal(2, rows.CaseReads);
    }

    private async Task<ReferralRows> ReadHaitiAsync()
    {
        await using var db = await _data.Database.Contexts.CreateDbContextAsync();
        return await ReferralRows.ReadAsync(db, SentInHaiti(db), CancellationToken.None);
    }

    private static IQueryable<Referral> SentInHaiti(DbContext db)
    {
        var (from, until) = (new DateTime(2024, 6, 17, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, 6, 17, 0, 0, 0, DateTimeKind.Utc));
        return db.Set<Referral>().AsNoTracking().Where(r => r.CountryCode == DashboardData.Country && r.SentAtUtc >= from && r.SentAtUtc < until);
    }

    private async Task<Case> CaseAsync(string letter)
    {
        await using var db = _data.Database.NewContext();
        var number = _data.Numbers[letter];
        return await db.Cases.AsNoTracking().SingleAsync(c => c.Number == number);
    }

    /// <summary>Changes the case's referral of that type as ReferralService would: saved, then its event.</summary>
    private async Task ChangeReferralAsync(Case survivorCase, ReferralType type, Action<Referral> change, LiveReferralRows? observer = null)
    {
        await using var db = _data.Database.NewContext();
        var referral = await db.Referrals.SingleAsync(r => r.CaseId == survivorCase.Id && r.Type == type);
        change(referral);
        await db.SaveChangesAsync();
        Publish(new LiveEvent(LiveEventKind.ReferralChanged, referral.CountryCode, referral.CaseId, referral.Id), observer);
    }

    private async Task SendFirstReferralAsync(Case survivorCase, ReferralType type)
    {
        await using var db = _data.Database.NewContext();
        var tracked = await db.Cases.SingleAsync(c => c.Id == survivorCase.Id);
        var provider = await db.ServiceProviders.SingleAsync(p => p.CountryCode == DashboardData.Country);
        tracked.RecordConsent(ConsentGiver.Person, true, true, [provider.Id], SharedField.None, null, DashboardData.Advocate, _data.Clock);
        var referral = Referral.Create(tracked, type, provider, "Legal advice", ReferralUrgency.Routine, DashboardData.Advocate, _data.Clock);
        referral.Send(tracked, provider, ReminderPolicy.Default, DashboardData.Advocate, _data.Clock);
        db.Add(referral);
        await db.SaveChangesAsync();
        Publish(new LiveEvent(LiveEventKind.ReferralChanged, referral.CountryCode, referral.CaseId, referral.Id), null);
    }

    private void Publish(LiveEvent e, LiveReferralRows? observer)
    {
        if (observer is null)
        {
            _events.Deliver(e);
        }
        else
        {
            observer.Observe(e);
        }
    }

    internal static string Describe(DashboardFigures figures) =>
        Describe(new ReferralFigures(figures.ReferralTypes.ToList(), figures.ReferralCells.ToList(), figures.ReferralToAcceptance));

    private static string Describe(ReferralFigures figures) =>
        string.Join(
            "; ",
            figures.Types.Select(t => $"{t.Type}: {t.Total} sent {t.Sent} completed {t.Completed} cases {t.AllOfType.Cases} link {t.AllOfType.Link}")
                .Concat(figures.Cells.Select(c => $"{c.Type}/{c.Status}: {c.Figure.Value} in {c.Figure.Cases} cases, {c.Figure.Link}"))
                .Append($"acceptance median {figures.ToAcceptance.Median} of {figures.ToAcceptance.Basis.Value} in {figures.ToAcceptance.Basis.Cases} cases"));
}
