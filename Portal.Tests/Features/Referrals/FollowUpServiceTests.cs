using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Features.Cases;
using Portal.Features.Referrals;
using Portal.Features.Shared;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Referrals;

public sealed class FollowUpServiceTests : IClassFixture<TestDatabase>
{
    /// <summary>Monday 1 June 2026, 12:00 UTC: Haiti is on summer time (UTC-4), Bangui on UTC+1.</summary>
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ReferralWorld _world;
    private readonly FakeTimeProvider _clock = new(Now);

    public FollowUpServiceTests(TestDatabase database) => _world = new ReferralWorld(database);

    [Fact]
    public async Task A_check_set_by_hand_is_entered_in_the_cases_local_time_and_saved_in_UTC()
    {
        var (haiti, advocate) = await _world.ClaimedCaseAsync("HT");
        var followUps = _world.FollowUpsFor(advocate, _clock);

        var added = await followUps.AddAsync(advocate, haiti.Id, new FollowUpInput(FollowUpKind.General, "Call about school fees", null, new DateTime(2026, 6, 10, 10, 0, 0), IsUrgent: false));

        Assert.True(added.Succeeded);
        var saved = await FollowUpAsync(added.Id!.Value);
        Assert.Equal(new DateTime(2026, 6, 10, 14, 0, 0, DateTimeKind.Utc), saved.DueAtUtc);
        Assert.Equal((FollowUpSource.Manual, FollowUpStatus.Open, "Call about school fees", haiti.Id), (saved.Source, saved.Status, saved.Title, saved.CaseId));
        Assert.Equal(1, await _world.AuditCountAsync(saved.Id.ToString(), AuditAction.Created, advocate.UserId));
    }

    [Fact]
    public async Task A_time_typed_by_a_coordinator_in_another_zone_is_read_and_checked_in_the_cases_local_time_the_field_names()
    {
        // 12:00 UTC: 13:00 in Bangui, 08:00 in New York, where this coordinator reads times.
        var (survivorCase, _) = await _world.ClaimedCaseAsync("CF");
        var staff = await _world.Cases.StaffAsync(Roles.Coordinator);
        var coordinator = new UserScope(staff.UserId, staff.UserName, staff.DisplayName, staff.Roles, staff.Countries, staff.SessionId, "America/New_York");
        var followUps = _world.FollowUpsFor(coordinator, _clock);

        var lateAfternoonInBangui = await followUps.AddAsync(coordinator, survivorCase.Id, new FollowUpInput(FollowUpKind.General, "Call before the office closes", null, new DateTime(2026, 6, 1, 17, 0, 0), IsUrgent: false));
        var lunchtimeInBangui = await followUps.AddAsync(coordinator, survivorCase.Id, new FollowUpInput(FollowUpKind.General, "Call at lunchtime", null, new DateTime(2026, 6, 1, 12, 30, 0), IsUrgent: false));

        Assert.True(lateAfternoonInBangui.Succeeded);
        Assert.Equal(new DateTime(2026, 6, 1, 16, 0, 0, DateTimeKind.Utc), (await FollowUpAsync(lateAfternoonInBangui.Id!.Value)).DueAtUtc);
        Assert.Equal(ReferralErrors.DueInPast, lunchtimeInBangui.For("Due")!.Code); // past in Bangui, though 12:30 is still ahead in New York
    }

    [Fact]
    public async Task A_check_in_the_past_without_a_title_or_for_another_cases_referral_is_refused_field_by_field_and_nothing_is_saved()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var (otherCase, otherAdvocate) = await _world.ClaimedCaseAsync("CF");
        var provider = await _world.ProviderAsync("CF", "Health Centre", ReferralType.Medical);
        var othersReferral = await _world.DraftAsync(otherAdvocate, otherCase.Id, provider, ReferralType.Medical);
        var followUps = _world.FollowUpsFor(advocate, _clock);

        var past = await followUps.AddAsync(advocate, survivorCase.Id, new FollowUpInput(FollowUpKind.MedicalCheck, null, null, new DateTime(2026, 6, 1, 12, 0, 0), false));
        var untitled = await followUps.AddAsync(advocate, survivorCase.Id, new FollowUpInput(FollowUpKind.General, " ", null, new DateTime(2026, 6, 2, 9, 0, 0), false));
        var foreignReferral = await followUps.AddAsync(advocate, survivorCase.Id, new FollowUpInput(FollowUpKind.MedicalCheck, null, othersReferral, new DateTime(2026, 6, 2, 9, 0, 0), false));
        var nothing = await followUps.AddAsync(advocate, survivorCase.Id, new FollowUpInput(null, null, null, null, false));

        Assert.Equal(ReferralErrors.DueInPast, past.For("Due")!.Code);
        Assert.Equal(ErrorCodes.Required, untitled.For("Title")!.Code);
        Assert.Equal(ReferralErrors.UnknownReferral, foreignReferral.For("Referral")!.Code);
        Assert.Equal(["Due", "Kind"], nothing.Fields.Keys.Order(StringComparer.Ordinal));
        await using var db = _world.Database.NewContext();
        Assert.False(await db.FollowUps.AnyAsync(f => f.CaseId == survivorCase.Id));
    }

    [Fact]
    public async Task Moving_a_check_needs_a_reason_which_is_kept_and_shown_in_the_timeline()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var followUps = _world.FollowUpsFor(advocate, _clock);
        var id = (await followUps.AddAsync(advocate, survivorCase.Id, new FollowUpInput(FollowUpKind.PsychosocialCheck, null, null, new DateTime(2026, 6, 3, 9, 0, 0), false))).Id!.Value;

        var noReason = await followUps.MoveAsync(advocate, await SeenAsync(id), new DateTime(2026, 6, 8, 9, 0, 0), "");
        var intoThePast = await followUps.MoveAsync(advocate, await SeenAsync(id), new DateTime(2026, 5, 30, 9, 0, 0), "She asked for an earlier date");
        var unchanged = await FollowUpAsync(id);
        var moved = await followUps.MoveAsync(advocate, await SeenAsync(id), new DateTime(2026, 6, 8, 9, 0, 0), "The counsellor is away that week");

        Assert.Equal(ErrorCodes.Required, noReason.For("Reason")!.Code);
        Assert.Equal(ReferralErrors.DueInPast, intoThePast.For("Due")!.Code);
        Assert.Equal(new DateTime(2026, 6, 3, 8, 0, 0, DateTimeKind.Utc), unchanged.DueAtUtc);
        Assert.Empty(unchanged.MovedHistory);
        Assert.True(moved.Succeeded);
        var stored = await FollowUpAsync(id);
        Assert.Equal(new DateTime(2026, 6, 8, 8, 0, 0, DateTimeKind.Utc), stored.DueAtUtc);
        var move = Assert.Single(stored.MovedHistory);
        Assert.Equal(("The counsellor is away that week", advocate.UserId, new DateTime(2026, 6, 3, 8, 0, 0, DateTimeKind.Utc)), (move.Reason, move.ByUserId, move.FromDueAtUtc));
        var timeline = await _world.Cases.CasesFor(advocate).GetTimelineAsync(advocate, survivorCase.Id);
        Assert.Contains(timeline!.Entries, t => t.Kind == TimelineKind.FollowUp && t.Text == "The counsellor is away that week");
    }

    [Fact]
    public async Task Snoozing_needs_a_reason_and_a_later_moment_cancelling_needs_a_reason_completing_does_not()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var followUps = _world.FollowUpsFor(advocate, _clock);
        async Task<Guid> AddAsync() => (await followUps.AddAsync(advocate, survivorCase.Id, new FollowUpInput(FollowUpKind.LegalCheck, null, null, new DateTime(2026, 6, 3, 9, 0, 0), false))).Id!.Value;
        var snoozed = await AddAsync();
        var cancelled = await AddAsync();
        var done = await AddAsync();

        var snoozeNoReason = await followUps.SnoozeAsync(advocate, await SeenAsync(snoozed), new DateTime(2026, 6, 5, 9, 0, 0), null);
        var snoozeNoDate = await followUps.SnoozeAsync(advocate, await SeenAsync(snoozed), null, "Waiting for the court date");
        var snooze = await followUps.SnoozeAsync(advocate, await SeenAsync(snoozed), new DateTime(2026, 6, 5, 9, 0, 0), "Waiting for the court date");
        var cancelNoReason = await followUps.CancelAsync(advocate, await SeenAsync(cancelled), "  ");
        var cancel = await followUps.CancelAsync(advocate, await SeenAsync(cancelled), "Duplicate of the policy check");
        var complete = await followUps.CompleteAsync(advocate, await SeenAsync(done), null);
        var completeAgain = await followUps.CompleteAsync(advocate, await SeenAsync(done), "again");

        Assert.Equal(ErrorCodes.Required, snoozeNoReason.For("Reason")!.Code);
        Assert.Equal(ErrorCodes.Required, snoozeNoDate.For("Until")!.Code);
        Assert.Equal(ErrorCodes.Required, cancelNoReason.For("Reason")!.Code);
        Assert.True(snooze.Succeeded && cancel.Succeeded && complete.Succeeded);
        Assert.Equal(ErrorCodes.FollowUpInvalidTransition, completeAgain.Code);
        var s = await FollowUpAsync(snoozed);
        Assert.Equal((FollowUpStatus.Snoozed, new DateTime(2026, 6, 5, 8, 0, 0, DateTimeKind.Utc), "Waiting for the court date"), (s.Status, s.EffectiveDueAtUtc, s.SnoozeReason));
        Assert.Equal((FollowUpStatus.Cancelled, "Duplicate of the policy check"), ((await FollowUpAsync(cancelled)).Status, (await FollowUpAsync(cancelled)).CancelReason));
        var d = await FollowUpAsync(done);
        Assert.Equal((FollowUpStatus.Done, advocate.UserId), (d.Status, d.DoneBy));
    }

    [Fact]
    public async Task Checks_of_a_case_out_of_scope_are_not_found_and_the_attempt_is_audited()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var id = (await _world.FollowUpsFor(advocate, _clock).AddAsync(advocate, survivorCase.Id, new FollowUpInput(FollowUpKind.MedicalCheck, null, null, new DateTime(2026, 6, 3, 9, 0, 0), false))).Id!.Value;
        var outsider = await _world.Cases.StaffAsync(Roles.Advocate, "SS");
        var followUps = _world.FollowUpsFor(outsider, _clock);

        var added = await followUps.AddAsync(outsider, survivorCase.Id, new FollowUpInput(FollowUpKind.MedicalCheck, null, null, new DateTime(2026, 6, 3, 9, 0, 0), false));
        var completed = await followUps.CompleteAsync(outsider, await SeenAsync(id), null);
        var moved = await followUps.MoveAsync(outsider, await SeenAsync(id), new DateTime(2026, 6, 9, 9, 0, 0), "Mine now");

        Assert.Equal(CommandOutcome.NotFound, added.Outcome);
        Assert.Equal(CommandOutcome.NotFound, completed.Outcome);
        Assert.Equal(CommandOutcome.NotFound, moved.Outcome);
        Assert.Equal(1, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.AccessDenied, outsider.UserId));
        Assert.Equal(2, await _world.AuditCountAsync(id.ToString(), AuditAction.AccessDenied, outsider.UserId));
        Assert.Equal(FollowUpStatus.Open, (await FollowUpAsync(id)).Status);
    }

    [Fact]
    public async Task The_checks_of_a_closed_case_cannot_be_changed()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        var id = (await _world.FollowUpsFor(advocate, _clock).AddAsync(advocate, survivorCase.Id, new FollowUpInput(FollowUpKind.MedicalCheck, null, null, new DateTime(2026, 6, 3, 9, 0, 0), false))).Id!.Value;
        await using (var db = _world.Database.NewContext())
        {
            var stored = await db.Cases.SingleAsync(c => c.Id == survivorCase.Id);
            stored.RequestClosure(CaseClosureReason.AssistanceCompleted, null, OpenWork.Of(stored.Id, [], [], [], null), advocate.UserId, TimeProvider.System);
            stored.ApproveClosure(coordinator.UserId, null, OpenWork.Of(stored.Id, [], [], [], null), TimeProvider.System);
            await db.SaveChangesAsync();
        }

        var result = await _world.FollowUpsFor(advocate, _clock).CompleteAsync(advocate, await SeenAsync(id), null);

        Assert.Equal((CommandOutcome.Refused, ErrorCodes.CaseClosed), (result.Outcome, result.Code));
        Assert.Equal(FollowUpStatus.Open, (await FollowUpAsync(id)).Status);
    }

    [Fact]
    public async Task Of_a_completion_and_a_snooze_at_once_one_wins_and_the_check_is_never_half_of_each()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await _world.FollowUpsFor(advocate, _clock).AddAsync(advocate, survivorCase.Id, new FollowUpInput(FollowUpKind.MedicalCheck, null, null, new DateTime(2026, 6, 3, 9, 0, 0), false))).Id!.Value);
        }

        // Several checks, each completed and snoozed by two people at once who both saw it open, so that the race really happens.
        var seen = new Dictionary<Guid, Seen<FollowUp>>();
        foreach (var id in ids)
        {
            seen[id] = await SeenAsync(id);
        }

        var results = await Task.WhenAll(ids.SelectMany(id => Enumerable.Range(0, 6).Select(i => Task.Run(() => i % 2 == 0
            ? _world.FollowUpsFor(advocate, _clock).CompleteAsync(advocate, seen[id], "Seen at the clinic")
            : _world.FollowUpsFor(coordinator, _clock).SnoozeAsync(coordinator, seen[id], new DateTime(2026, 6, 20, 9, 0, 0), "Clinic closed")))));

        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains(r.Outcome, new[] { CommandOutcome.Conflict, CommandOutcome.Refused }));
        foreach (var id in ids)
        {
            Assert.Contains(results, r => r.Succeeded && r.Id == id);
            var stored = await FollowUpAsync(id);
            if (stored.Status == FollowUpStatus.Done)
            {
                Assert.Equal((null, null, "Seen at the clinic"), (stored.SnoozedUntilUtc, stored.SnoozeReason, stored.DoneNote));
            }
            else
            {
                Assert.Equal((FollowUpStatus.Snoozed, null, null), (stored.Status, stored.DoneAtUtc, stored.DoneNote));
            }
        }
    }

    private async Task<FollowUp> FollowUpAsync(Guid id)
    {
        await using var db = _world.Database.NewContext();
        return await db.FollowUps.AsNoTracking().SingleAsync(f => f.Id == id);
    }

    private Task<Seen<FollowUp>> SeenAsync(Guid id) => _world.Cases.SeenAsync<FollowUp>(id);
}
