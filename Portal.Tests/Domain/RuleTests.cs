using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Tests.TestSupport;
using Provider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Tests.Domain;

/// <summary>
/// Each rule is one expression that queries and in-memory checks both use. Here the database (SQLite, or PostgreSQL when
/// the run selects it) evaluates it over records at and around its boundaries, the compiled rule evaluates it over the
/// same records in memory, and the two must pick exactly the same ones, which must also be the ones the rule means.
/// </summary>
public sealed class RuleTests : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 6, 10, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly ReminderPolicy Policy = new() { WorkingHours = ReminderPolicy.Default.WorkingHours, PaternityClaimStaleAfter = TimeSpan.FromDays(30) };

    private readonly TestDatabase _database;
    private readonly CaseWorld _world;
    private Guid _caseId;

    /// <summary>Follow-ups by a label saying what they are: state, urgency and where their due moment lies.</summary>
    private readonly Dictionary<string, Guid> _followUps = [];
    private readonly Dictionary<string, Guid> _referrals = [];
    private readonly Dictionary<string, Guid> _claims = [];

    public RuleTests(TestDatabase database)
    {
        _database = database;
        _world = new CaseWorld(database);
    }

    public async Task InitializeAsync()
    {
        var intake = await _world.NewIntakeAsync("CD");
        _caseId = intake.Id;
        await AddFollowUpsAsync();
        await AddReferralsAsync();
        await AddClaimsAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Open_follow_ups_are_the_open_and_snoozed_ones()
    {
        var open = await AgreeAsync(FollowUps, FollowUpRules.Open.Expression, FollowUpRules.Open.IsMetBy);

        Assert.All(open, f => Assert.Contains(f.Status, new[] { FollowUpStatus.Open, FollowUpStatus.Snoozed }));
        Assert.Equal(_followUps.Count(f => f.Key.StartsWith("open", StringComparison.Ordinal) || f.Key.StartsWith("snoozed", StringComparison.Ordinal)), open.Count);
    }

    [Fact]
    public async Task A_follow_up_is_overdue_at_once_when_urgent_and_a_day_after_it_fell_due_otherwise()
    {
        var overdue = Labels(await AgreeAsync(FollowUps, FollowUpRules.Overdue.For(Now), f => FollowUpRules.Overdue.IsMetBy(f, Now)), _followUps);

        foreach (var state in new[] { "open", "snoozed" })
        {
            Assert.Contains($"{state} urgent due now", overdue);
            Assert.DoesNotContain($"{state} urgent due now+1s", overdue);
            Assert.Contains($"{state} routine due now-1d", overdue);
            Assert.DoesNotContain($"{state} routine due now-1d+1s", overdue);
            Assert.DoesNotContain($"{state} routine due now", overdue);
        }

        Assert.DoesNotContain(overdue, label => label.StartsWith("done", StringComparison.Ordinal) || label.StartsWith("cancelled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_follow_up_is_due_before_a_moment_when_still_to_do_and_its_effective_due_moment_is_earlier()
    {
        var before = Labels(await AgreeAsync(FollowUps, FollowUpRules.DueBefore.For(Now), f => FollowUpRules.DueBefore.IsMetBy(f, Now)), _followUps);

        Assert.Contains("open routine due now-1s", before);
        Assert.Contains("snoozed urgent due now-3d", before);
        Assert.DoesNotContain("open routine due now", before);
        Assert.DoesNotContain("done routine due now-3d", before);
    }

    [Fact]
    public async Task A_follow_up_is_due_within_a_day_when_its_effective_due_moment_falls_in_it()
    {
        var day = Clock.UtcDayOf(Now);
        var today = Labels(await AgreeAsync(FollowUps, FollowUpRules.DueWithin.For(day), f => FollowUpRules.DueWithin.IsMetBy(f, day)), _followUps);

        Assert.Contains("open routine due now", today);
        Assert.Contains("snoozed urgent due now+1s", today);
        Assert.DoesNotContain("open routine due now-1d", today);
        Assert.DoesNotContain("open routine due now+1d", today);
        Assert.DoesNotContain("cancelled urgent due now", today);
    }

    [Fact]
    public async Task A_referral_is_open_until_it_is_declined_completed_or_withdrawn()
    {
        var open = Labels(await AgreeAsync(Referrals, ReferralRules.Open.Expression, ReferralRules.Open.IsMetBy), _referrals);

        Assert.Equal(["accepted", "draft", "sent due now", "sent due now+1s", "sent due now-1s", "sent long ago"], open.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_referral_is_overdue_for_acceptance_once_its_deadline_has_passed_without_an_answer()
    {
        var overdue = Labels(await AgreeAsync(Referrals, ReferralRules.OverdueForAcceptance.For(Now), r => ReferralRules.OverdueForAcceptance.IsMetBy(r, Now)), _referrals);

        Assert.Equal(["sent due now-1s", "sent long ago"], overdue.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_claim_is_final_in_the_statuses_it_never_leaves_and_under_way_in_the_others()
    {
        var final = await AgreeAsync(Claims, PaternityClaimRules.Final.Expression, PaternityClaimRules.Final.IsMetBy);
        var underWay = await AgreeAsync(Claims, PaternityClaimRules.UnderWay.Expression, PaternityClaimRules.UnderWay.IsMetBy);

        Assert.Equal(
            [PaternityClaimStatus.ChildSupportOrdered, PaternityClaimStatus.NotEstablished, PaternityClaimStatus.ClosedUnresolved],
            final.Select(p => p.Status).Distinct().Order());
        Assert.All(final, p => Assert.Empty(PaternityClaim.AllowedNext(p.Status)));
        Assert.All(underWay, p => Assert.NotEmpty(PaternityClaim.AllowedNext(p.Status)));
        Assert.Equal(_claims.Count, final.Count + underWay.Count);
    }

    [Fact]
    public async Task A_claim_is_stale_when_under_way_and_without_movement_for_the_policys_time()
    {
        var stale = Labels(await AgreeAsync(Claims, Policy.StaleClaims(Now), p => Policy.IsStale(p, Now)), _claims);

        Assert.Contains("moved 30d-1s ago", stale);
        Assert.Contains("moved 30d ago", stale);
        Assert.DoesNotContain("moved 30d+1s ago", stale);
        Assert.DoesNotContain("moved 1d ago", stale);
        Assert.Contains($"{PaternityClaimStatus.UnderReviewByMemberState}", stale);
        Assert.DoesNotContain($"{PaternityClaimStatus.ChildSupportOrdered}", stale);
        Assert.DoesNotContain($"{PaternityClaimStatus.ClosedUnresolved}", stale);
    }

    /// <summary>The records the database picks with <paramref name="query"/>, after checking that memory picks the same ones.</summary>
    private async Task<List<T>> AgreeAsync<T>(Func<PortalDbContextView, IQueryable<T>> records, System.Linq.Expressions.Expression<Func<T, bool>> query, Func<T, bool> inMemory)
        where T : VersionedEntity
    {
        await using var db = _database.NewContext();
        var view = new PortalDbContextView(db, _caseId);
        var all = await records(view).AsNoTracking().ToListAsync();
        var fromDatabase = await records(view).AsNoTracking().Where(query).ToListAsync();
        var fromMemory = all.Where(inMemory).ToList();

        Assert.Equal(Ids(fromMemory), Ids(fromDatabase));
        Assert.NotEmpty(fromDatabase);
        Assert.NotEqual(all.Count, fromDatabase.Count);
        return fromDatabase;
    }

    private static List<Guid> Ids<T>(IEnumerable<T> records) => [.. records.Select(IdOf).Order()];

    private static Guid IdOf<T>(T record) => (Guid)typeof(T).GetProperty("Id")!.GetValue(record)!;

    // The checks set here by hand; sending the referrals below planned others on the same case.
    private static IQueryable<FollowUp> FollowUps(PortalDbContextView view) => view.Db.FollowUps.Where(f => f.CaseId == view.CaseId && f.ReferralId == null);

    private static IQueryable<Referral> Referrals(PortalDbContextView view) => view.Db.Referrals.Where(r => r.CaseId == view.CaseId);

    private static IQueryable<PaternityClaim> Claims(PortalDbContextView view) => view.Db.PaternityClaims.Where(p => p.CaseId == view.CaseId);

    private static List<string> Labels<T>(IEnumerable<T> records, Dictionary<string, Guid> labels)
    {
        var byId = labels.ToDictionary(l => l.Value, l => l.Key);
        return [.. records.Select(r => byId[IdOf(r)])];
    }

    private async Task AddFollowUpsAsync()
    {
        var offsets = new Dictionary<string, TimeSpan>
        {
            ["now-3d"] = -TimeSpan.FromDays(3),
            ["now-1d"] = -TimeSpan.FromDays(1),
            ["now-1d+1s"] = -TimeSpan.FromDays(1) + Second,
            ["now-1s"] = -Second,
            ["now"] = TimeSpan.Zero,
            ["now+1s"] = Second,
            ["now+1d"] = TimeSpan.FromDays(1),
        };
        var clock = new FakeTimeProvider(Now.AddDays(-10));
        await using var db = _database.NewContext();
        foreach (var state in new[] { "open", "snoozed", "done", "cancelled" })
        {
            foreach (var urgent in new[] { true, false })
            {
                foreach (var (name, offset) in offsets)
                {
                    // A snoozed check's planned date lies days before the end of its snooze, which is what counts.
                    var due = state == "snoozed" ? Now.AddDays(-5) : Now + offset;
                    var followUp = FollowUp.CreateManual(_caseId, null, FollowUpKind.General, "Check", due, urgent);
                    switch (state)
                    {
                        case "snoozed": followUp.Snooze(Now + offset, "Asked to wait", "tester", clock); break;
                        case "done": followUp.Complete("tester", clock); break;
                        case "cancelled": followUp.Cancel("No longer needed", "tester", clock); break;
                    }

                    db.FollowUps.Add(followUp);
                    _followUps[$"{state} {(urgent ? "urgent" : "routine")} due {name}"] = followUp.Id;
                }
            }
        }

        await db.SaveChangesAsync();
    }

    private async Task AddReferralsAsync()
    {
        await using var db = _database.NewContext();
        var provider = Provider.Create("CD", $"Rules clinic {Guid.NewGuid():N}", Enum.GetValues<ReferralType>(), ["fr"], null);
        db.ServiceProviders.Add(provider);
        var survivorCase = await db.Cases.SingleAsync(c => c.Id == _caseId);
        survivorCase.RecordConsent(Portal.Domain.Consents.ConsentGiver.Person, true, false, [provider.Id], Portal.Domain.Consents.SharedField.None, null, "tester", new FakeTimeProvider(Now.AddDays(-60)));
        await db.SaveChangesAsync();

        // Emergency referrals must be accepted within four calendar hours of sending.
        var within = ReminderPolicy.Default.EmergencyAcceptanceWithin;
        Referral Sent(string label, DateTime sentAt, ReferralUrgency urgency = ReferralUrgency.Emergency)
        {
            var clock = new FakeTimeProvider(sentAt);
            var referral = Referral.Create(survivorCase, ReferralType.Medical, provider, "Care", urgency, "tester", clock);
            db.FollowUps.AddRange(referral.Send(survivorCase, provider, ReminderPolicy.Default, "tester", clock));
            db.Referrals.Add(referral);
            _referrals[label] = referral.Id;
            return referral;
        }

        var draft = Referral.Create(survivorCase, ReferralType.Medical, provider, "Care", ReferralUrgency.Routine, "tester", new FakeTimeProvider(Now.AddDays(-40)));
        db.Referrals.Add(draft);
        _referrals["draft"] = draft.Id;
        Sent("sent due now-1s", Now - within - Second);
        Sent("sent due now", Now - within);
        Sent("sent due now+1s", Now - within + Second);
        Sent("sent long ago", Now.AddDays(-30), ReferralUrgency.Routine);
        var later = new FakeTimeProvider(Now.AddDays(-29));
        Sent("accepted", Now.AddDays(-30), ReferralUrgency.Routine).Accept("tester", later);
        Sent("declined", Now.AddDays(-30), ReferralUrgency.Routine).Decline(ReferralDeclineReason.NoCapacity, "No capacity", "tester", later);
        var completed = Sent("completed", Now.AddDays(-30), ReferralUrgency.Routine);
        completed.Accept("tester", later);
        completed.Complete(ReferralOutcome.ServiceProvided, "tester", later);
        Sent("withdrawn", Now.AddDays(-30), ReferralUrgency.Routine).Withdraw("Moved away", "tester", later);
        await db.SaveChangesAsync();
    }

    private async Task AddClaimsAsync()
    {
        await using var db = _database.NewContext();
        var longAgo = new FakeTimeProvider(Now.AddDays(-200));
        var child = Child.Register(_caseId, "Child A", null, 2024, Sex.Female, null, longAgo);
        db.Children.Add(child);

        PaternityClaim Opened(string label, DateTime at)
        {
            var claim = PaternityClaim.Open(child, "NPL", [], "tester", new FakeTimeProvider(at));
            db.PaternityClaims.Add(claim);
            _claims[label] = claim.Id;
            return claim;
        }

        var threshold = Policy.PaternityClaimStaleAfter;
        Opened("moved 30d-1s ago", Now - threshold - Second);
        Opened("moved 30d ago", Now - threshold);
        Opened("moved 30d+1s ago", Now - threshold + Second);
        Opened("opened long ago", Now.AddDays(-100)).MoveTo(PaternityClaimStatus.DnaSampleRequested, "tester", new FakeTimeProvider(Now.AddDays(-1)));
        _claims["moved 1d ago"] = _claims["opened long ago"];
        _claims.Remove("opened long ago");

        // One claim in every status, each last moved long ago: the final ones are never stale.
        var paths = new Dictionary<PaternityClaimStatus, PaternityClaimStatus[]>
        {
            [PaternityClaimStatus.DnaSampleCollected] = [PaternityClaimStatus.DnaSampleRequested, PaternityClaimStatus.DnaSampleCollected],
            [PaternityClaimStatus.UnderReviewByMemberState] = [PaternityClaimStatus.SubmittedToMemberState, PaternityClaimStatus.UnderReviewByMemberState],
            [PaternityClaimStatus.ChildSupportOrdered] =
                [PaternityClaimStatus.SubmittedToMemberState, PaternityClaimStatus.UnderReviewByMemberState, PaternityClaimStatus.PaternityEstablished, PaternityClaimStatus.ChildSupportOrdered],
            [PaternityClaimStatus.NotEstablished] = [PaternityClaimStatus.SubmittedToMemberState, PaternityClaimStatus.UnderReviewByMemberState, PaternityClaimStatus.NotEstablished],
            [PaternityClaimStatus.ClosedUnresolved] = [PaternityClaimStatus.ClosedUnresolved],
        };
        foreach (var (status, path) in paths)
        {
            var claim = Opened(status.ToString(), Now.AddDays(-200));
            foreach (var step in path)
            {
                claim.MoveTo(step, "tester", longAgo, step == PaternityClaimStatus.ClosedUnresolved ? "No answer" : null);
            }
        }

        await db.SaveChangesAsync();
    }

    /// <summary>The records of this test's case in one unit of work.</summary>
    private sealed record PortalDbContextView(Portal.Infrastructure.Data.PortalDbContext Db, Guid CaseId);
}
