using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Audit;
using Portal.Domain.Common;
using Portal.Domain.Consents;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Features.Cases;
using Portal.Features.Referrals;
using Portal.Infrastructure.Live;
using Portal.Features.Shared;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Referrals;

public sealed class ReferralServiceTests : IClassFixture<TestDatabase>
{
    private readonly ReferralWorld _world;

    public ReferralServiceTests(TestDatabase database) => _world = new ReferralWorld(database);

    [Fact]
    public async Task A_referral_goes_from_draft_to_completed_attributed_audited_and_shown_in_the_timeline()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var provider = await _world.ProviderAsync("CF", "Legal Aid Clinic", ReferralType.Legal);
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: true, provider.Id);
        var referrals = _world.ReferralsFor(advocate);
        var events = new List<LiveEvent>();
        using var subscription = _world.Cases.LiveEvents.Subscribe(e => e.CaseId == survivorCase.Id, e =>
        {
            lock (events)
            {
                events.Add(e);
            }

            return Task.CompletedTask;
        });

        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Legal);
        var sent = await referrals.SendAsync(advocate, await _world.SeenAsync(id));
        var accepted = await referrals.AcceptAsync(advocate, await _world.SeenAsync(id), "Appointment on Monday");
        var completed = await referrals.CompleteAsync(advocate, await _world.SeenAsync(id), ReferralOutcome.ServiceProvided, "Claim filed");

        Assert.True(sent.Succeeded && accepted.Succeeded && completed.Succeeded);
        var stored = await _world.ReferralAsync(id);
        Assert.Equal(ReferralStatus.Completed, stored.Status);
        Assert.Equal(ReferralOutcome.ServiceProvided, stored.Outcome);
        Assert.Equal(
            [ReferralStatus.Draft, ReferralStatus.Sent, ReferralStatus.Accepted, ReferralStatus.Completed],
            stored.History.OrderBy(h => h.Sequence).Select(h => h.To));
        Assert.All(stored.History, h => Assert.Equal(advocate.UserId, h.ByUserId));
        Assert.NotNull(stored.AcceptedAtUtc);
        Assert.NotNull(stored.CompletedAtUtc);

        var timeline = (await _world.Cases.CasesFor(advocate).GetTimelineAsync(advocate, survivorCase.Id))!.Entries.Where(t => t.Kind == TimelineKind.Referral).ToList();
        Assert.Equal(4, timeline.Count);
        Assert.Contains(timeline, t => t.Title.EndsWith(": Completed", StringComparison.Ordinal) && t.Title.Contains(provider.Name, StringComparison.Ordinal) && t.Text == "Claim filed");
        Assert.All(timeline, t => Assert.Equal(advocate.UserId, t.ByUserId));

        Assert.Equal(1, await _world.AuditCountAsync(id.ToString(), AuditAction.Created, advocate.UserId));
        Assert.Equal(1, await _world.AuditCountAsync(id.ToString(), AuditAction.ReferralSent, advocate.UserId));
        Assert.Equal(2, await _world.AuditCountAsync(id.ToString(), AuditAction.Changed, advocate.UserId));
        await WaitUntilAsync(() => events.Count(e => e.Kind == LiveEventKind.ReferralChanged) == 4);
        lock (events)
        {
            Assert.All(events, e => Assert.Equal(("CF", (string?)null), (e.CountryCode, e.RecipientUserId)));
            Assert.All(events.Where(e => e.Kind == LiveEventKind.ReferralChanged), e => Assert.Equal(id, e.RecordId));
        }
    }

    [Fact]
    public async Task Acceptance_answers_the_acceptance_check_and_a_decline_needs_a_reason_and_cancels_the_remaining_checks()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var provider = await _world.ProviderAsync("CF", "Health Centre", ReferralType.Medical, ReferralType.Psychosocial);
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: true, provider.Id);
        var referrals = _world.ReferralsFor(advocate);
        var accepted = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Medical);
        var declined = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Psychosocial);
        await referrals.SendAsync(advocate, await _world.SeenAsync(accepted));
        await referrals.SendAsync(advocate, await _world.SeenAsync(declined));

        await referrals.AcceptAsync(advocate, await _world.SeenAsync(accepted), null);
        var noReason = await referrals.DeclineAsync(advocate, await _world.SeenAsync(declined), ReferralDeclineReason.Other, "  ");
        Assert.Equal(ReferralStatus.Sent, (await _world.ReferralAsync(declined)).Status);
        var withReason = await referrals.DeclineAsync(advocate, await _world.SeenAsync(declined), ReferralDeclineReason.Other, "No psychologist until June");

        Assert.Equal(CommandOutcome.Refused, noReason.Outcome);
        Assert.Equal(ErrorCodes.Required, noReason.For("Reason")!.Code);
        Assert.True(withReason.Succeeded);
        var stored = await _world.ReferralAsync(declined);
        Assert.Equal((ReferralStatus.Declined, "No psychologist until June"), (stored.Status, stored.DeclineReason));

        await using var db = _world.Database.NewContext();
        var checksOfAccepted = await db.FollowUps.Where(f => f.ReferralId == accepted).ToListAsync();
        Assert.Equal(FollowUpStatus.Done, checksOfAccepted.Single(f => f.Kind == FollowUpKind.AcceptanceCheck).Status);
        Assert.All(checksOfAccepted.Where(f => f.Kind != FollowUpKind.AcceptanceCheck), f => Assert.Equal(FollowUpStatus.Open, f.Status));
        var checksOfDeclined = await db.FollowUps.Where(f => f.ReferralId == declined).ToListAsync();
        Assert.Equal(FollowUpStatus.Done, checksOfDeclined.Single(f => f.Kind == FollowUpKind.AcceptanceCheck).Status);
        Assert.All(checksOfDeclined.Where(f => f.Kind != FollowUpKind.AcceptanceCheck), f =>
            Assert.Equal((FollowUpStatus.Cancelled, "No psychologist until June"), (f.Status, f.CancelReason)));
    }

    [Theory]
    [InlineData(ReferralStatus.Draft)]
    [InlineData(ReferralStatus.Sent)]
    [InlineData(ReferralStatus.Accepted)]
    public async Task A_referral_is_withdrawn_from_any_open_state_with_a_reason_and_its_checks_are_cancelled(ReferralStatus from)
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var provider = await _world.ProviderAsync("CF", "Safe House", ReferralType.SafetyAndProtection);
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: true, provider.Id);
        var referrals = _world.ReferralsFor(advocate);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.SafetyAndProtection);
        if (from != ReferralStatus.Draft)
        {
            await referrals.SendAsync(advocate, await _world.SeenAsync(id));
        }

        if (from == ReferralStatus.Accepted)
        {
            await referrals.AcceptAsync(advocate, await _world.SeenAsync(id), null);
        }

        var noReason = await referrals.WithdrawAsync(advocate, await _world.SeenAsync(id), null);
        var withdrawn = await referrals.WithdrawAsync(advocate, await _world.SeenAsync(id), "The person moved to another district");
        var again = await referrals.WithdrawAsync(advocate, await _world.SeenAsync(id), "Twice");

        Assert.Equal(ErrorCodes.Required, noReason.For("Reason")!.Code);
        Assert.True(withdrawn.Succeeded);
        Assert.Equal((CommandOutcome.Refused, ErrorCodes.ReferralInvalidTransition), (again.Outcome, again.Code));
        var stored = await _world.ReferralAsync(id);
        Assert.Equal((ReferralStatus.Withdrawn, "The person moved to another district"), (stored.Status, stored.WithdrawReason));
        await using var db = _world.Database.NewContext();
        Assert.DoesNotContain(await db.FollowUps.Where(f => f.ReferralId == id).ToListAsync(), f => f.IsOpen);
    }

    [Fact]
    public async Task Transitions_the_lifecycle_does_not_allow_are_refused_and_change_nothing()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var provider = await _world.ProviderAsync("CF", "Community School", ReferralType.Education);
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: true, provider.Id);
        var referrals = _world.ReferralsFor(advocate);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Education);
        var draft = await _world.SeenAsync(id);

        var acceptDraft = await referrals.AcceptAsync(advocate, draft, null);
        var completeDraft = await referrals.CompleteAsync(advocate, draft, ReferralOutcome.ServiceProvided, null);
        await referrals.SendAsync(advocate, draft);
        var noOutcome = await referrals.CompleteAsync(advocate, await _world.SeenAsync(id), null, null);
        var completeSent = await referrals.CompleteAsync(advocate, await _world.SeenAsync(id), ReferralOutcome.ServiceProvided, null);
        var sendAgain = await referrals.SendAsync(advocate, await _world.SeenAsync(id));

        Assert.Equal(ErrorCodes.ReferralInvalidTransition, acceptDraft.Code);
        Assert.Equal(ErrorCodes.ReferralInvalidTransition, completeDraft.Code);
        Assert.Equal(ErrorCodes.Required, noOutcome.For("Outcome")!.Code);
        Assert.Equal(ErrorCodes.ReferralInvalidTransition, completeSent.Code);
        Assert.Equal(ErrorCodes.ReferralInvalidTransition, sendAgain.Code);
        Assert.Contains("Education referral", completeSent.Message, StringComparison.Ordinal);
        var stored = await _world.ReferralAsync(id);
        Assert.Equal(ReferralStatus.Sent, stored.Status);
        Assert.Equal(2, stored.History.Count);
    }

    [Fact]
    public async Task Sending_without_consent_is_refused_saying_what_is_missing_and_saves_nothing()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var provider = await _world.ProviderAsync("CF", "Legal Aid Clinic", ReferralType.Legal);
        var other = await _world.ProviderAsync("CF", "Listening Centre", ReferralType.Legal);
        var referrals = _world.ReferralsFor(advocate);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Legal);

        var none = await referrals.SendAsync(advocate, await _world.SeenAsync(id));
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: true, other.Id);
        var notThisProvider = await referrals.SendAsync(advocate, await _world.SeenAsync(id));
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: false, provider.Id);
        var noServices = await referrals.SendAsync(advocate, await _world.SeenAsync(id));
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: false);
        var neither = await referrals.SendAsync(advocate, await _world.SeenAsync(id));

        Assert.Equal([MissingConsent.NoConsentRecorded], none.Value);
        Assert.Equal([MissingConsent.NoConsentToShareWithProvider], notThisProvider.Value);
        Assert.Equal([MissingConsent.NoConsentForServices], noServices.Value);
        Assert.Equal([MissingConsent.NoConsentForServices, MissingConsent.NoConsentToShareWithProvider], neither.Value);
        Assert.All([none, notThisProvider, noServices, neither], r =>
        {
            Assert.Equal(CommandOutcome.Refused, r.Outcome);
            Assert.Equal(ErrorCodes.ReferralConsentRequired, r.Code);
        });
        Assert.Contains("has not consented to sharing their information with this provider", notThisProvider.Message, StringComparison.Ordinal);
        var stored = await _world.ReferralAsync(id);
        Assert.Equal((ReferralStatus.Draft, (DateTime?)null), (stored.Status, stored.SentAtUtc));
        await using var db = _world.Database.NewContext();
        Assert.False(await db.FollowUps.AnyAsync(f => f.ReferralId == id));
        Assert.Equal(0, await _world.AuditCountAsync(id.ToString(), AuditAction.ReferralSent));
    }

    [Fact]
    public async Task A_coordinator_overrides_missing_consent_with_a_written_reason_and_the_override_is_kept_and_audited()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        var provider = await _world.ProviderAsync("CF", "Health Centre", ReferralType.Medical);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Medical, ReferralUrgency.Emergency);
        var referrals = _world.ReferralsFor(coordinator);

        var noReason = await referrals.SendWithConsentOverrideAsync(coordinator, await _world.SeenAsync(id), " ");
        var overridden = await referrals.SendWithConsentOverrideAsync(coordinator, await _world.SeenAsync(id), "Life at risk: needs care tonight and cannot be reached for consent");

        Assert.Equal(ErrorCodes.Required, noReason.For("OverrideReason")!.Code);
        Assert.True(overridden.Succeeded);
        var stored = await _world.ReferralAsync(id);
        Assert.Equal(ReferralStatus.Sent, stored.Status);
        Assert.Equal(coordinator.UserId, stored.ConsentOverride!.ByUserId);
        Assert.Equal("Life at risk: needs care tonight and cannot be reached for consent", stored.ConsentOverride.Reason);
        Assert.Equal(nameof(MissingConsent.NoConsentRecorded), stored.ConsentOverride.MissingConsent);
        await using var db = _world.Database.NewContext();
        var entry = await db.AuditEntries.SingleAsync(e => e.RecordId == id.ToString() && e.Action == AuditAction.ConsentOverride);
        Assert.Equal(coordinator.UserId, entry.UserId);
        Assert.DoesNotContain("Life at risk", entry.Detail ?? "", StringComparison.Ordinal);
        Assert.True(await db.FollowUps.AnyAsync(f => f.ReferralId == id && f.Kind == FollowUpKind.AcceptanceCheck && f.IsUrgent));
    }

    [Fact]
    public async Task An_advocate_cannot_override_consent_and_the_attempt_is_audited()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var provider = await _world.ProviderAsync("CF", "Health Centre", ReferralType.Medical);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Medical);

        var result = await _world.ReferralsFor(advocate).SendWithConsentOverrideAsync(advocate, await _world.SeenAsync(id), "I am sure she would agree");

        Assert.Equal(CommandOutcome.Forbidden, result.Outcome);
        Assert.Equal(ReferralStatus.Draft, (await _world.ReferralAsync(id)).Status);
        Assert.Equal(1, await _world.AuditCountAsync(id.ToString(), AuditAction.AccessDenied, advocate.UserId));
        Assert.Equal(0, await _world.AuditCountAsync(id.ToString(), AuditAction.ConsentOverride));
    }

    [Fact]
    public async Task With_consent_complete_an_override_sends_without_recording_one()
    {
        var (survivorCase, _) = await _world.ClaimedCaseAsync("CF");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        var provider = await _world.ProviderAsync("CF", "Health Centre", ReferralType.Medical);
        await _world.ConsentAsync(survivorCase.Id, coordinator.UserId, forServices: true, provider.Id);
        var id = await _world.DraftAsync(coordinator, survivorCase.Id, provider, ReferralType.Medical);

        var result = await _world.ReferralsFor(coordinator).SendWithConsentOverrideAsync(coordinator, await _world.SeenAsync(id), "Just in case");

        Assert.True(result.Succeeded);
        Assert.Null((await _world.ReferralAsync(id)).ConsentOverride);
        Assert.Equal(0, await _world.AuditCountAsync(id.ToString(), AuditAction.ConsentOverride));
    }

    [Fact]
    public async Task Unknown_inactive_foreign_or_unsuitable_providers_and_missing_fields_are_refused_next_to_the_field_and_nothing_is_saved()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var inactive = await _world.ProviderAsync("CF", "Former Shelter", ReferralType.SafetyAndProtection);
        await _world.DeactivateAsync(inactive.Id);
        var foreign = await _world.ProviderAsync("HT", "Legal Aid Port-au-Prince", ReferralType.Legal);
        var medicalOnly = await _world.ProviderAsync("CF", "Hospital", ReferralType.Medical);
        var referrals = _world.ReferralsFor(advocate);

        var unknown = await referrals.CreateAsync(advocate, survivorCase.Id, new ReferralInput(ReferralType.Legal, Guid.NewGuid(), "Legal advice", ReferralUrgency.Routine));
        var toInactive = await referrals.CreateAsync(advocate, survivorCase.Id, new ReferralInput(ReferralType.SafetyAndProtection, inactive.Id, "Shelter", ReferralUrgency.Urgent));
        var toForeign = await referrals.CreateAsync(advocate, survivorCase.Id, new ReferralInput(ReferralType.Legal, foreign.Id, "Legal advice", ReferralUrgency.Routine));
        var unsuitable = await referrals.CreateAsync(advocate, survivorCase.Id, new ReferralInput(ReferralType.Legal, medicalOnly.Id, "Legal advice", ReferralUrgency.Routine));
        var empty = await referrals.CreateAsync(advocate, survivorCase.Id, new ReferralInput(null, null, "   ", null));
        var tooLong = await referrals.CreateAsync(advocate, survivorCase.Id, new ReferralInput(ReferralType.Medical, medicalOnly.Id, new string('x', Referral.ReasonMaxLength + 1), ReferralUrgency.Routine));

        Assert.Equal(ReferralErrors.UnknownProvider, unknown.For("Provider")!.Code);
        Assert.Equal(ErrorCodes.ProviderInactive, toInactive.For("Provider")!.Code);
        Assert.Equal(ErrorCodes.ProviderOtherCountry, toForeign.For("Provider")!.Code);
        Assert.Equal(ErrorCodes.ProviderServiceNotOffered, unsuitable.For("Provider")!.Code);
        Assert.Equal(["Provider", "Reason", "Type", "Urgency"], empty.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ErrorCodes.TooLong, tooLong.For("Reason")!.Code);
        Assert.All([unknown, toInactive, toForeign, unsuitable, empty, tooLong], r => Assert.Equal(CommandOutcome.Refused, r.Outcome));
        await using var db = _world.Database.NewContext();
        Assert.False(await db.Referrals.AnyAsync(r => r.CaseId == survivorCase.Id));
    }

    [Fact]
    public async Task The_provider_choice_offers_only_active_providers_of_the_cases_country_offering_the_type()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("SS");
        var legal = await _world.ProviderAsync("SS", "Legal Aid Juba", ReferralType.Legal, ReferralType.PaternityAndChildSupport);
        var inactive = await _world.ProviderAsync("SS", "Closed Legal Clinic", ReferralType.Legal);
        await _world.DeactivateAsync(inactive.Id);
        await _world.ProviderAsync("SS", "Juba Hospital", ReferralType.Medical);
        await _world.ProviderAsync("CD", "Legal Aid Bunia", ReferralType.Legal);

        var options = await _world.ReferralsFor(advocate).GetProviderOptionsAsync(advocate, survivorCase.Id, ReferralType.Legal);

        Assert.Equal([legal.Id], options.Select(o => o.Id));
    }

    [Fact]
    public async Task A_case_out_of_scope_is_not_found_for_every_referral_call_and_each_attempt_is_audited()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var provider = await _world.ProviderAsync("CF", "Legal Aid Clinic", ReferralType.Legal);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Legal);
        var outsider = await _world.Cases.StaffAsync(Roles.Advocate, "HT");
        var referrals = _world.ReferralsFor(outsider);

        var list = await referrals.GetForCaseAsync(outsider, survivorCase.Id);
        var options = await referrals.GetProviderOptionsAsync(outsider, survivorCase.Id, ReferralType.Legal);
        var created = await referrals.CreateAsync(outsider, survivorCase.Id, new ReferralInput(ReferralType.Legal, provider.Id, "Advice", ReferralUrgency.Routine));
        var sent = await referrals.SendAsync(outsider, await _world.SeenAsync(id));
        var withdrawn = await referrals.WithdrawAsync(outsider, await _world.SeenAsync(id), "Not mine");
        var page = await referrals.ListAsync(outsider, new ReferralQuery { Scope = ReferralListScope.AllVisible });
        var missing = await referrals.CreateAsync(outsider, Guid.NewGuid(), new ReferralInput(ReferralType.Legal, provider.Id, "Advice", ReferralUrgency.Routine));

        Assert.Null(list);
        Assert.Empty(options);
        Assert.Equal(CommandOutcome.NotFound, created.Outcome);
        Assert.Equal(CommandOutcome.NotFound, sent.Outcome);
        Assert.Equal(CommandOutcome.NotFound, withdrawn.Outcome);
        Assert.Equal(CommandOutcome.NotFound, missing.Outcome);
        Assert.DoesNotContain(page.Rows, r => r.CaseId == survivorCase.Id);
        Assert.Equal(3, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.AccessDenied, outsider.UserId));
        Assert.Equal(2, await _world.AuditCountAsync(id.ToString(), AuditAction.AccessDenied, outsider.UserId));
        var stored = await _world.ReferralAsync(id);
        Assert.Equal(ReferralStatus.Draft, stored.Status);
        await using var db = _world.Database.NewContext();
        Assert.Equal(1, await db.Referrals.CountAsync(r => r.CaseId == survivorCase.Id));
    }

    [Fact]
    public async Task An_advocate_of_the_country_who_does_not_hold_the_case_may_look_but_not_change_its_referrals()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var colleague = await _world.Cases.StaffAsync(Roles.Advocate, "CF");
        var provider = await _world.ProviderAsync("CF", "Legal Aid Clinic", ReferralType.Legal);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Legal);
        var referrals = _world.ReferralsFor(colleague);

        var view = await referrals.GetForCaseAsync(colleague, survivorCase.Id);
        var created = await referrals.CreateAsync(colleague, survivorCase.Id, new ReferralInput(ReferralType.Legal, provider.Id, "Advice", ReferralUrgency.Routine));
        var withdrawn = await referrals.WithdrawAsync(colleague, await _world.SeenAsync(id), "Not mine");

        Assert.NotNull(view);
        Assert.False(view.CanCreate);
        Assert.Empty(view.Referrals.Single().Actions);
        Assert.Equal(CommandOutcome.Forbidden, created.Outcome);
        Assert.Equal(CommandOutcome.Forbidden, withdrawn.Outcome);
        Assert.Equal(1, await _world.AuditCountAsync(id.ToString(), AuditAction.AccessDenied, colleague.UserId));
        Assert.Equal(ReferralStatus.Draft, (await _world.ReferralAsync(id)).Status);
    }

    [Fact]
    public async Task A_change_on_a_version_someone_else_has_replaced_is_a_conflict_naming_them()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        var provider = await _world.ProviderAsync("CF", "Legal Aid Clinic", ReferralType.Legal);
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: true, provider.Id);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Legal);
        var seen = await _world.SeenAsync(id);

        var byCoordinator = await _world.ReferralsFor(coordinator).SendAsync(coordinator, seen);
        var byAdvocate = await _world.ReferralsFor(advocate).WithdrawAsync(advocate, seen, "Changed her mind");

        Assert.True(byCoordinator.Succeeded);
        Assert.Equal(CommandOutcome.Conflict, byAdvocate.Outcome);
        Assert.Equal(coordinator.DisplayName, byAdvocate.Conflict!.By);
        Assert.Equal(["Status"], byAdvocate.Conflict.Changed);
        Assert.Equal(ReferralStatus.Sent, (await _world.ReferralAsync(id)).Status);
    }

    [Fact]
    public async Task Of_two_sends_at_once_exactly_one_goes_through_and_the_checks_are_planned_once()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        var provider = await _world.ProviderAsync("CF", "Legal Aid Clinic", ReferralType.Legal);
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: true, provider.Id);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Legal);
        var seen = await _world.SeenAsync(id);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            i % 2 == 0 ? _world.ReferralsFor(advocate).SendAsync(advocate, seen) : _world.ReferralsFor(coordinator).SendAsync(coordinator, seen))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(CommandOutcome.Conflict, r.Outcome));
        await using var db = _world.Database.NewContext();
        Assert.Equal(1 + _world.Policy.Schedules[ReferralType.Legal].Count, await db.FollowUps.CountAsync(f => f.ReferralId == id));
        Assert.Equal(1, await _world.AuditCountAsync(id.ToString(), AuditAction.ReferralSent));
    }

    public static TheoryData<ReferralType> AllTypes => [.. Enum.GetValues<ReferralType>()];

    [Theory]
    [MemberData(nameof(AllTypes))]
    public async Task Sending_saves_with_the_referral_the_checks_the_reminder_policy_plans_for_its_type(ReferralType type)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CD");
        var provider = await _world.ProviderAsync("CD", "Provider", type);
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: true, provider.Id);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, type);

        var sent = await _world.ReferralsFor(advocate, clock).SendAsync(advocate, await _world.SeenAsync(id));

        Assert.True(sent.Succeeded);
        var sentAt = clock.GetUtcNow().UtcDateTime;
        var expected = _world.Policy.PlanFor(type, sentAt, incidentDate: null, "CD")
            .Select(p => (p.Kind, p.DueAtUtc, p.IsUrgent))
            .Prepend((FollowUpKind.AcceptanceCheck, _world.Policy.AcceptanceDueAt("CD", sentAt, ReferralUrgency.Routine), false))
            .OrderBy(p => p.Item2).ThenBy(p => p.Item1)
            .ToList();
        await using var db = _world.Database.NewContext();
        var saved = await db.FollowUps.AsNoTracking().Where(f => f.ReferralId == id).ToListAsync();
        Assert.Equal(expected, saved.Select(f => (f.Kind, f.DueAtUtc, f.IsUrgent)).OrderBy(p => p.DueAtUtc).ThenBy(p => p.Kind).ToList());
        Assert.Equal(_world.Policy.Schedules[type].Count + 1, saved.Count);
        Assert.All(saved, f => Assert.Equal((survivorCase.Id, FollowUpSource.Policy, FollowUpStatus.Open, DateTimeKind.Utc), (f.CaseId, f.Source, f.Status, f.DueAtUtc.Kind)));
    }

    [Fact]
    public async Task Checks_are_saved_in_UTC_at_working_hours_of_the_cases_own_time_zone()
    {
        // Friday 6 March 2026, 21:30 UTC: 16:30 in Port-au-Prince (UTC-5), 22:30 in Bangui (UTC+1). Haiti moves to
        // summer time (UTC-4) on 8 March, so its checks two weeks later open at 08:00 local = 12:00 UTC.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 6, 21, 30, 0, TimeSpan.Zero));
        var (haiti, haitiAdvocate) = await _world.ClaimedCaseAsync("HT");
        var (bangui, banguiAdvocate) = await _world.ClaimedCaseAsync("CF");
        var haitiProvider = await _world.ProviderAsync("HT", "Legal Aid", ReferralType.Legal);
        var banguiProvider = await _world.ProviderAsync("CF", "Legal Aid", ReferralType.Legal);
        await _world.ConsentAsync(haiti.Id, haitiAdvocate.UserId, forServices: true, haitiProvider.Id);
        await _world.ConsentAsync(bangui.Id, banguiAdvocate.UserId, forServices: true, banguiProvider.Id);
        var toHaiti = await _world.DraftAsync(haitiAdvocate, haiti.Id, haitiProvider, ReferralType.Legal);
        var toBangui = await _world.DraftAsync(banguiAdvocate, bangui.Id, banguiProvider, ReferralType.Legal);

        await _world.ReferralsFor(haitiAdvocate, clock).SendAsync(haitiAdvocate, await _world.SeenAsync(toHaiti));
        await _world.ReferralsFor(banguiAdvocate, clock).SendAsync(banguiAdvocate, await _world.SeenAsync(toBangui));

        await using var db = _world.Database.NewContext();
        var haitiChecks = await db.FollowUps.AsNoTracking().Where(f => f.ReferralId == toHaiti).OrderBy(f => f.DueAtUtc).ToListAsync();
        var banguiChecks = await db.FollowUps.AsNoTracking().Where(f => f.ReferralId == toBangui).OrderBy(f => f.DueAtUtc).ToListAsync();

        // Two weeks on falls on Friday 20 March after closing in both places: the next opening is Monday 23 March, 08:00 local.
        Assert.Equal(new DateTime(2026, 3, 23, 12, 0, 0, DateTimeKind.Utc), haitiChecks.First(f => f.Kind == FollowUpKind.LegalCheck).DueAtUtc);
        Assert.Equal(new DateTime(2026, 3, 23, 7, 0, 0, DateTimeKind.Utc), banguiChecks.First(f => f.Kind == FollowUpKind.LegalCheck).DueAtUtc);

        // Acceptance within 3 working days of 9 hours. Haiti: half an hour on Friday, Monday, Tuesday, then 8.5 hours of
        // Wednesday 11 March from 08:00 EDT: 16:30 EDT = 20:30 UTC. Bangui sent after hours: from Monday 08:00 to Wednesday 17:00 WAT.
        Assert.Equal(new DateTime(2026, 3, 11, 20, 30, 0, DateTimeKind.Utc), haitiChecks.Single(f => f.Kind == FollowUpKind.AcceptanceCheck).DueAtUtc);
        Assert.Equal(new DateTime(2026, 3, 11, 16, 0, 0, DateTimeKind.Utc), banguiChecks.Single(f => f.Kind == FollowUpKind.AcceptanceCheck).DueAtUtc);
        Assert.Equal(new DateTime(2026, 3, 11, 20, 30, 0, DateTimeKind.Utc), (await _world.ReferralAsync(toHaiti)).AcceptanceDueAtUtc);
    }

    [Fact]
    public async Task A_medical_referral_soon_after_the_incident_gets_an_urgent_prophylaxis_check_at_once_even_at_night()
    {
        // Saturday 7 March 2026, 23:00 UTC (midnight in Bangui); the incident was that day.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 7, 23, 0, 0, TimeSpan.Zero));
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        await _world.RecordIncidentAsync(survivorCase.Id, new DateOnly(2026, 3, 7), clock);
        var provider = await _world.ProviderAsync("CF", "Health Centre", ReferralType.Medical);
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: true, provider.Id);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Medical, ReferralUrgency.Emergency);

        await _world.ReferralsFor(advocate, clock).SendAsync(advocate, await _world.SeenAsync(id));

        await using var db = _world.Database.NewContext();
        var checks = await db.FollowUps.AsNoTracking().Where(f => f.ReferralId == id).ToListAsync();
        var prophylaxis = checks.Single(f => f.Kind == FollowUpKind.PostExposureProphylaxisCheck);
        Assert.Equal((new DateTime(2026, 3, 8, 3, 0, 0, DateTimeKind.Utc), true), (prophylaxis.DueAtUtc, prophylaxis.IsUrgent));
        var acceptance = checks.Single(f => f.Kind == FollowUpKind.AcceptanceCheck);
        Assert.Equal((new DateTime(2026, 3, 8, 3, 0, 0, DateTimeKind.Utc), true), (acceptance.DueAtUtc, acceptance.IsUrgent));
        Assert.Equal(4, checks.Count(f => f.Kind == FollowUpKind.MedicalCheck));
    }

    [Fact]
    public async Task The_referral_list_is_scoped_and_filters_by_owner_type_status_provider_and_overdue()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-10));
        var (mine, advocate) = await _world.ClaimedCaseAsync("SO");
        var (colleagues, colleague) = await _world.ClaimedCaseAsync("SO");
        var (elsewhere, elsewhereAdvocate) = await _world.ClaimedCaseAsync("ML");
        var legal = await _world.ProviderAsync("SO", "Legal Aid Mogadishu", ReferralType.Legal, ReferralType.Medical);
        var medical = await _world.ProviderAsync("SO", "Mogadishu Hospital", ReferralType.Medical);
        var mali = await _world.ProviderAsync("ML", "Gao Hospital", ReferralType.Medical);
        await _world.ConsentAsync(mine.Id, advocate.UserId, forServices: true, legal.Id, medical.Id);
        var overdueLegal = await _world.DraftAsync(advocate, mine.Id, legal, ReferralType.Legal);
        await _world.ReferralsFor(advocate, clock).SendAsync(advocate, await _world.SeenAsync(overdueLegal));
        var draftMedical = await _world.DraftAsync(advocate, mine.Id, medical, ReferralType.Medical);
        var colleaguesMedical = await _world.DraftAsync(colleague, colleagues.Id, medical, ReferralType.Medical);
        var inMali = await _world.DraftAsync(elsewhereAdvocate, elsewhere.Id, mali, ReferralType.Medical);
        var referrals = _world.ReferralsFor(advocate);

        var myCases = await referrals.ListAsync(advocate, new ReferralQuery());
        var allVisible = await referrals.ListAsync(advocate, new ReferralQuery { Scope = ReferralListScope.AllVisible });
        var byType = await referrals.ListAsync(advocate, new ReferralQuery { Type = ReferralType.Medical });
        var byStatus = await referrals.ListAsync(advocate, new ReferralQuery { Status = ReferralStatus.Sent });
        var byProvider = await referrals.ListAsync(advocate, new ReferralQuery { Scope = ReferralListScope.AllVisible, ProviderId = medical.Id });
        var overdue = await referrals.ListAsync(advocate, new ReferralQuery { OverdueOnly = true });
        var paged = await referrals.ListAsync(advocate, new ReferralQuery { Scope = ReferralListScope.AllVisible, PageSize = 1, Page = 1, Sort = ReferralSort.Type, Descending = false });

        Assert.Equal([draftMedical, overdueLegal], myCases.Rows.Select(r => r.Id));
        Assert.Equal(3, allVisible.TotalCount);
        Assert.DoesNotContain(allVisible.Rows, r => r.Id == inMali);
        Assert.Equal([draftMedical], byType.Rows.Select(r => r.Id));
        Assert.Equal([overdueLegal], byStatus.Rows.Select(r => r.Id));
        Assert.Equal(new HashSet<Guid> { draftMedical, colleaguesMedical }, byProvider.Rows.Select(r => r.Id).ToHashSet());
        var row = Assert.Single(overdue.Rows);
        Assert.Equal((overdueLegal, true, legal.Name), (row.Id, row.IsOverdue, row.ProviderName));
        Assert.Equal(3, paged.TotalCount);
        Assert.Equal(ReferralType.Medical, Assert.Single(paged.Rows).Type);
    }

    // Live events are delivered off the publisher's thread; wait for delivery, not for a fixed time.
    private static Task WaitUntilAsync(Func<bool> condition) =>
        Eventually.TrueAsync(condition, TimeSpan.FromSeconds(30), () => "The live events did not arrive.");
}
