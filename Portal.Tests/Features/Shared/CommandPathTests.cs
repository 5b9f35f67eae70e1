using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Features.Cases;
using Portal.Features.Dashboard;
using Portal.Features.Queues;
using Portal.Features.Referrals;
using Portal.Features.Reminders;
using Portal.Features.Shared;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Shared;

/// <summary>
/// The path every case command takes, seen through the commands that use it and through its own entry points: scope
/// (out of scope is "not found", audited), session, permission (forbidden, audited), version (a conflict names who, when
/// and what), the domain's refusal, the save, then audit and live events only once the change is committed.
/// </summary>
public sealed class CommandPathTests : IClassFixture<TestDatabase>
{
    private readonly ReferralWorld _world;

    public CommandPathTests(TestDatabase database) => _world = new ReferralWorld(database);

    private CaseWorld Cases => _world.Cases;

    [Fact]
    public async Task A_record_out_of_scope_is_not_found_and_the_attempt_is_audited_without_changing_it()
    {
        var (survivorCase, _) = await _world.ClaimedCaseAsync("CF");
        var outsider = await Cases.StaffAsync(Roles.Coordinator);
        var foreigner = await Cases.StaffAsync(Roles.Advocate, "HT");
        var seen = await Cases.SeenAsync<Case>(survivorCase.Id);

        var result = await Cases.CasesFor(foreigner).ChangeRiskAsync(foreigner, seen, RiskLevel.High);
        var missing = await Cases.CasesFor(foreigner).ChangeRiskAsync(foreigner, new Seen<Case>(Guid.NewGuid(), seen.Version!.Value), RiskLevel.High);

        Assert.Equal(CommandOutcome.NotFound, result.Outcome);
        Assert.Equal(CommandOutcome.NotFound, missing.Outcome);
        Assert.Equal(1, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.AccessDenied, foreigner.UserId));
        Assert.Equal(0, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.AccessDenied, outsider.UserId));
        Assert.Equal(RiskLevel.Medium, await RiskOfAsync(survivorCase.Id));
    }

    [Fact]
    public async Task A_user_who_may_not_is_forbidden_and_the_attempt_is_audited_with_what_they_tried()
    {
        var (survivorCase, _) = await _world.ClaimedCaseAsync("CF");
        var colleague = await Cases.StaffAsync(Roles.Advocate, "CF");

        var result = await Cases.CasesFor(colleague).ChangeRiskAsync(colleague, await Cases.SeenAsync<Case>(survivorCase.Id), RiskLevel.High);

        Assert.Equal(CommandOutcome.Forbidden, result.Outcome);
        await using var db = _world.Database.NewContext();
        var denied = await db.AuditEntries.SingleAsync(e => e.RecordId == survivorCase.Id.ToString() && e.Action == AuditAction.AccessDenied && e.UserId == colleague.UserId);
        Assert.Equal(("Case", nameof(CaseAction.ChangeRisk)), (denied.RecordType, denied.Detail));
        Assert.Equal(RiskLevel.Medium, await RiskOfAsync(survivorCase.Id));
    }

    [Fact]
    public async Task A_step_no_longer_open_on_a_page_showing_an_old_version_is_a_conflict_not_an_audited_refusal()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var coordinator = await Cases.StaffAsync(Roles.Coordinator);
        var other = await Cases.StaffAsync(Roles.Advocate, "CF");
        var shown = await Cases.SeenAsync<Case>(survivorCase.Id);
        Assert.True((await Cases.CasesFor(coordinator).ReassignAsync(coordinator, shown, other.UserId)).Succeeded);

        var result = await Cases.CasesFor(advocate).ChangeRiskAsync(advocate, shown, RiskLevel.High);

        Assert.Equal(CommandOutcome.Conflict, result.Outcome);
        Assert.Equal(coordinator.DisplayName, result.Conflict!.By);
        Assert.Equal(["Assignee"], result.Conflict.Changed);
        Assert.Equal(0, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.AccessDenied, advocate.UserId));
    }

    [Fact]
    public async Task A_change_on_an_old_version_is_a_conflict_naming_who_saved_when_and_what_they_changed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 9, 30, 0, TimeSpan.Zero));
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var coordinator = await Cases.StaffAsync(Roles.Coordinator);
        var shown = await Cases.SeenAsync<Case>(survivorCase.Id);
        Assert.True((await Cases.CasesFor(coordinator).ChangeRiskAsync(coordinator, shown, RiskLevel.High)).Succeeded);
        DateTime? savedAt;
        await using (var db = _world.Database.NewContext())
        {
            savedAt = (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == survivorCase.Id)).ChangedAtUtc;
        }

        var result = await Cases.CasesFor(advocate, clock).TransitionAsync(advocate, shown, CaseTransition.StartActionPlan, null);

        Assert.Equal(CommandOutcome.Conflict, result.Outcome);
        Assert.Equal(new Conflict("Case", coordinator.DisplayName, savedAt, result.Conflict!.Changed, advocate.TimeZoneId), result.Conflict);
        Assert.Equal(["Risk"], result.Conflict.Changed);
        Assert.Equal(CaseStatus.Assessment, await StatusOfAsync(survivorCase.Id));
    }

    [Fact]
    public async Task A_refusal_by_the_domain_saves_audits_and_announces_nothing()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var events = new List<LiveEvent>();
        using var observer = Cases.LiveEvents.Observe(e => Record(events, e, survivorCase.Id));
        var auditBefore = await AuditOfAsync(survivorCase.Id);

        var result = await Cases.CasesFor(advocate).TransitionAsync(advocate, await Cases.SeenAsync<Case>(survivorCase.Id), CaseTransition.RequestClosure, null, closureReason: null);

        Assert.Equal((CommandOutcome.Refused, ErrorCodes.ClosureReasonRequired), (result.Outcome, result.Code));
        Assert.Equal(CaseStatus.Assessment, await StatusOfAsync(survivorCase.Id));
        Assert.Equal(auditBefore, await AuditOfAsync(survivorCase.Id));
        Assert.Empty(events); // published events reach observers before PublishAsync returns
    }

    [Fact]
    public async Task A_change_saved_is_audited_and_announced_once_it_is_committed()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var told = new List<(LiveEvent Event, RiskLevel RiskWhenTold)>();
        using var observer = Cases.LiveEvents.Observe(e =>
        {
            if (e.CaseId == survivorCase.Id)
            {
                // Read while the event is being published: a page told of the change must find it when it reads again.
                using var db = _world.Database.NewContext();
                told.Add((e, db.Cases.Where(c => c.Id == survivorCase.Id).Select(c => c.RiskLevel).Single()));
            }
        });

        var result = await Cases.CasesFor(advocate).ChangeRiskAsync(advocate, await Cases.SeenAsync<Case>(survivorCase.Id), RiskLevel.High);

        Assert.True(result.Succeeded);
        Assert.Equal(survivorCase.Id, result.Id);
        Assert.Equal([(new LiveEvent(LiveEventKind.CaseChanged, "CF", survivorCase.Id), RiskLevel.High)], told);
        await using var db = _world.Database.NewContext();
        var entry = await db.AuditEntries.SingleAsync(e => e.RecordId == survivorCase.Id.ToString() && e.Action == AuditAction.Changed && e.UserId == advocate.UserId);
        Assert.Equal(("Case", "risk"), (entry.RecordType, entry.Detail));
    }

    [Fact]
    public async Task A_save_that_loses_a_race_is_a_conflict_and_nothing_is_audited_or_announced()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var coordinator = await Cases.StaffAsync(Roles.Coordinator);
        var events = new List<LiveEvent>();
        using var observer = Cases.LiveEvents.Observe(e => Record(events, e, survivorCase.Id));
        var auditBefore = await AuditOfAsync(survivorCase.Id);

        var result = await Cases.PathFor(advocate).ChangeAsync(advocate, await Cases.SeenAsync<Case>(survivorCase.Id), "change the risk", CasePermission.Take(CaseAction.ChangeRisk), async work =>
        {
            work.Record.ChangeRisk(RiskLevel.High, advocate.UserId, TimeProvider.System);
            work.Audit(AuditAction.Changed, "risk");
            work.Publish(LiveEventKind.CaseChanged);

            // Between this change and its save, a coordinator saves the same case.
            await using var other = _world.Database.NewContext(coordinator.UserId);
            (await other.Cases.SingleAsync(c => c.Id == survivorCase.Id)).ChangeRisk(RiskLevel.Low, coordinator.UserId, TimeProvider.System);
            await other.SaveChangesAsync();
        });

        Assert.Equal(CommandOutcome.Conflict, result.Outcome);
        Assert.Equal(coordinator.DisplayName, result.Conflict!.By);
        Assert.Equal(["Risk"], result.Conflict.Changed);
        Assert.Equal(RiskLevel.Low, await RiskOfAsync(survivorCase.Id));
        Assert.Equal(auditBefore, await AuditOfAsync(survivorCase.Id));
        Assert.Empty(events);
    }

    [Fact]
    public async Task Problems_with_the_form_stop_the_command_before_anything_is_saved()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var provider = await _world.ProviderAsync("CF", "Clinic", ReferralType.Medical);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Medical);

        var result = await _world.ReferralsFor(advocate).WithdrawAsync(advocate, await _world.SeenAsync(id), " ");

        Assert.Equal((CommandOutcome.Refused, CommandResult.InvalidCode), (result.Outcome, result.Code));
        Assert.Equal(ErrorCodes.Required, result.For("Reason")!.Code);
        Assert.Equal(ReferralStatus.Draft, (await _world.ReferralAsync(id)).Status);
    }

    [Fact]
    public async Task After_sign_out_the_next_command_and_query_are_refused_at_once()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var cases = Cases.CasesFor(advocate);
        Assert.NotNull(await cases.GetWorkspaceAsync(advocate, survivorCase.Number)); // the session is known open

        await _world.Database.Service<SessionStore>().EndAsync(advocate.SessionId!, SessionEndReason.SignedOut);
        var command = await cases.ChangeRiskAsync(advocate, await Cases.SeenAsync<Case>(survivorCase.Id), RiskLevel.High);
        var query = await cases.GetWorkspaceAsync(advocate, survivorCase.Number, recordView: false);
        var referrals = await _world.ReferralsFor(advocate).GetForCaseAsync(advocate, survivorCase.Id);

        Assert.Equal(CommandOutcome.SessionEnded, command.Outcome);
        Assert.Null(query);
        Assert.Null(referrals);
        Assert.Equal(RiskLevel.Medium, await RiskOfAsync(survivorCase.Id));
    }

    [Fact]
    public async Task A_scope_not_made_at_sign_in_has_no_session_and_can_do_nothing()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var unsigned = new UserScope(advocate.UserId, advocate.UserName, advocate.DisplayName, advocate.Roles, advocate.Countries);

        var result = await Cases.CasesFor(unsigned).ChangeRiskAsync(unsigned, await Cases.SeenAsync<Case>(survivorCase.Id), RiskLevel.High);

        Assert.Equal(CommandOutcome.SessionEnded, result.Outcome);
        Assert.Equal(RiskLevel.Medium, await RiskOfAsync(survivorCase.Id));
    }

    [Fact]
    public async Task The_session_check_is_reused_briefly_for_queries_and_forgotten_when_any_node_ends_the_session()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = _world.Database.Service<IOptionsMonitor<SecurityOptions>>();
        var live = new InProcessLiveEvents(NullLogger<InProcessLiveEvents>.Instance);
        using var sessions = new SessionStore(_world.Database.Contexts, options, clock, live, live);
        var user = await Cases.StaffAsync(Roles.Advocate, "CF");
        var first = new UserScope(user.UserId, user.UserName, user.DisplayName, user.Roles, user.Countries, await sessions.StartAsync(user.UserId));
        var second = new UserScope(user.UserId, user.UserName, user.DisplayName, user.Roles, user.Countries, await sessions.StartAsync(user.UserId));
        var third = new UserScope(user.UserId, user.UserName, user.DisplayName, user.Roles, user.Countries, await sessions.StartAsync(user.UserId));
        Assert.True(await sessions.IsOpenAsync(first, userAction: true));
        Assert.True(await sessions.IsOpenAsync(second, userAction: true));
        Assert.True(await sessions.IsOpenAsync(third, userAction: false));

        // Ended behind this node's back, with its event not yet here: a page's query reuses the answer until the reuse
        // time runs out, a command the user gives never does.
        await EndInDatabaseAsync(second.SessionId!);
        var reused = await sessions.IsOpenAsync(second, userAction: false);
        var command = await sessions.IsOpenAsync(second, userAction: true);
        clock.Advance(options.CurrentValue.SessionCheckReuse);
        var checkedAgain = await sessions.IsOpenAsync(second, userAction: false);

        // Ended through this node: forgotten at once.
        await sessions.EndAsync(first.SessionId!, SessionEndReason.SignedOut);
        var afterSignOut = await sessions.IsOpenAsync(first, userAction: false);

        // Ended by another node: its event, arriving through Redis, makes this node forget before any page hears of it.
        Assert.True(await sessions.IsOpenAsync(third, userAction: false));
        await EndInDatabaseAsync(third.SessionId!);
        live.Deliver(new LiveEvent(LiveEventKind.SessionEnded, "", RecipientUserId: user.UserId));
        var afterEvent = await sessions.IsOpenAsync(third, userAction: false);

        Assert.True(reused);
        Assert.False(command);
        Assert.False(checkedAgain);
        Assert.False(afterSignOut);
        Assert.False(afterEvent);
    }

    [Fact]
    public async Task Ending_a_session_or_every_session_of_a_user_announces_it_to_their_pages_on_every_node()
    {
        var live = _world.Database.Service<InProcessLiveEvents>();
        var sessions = _world.Database.Service<SessionStore>();
        var user = await Cases.StaffAsync(Roles.Advocate, "CF");
        var signedOut = new TaskCompletionSource<LiveEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var disabled = new TaskCompletionSource<LiveEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = live.Subscribe(e => e.Kind == LiveEventKind.SessionEnded && e.RecipientUserId == user.UserId, e =>
        {
            (signedOut.TrySetResult(e) ? null : disabled)?.TrySetResult(e);
            return Task.CompletedTask;
        });

        await sessions.EndAsync(await sessions.StartAsync(user.UserId), SessionEndReason.SignedOut);
        await signedOut.Task;
        await sessions.StartAsync(user.UserId);
        await sessions.EndAllForUserAsync(user.UserId, SessionEndReason.Disabled);
        var announced = await disabled.Task;

        // Ids only: the user it concerns, never the session's id (the cookie's secret) or anything personal.
        Assert.Equal(new LiveEvent(LiveEventKind.SessionEnded, "", RecipientUserId: user.UserId), announced);
    }

    [Fact]
    public async Task A_command_and_a_case_query_of_an_ended_session_are_refused_and_audited_in_the_users_name()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var cases = Cases.CasesFor(advocate);
        Assert.NotNull(await cases.GetWorkspaceAsync(advocate, survivorCase.Number, recordView: false)); // a reusable answer, on this node

        // Ended by another node whose event has not arrived: the reveal and the command still ask the store (and what they
        // learn, the page's next query knows too).
        await EndInDatabaseAsync(advocate.SessionId!);
        var (reveal, identity) = await cases.RevealIdentityAsync(advocate, survivorCase.Id, "Calling about the clinic visit");
        var command = await cases.ChangeRiskAsync(advocate, await Cases.SeenAsync<Case>(survivorCase.Id), RiskLevel.High);
        var referrals = await _world.ReferralsFor(advocate).GetForCaseAsync(advocate, survivorCase.Id);

        Assert.Equal(CommandOutcome.NotFound, reveal.Outcome);
        Assert.Null(identity);
        Assert.Equal(CommandOutcome.SessionEnded, command.Outcome);
        Assert.Null(referrals);
        Assert.Equal(RiskLevel.Medium, await RiskOfAsync(survivorCase.Id));
        Assert.Equal(0, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.RevealedIdentity, advocate.UserId));
        await using var db = _world.Database.NewContext();
        var refusals = await db.AuditEntries.Where(e => e.RecordId == survivorCase.Id.ToString() && e.Action == AuditAction.AccessDenied && e.UserId == advocate.UserId).ToListAsync();
        Assert.Equal(3, refusals.Count);
        Assert.All(refusals, e => Assert.Equal(("session ended", Roles.Advocate), (e.Detail, e.Role)));
    }

    [Fact]
    public async Task The_lists_and_counts_staff_pages_show_are_refused_once_the_session_has_ended_and_audited()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var coordinator = await Cases.StaffAsync(Roles.Coordinator);
        var allCases = new QueueRequest(QueueKind.AllCases, QueueFilter.None with { NumberSearch = survivorCase.Number });
        var dashboard = new DashboardService(Cases.Database.Contexts, Cases.Clock, Cases.AuditFor(coordinator), Cases.Database.Service<ReminderPolicy>(), Cases.ScopeFor(coordinator));
        // Answers this node may reuse for a few seconds; ending the sessions through it forgets them at once.
        Assert.Single((await Cases.Queues.GetPageAsync(advocate, allCases)).Rows);
        Assert.Equal(1, (await Cases.Queues.GetCountsAsync(advocate)).MyCases);
        Assert.True((await dashboard.GetAsync(coordinator, new DashboardFilter("CF"))).OpenTotal.Value >= 1);

        var sessions = Cases.Database.Service<SessionStore>();
        await sessions.EndAsync(advocate.SessionId!, SessionEndReason.SignedOut);
        await sessions.EndAllForUserAsync(coordinator.UserId, SessionEndReason.Disabled);
        var page = await Cases.Queues.GetPageAsync(advocate, allCases);
        var counts = await Cases.Queues.GetCountsAsync(advocate);
        var referrals = await _world.ReferralsFor(advocate).ListAsync(advocate, new ReferralQuery());
        var notifications = await Cases.NotificationsFor(advocate).ListAsync(unreadOnly: false, before: null, take: 10);
        var unread = await Cases.NotificationsFor(advocate).CountUnreadAsync();
        await Assert.ThrowsAsync<AccessDeniedException>(() => dashboard.GetAsync(coordinator, new DashboardFilter("CF")));
        var countries = await dashboard.GetCountriesAsync(coordinator);

        Assert.Equal((0, 0), (page.Rows.Count, page.TotalCount));
        Assert.Equal((0, 0, 0), (counts.NewIntakes, counts.MyCases, counts.AllCases));
        Assert.Empty(referrals.Rows);
        Assert.Empty(notifications);
        Assert.Equal(0, unread);
        Assert.Empty(countries);
        await using var db = _world.Database.NewContext();
        var refusals = await db.AuditEntries
            .Where(e => (e.UserId == advocate.UserId || e.UserId == coordinator.UserId) && e.Action == AuditAction.AccessDenied)
            .OrderBy(e => e.Id).Select(e => new { e.UserId, e.RecordType, e.Detail, e.Role }).ToListAsync();
        Assert.All(refusals, e => Assert.Equal("session ended", e.Detail));
        Assert.Equal(
            [QueueService.RecordType, QueueService.RecordType, ReferralService.RecordType, NotificationService.RecordType, NotificationService.RecordType],
            refusals.Where(e => e.UserId == advocate.UserId).Select(e => e.RecordType));
        Assert.Equal([DashboardService.RecordType, DashboardService.RecordType], refusals.Where(e => e.UserId == coordinator.UserId).Select(e => e.RecordType));
        Assert.Equal([Roles.Advocate, Roles.Coordinator], refusals.Select(e => e.Role).Distinct().Order(StringComparer.Ordinal));
    }

    private async Task EndInDatabaseAsync(string sessionId)
    {
        await using var db = _world.Database.NewContext();
        await db.Set<StaffSession>().Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedUtc, DateTimeOffset.UtcNow).SetProperty(s => s.EndReason, SessionEndReason.SignedOut));
    }

    private static void Record(List<LiveEvent> events, LiveEvent liveEvent, Guid caseId)
    {
        if (liveEvent.CaseId == caseId)
        {
            events.Add(liveEvent);
        }
    }

    private async Task<RiskLevel> RiskOfAsync(Guid caseId)
    {
        await using var db = _world.Database.NewContext();
        return await db.Cases.Where(c => c.Id == caseId).Select(c => c.RiskLevel).SingleAsync();
    }

    private async Task<CaseStatus> StatusOfAsync(Guid caseId)
    {
        await using var db = _world.Database.NewContext();
        return await db.Cases.Where(c => c.Id == caseId).Select(c => c.Status).SingleAsync();
    }

    private async Task<int> AuditOfAsync(Guid caseId)
    {
        await using var db = _world.Database.NewContext();
        return await db.AuditEntries.CountAsync(e => e.RecordId == caseId.ToString());
    }
}
