using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Features.Cases;
using Portal.Features.Children;
using Portal.Features.Dashboard;
using Portal.Features.Queues;
using Portal.Features.Referrals;
using Portal.Features.Shared;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Children;

public sealed class ChildServiceTests : IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly ReferralWorld _world;

    public ChildServiceTests(TestDatabase database) => _world = new ReferralWorld(database);

    [Fact]
    public async Task A_child_is_recorded_by_pseudonym_and_impossible_birth_data_is_refused_next_to_its_field()
    {
        var clock = new FakeTimeProvider(Start);
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var children = _world.ChildrenFor(advocate, clock);

        var future = await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child A", new DateOnly(2026, 3, 1), null, Sex.Female, null));
        var implausible = await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child A", null, 2031, Sex.Female, null));
        var mismatch = await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child A", new DateOnly(2024, 3, 1), 2023, Sex.Female, null));
        var blank = await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput(" ", null, null, null, null));
        var added = await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child A", null, 2024, Sex.Female, "Nutrition support; birth registration"));

        Assert.Equal(ErrorCodes.DateInFuture, future.For("DateOfBirth")!.Code);
        Assert.Equal(ChildErrors.BirthYearImplausible, implausible.For("BirthYear")!.Code);
        Assert.Equal(ChildErrors.BirthYearMismatch, mismatch.For("BirthYear")!.Code);
        Assert.Equal(["Pseudonym", "Sex"], blank.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.True(added.Succeeded);
        var view = await children.GetForCaseAsync(advocate, survivorCase.Id);
        var child = Assert.Single(view!.Children).Child;
        Assert.Equal(("Child A", 2024, Sex.Female, "Nutrition support; birth registration"), (child.Pseudonym, child.BirthYear, child.Sex, child.Needs));
        Assert.Equal(1, await _world.AuditCountAsync(child.Id.ToString(), AuditAction.Created, advocate.UserId));
    }

    [Fact]
    public async Task A_pregnancy_is_recorded_as_an_expected_child_and_becomes_a_child_once_when_born()
    {
        var clock = new FakeTimeProvider(Start);
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var children = _world.ChildrenFor(advocate, clock);

        var missing = await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child A", null, null, Sex.Unknown, null, Expected: true));
        var tooFar = await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child A", null, null, Sex.Unknown, null, Expected: true, 2026, 12));
        var longPast = await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child A", null, null, Sex.Unknown, null, Expected: true, 2025, 9));
        var expected = await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child A", null, null, Sex.Unknown, "Antenatal care", Expected: true, 2026, 4));

        Assert.Equal(ErrorCodes.Required, missing.For("ExpectedMonth")!.Code);
        Assert.Equal(ErrorCodes.ChildExpectedTooFar, tooFar.For("ExpectedMonth")!.Code);
        Assert.Equal(ErrorCodes.ChildExpectedPast, longPast.For("ExpectedMonth")!.Code);
        Assert.True(expected.Succeeded, expected.Message);
        var recorded = (await children.GetForCaseAsync(advocate, survivorCase.Id))!.Children.Single().Child;
        Assert.True(recorded.IsExpected);
        Assert.Equal(new DateOnly(2026, 4, 1), recorded.ExpectedMonth);

        clock.Advance(TimeSpan.FromDays(100));
        var noYear = await children.RecordBirthAsync(advocate, Seen.Of(recorded), new ChildInput("Child A", null, null, Sex.Female, null));
        var born = await children.RecordBirthAsync(advocate, Seen.Of(recorded), new ChildInput("Child A", new DateOnly(2026, 4, 9), null, Sex.Female, "Birth registration"));
        var child = (await children.GetForCaseAsync(advocate, survivorCase.Id))!.Children.Single().Child;
        var again = await children.RecordBirthAsync(advocate, Seen.Of(child), new ChildInput("Child A", null, 2026, Sex.Female, null));

        Assert.Equal(ErrorCodes.Required, noYear.For("BirthYear")!.Code);
        Assert.True(born.Succeeded, born.Message);
        Assert.False(child.IsExpected);
        Assert.Equal((new DateOnly(2026, 4, 9), 2026, Sex.Female, new DateOnly(2026, 4, 1)), (child.DateOfBirth, child.BirthYear, child.Sex, child.ExpectedMonth));
        Assert.Equal((CommandOutcome.Refused, ErrorCodes.ChildAlreadyBorn), (again.Outcome, again.Code));
        Assert.Equal(1, await _world.AuditCountAsync(child.Id.ToString(), AuditAction.Changed, advocate.UserId));
    }

    [Fact]
    public async Task Only_the_cases_advocate_or_a_coordinator_records_a_birth()
    {
        var clock = new FakeTimeProvider(Start);
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var other = await _world.Cases.StaffAsync(Roles.Advocate, "CF");
        var childId = (await _world.ChildrenFor(advocate, clock).AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child A", null, null, Sex.Unknown, null, Expected: true, 2026, 2))).Id!.Value;
        var expected = (await _world.ChildrenFor(advocate, clock).GetForCaseAsync(advocate, survivorCase.Id))!.Children.Single().Child;

        var byOther = await _world.ChildrenFor(other, clock).RecordBirthAsync(other, Seen.Of(expected), new ChildInput("Child A", null, 2026, Sex.Male, null));

        Assert.Equal(CommandOutcome.Forbidden, byOther.Outcome);
        Assert.True((await _world.ChildrenFor(advocate, clock).GetForCaseAsync(advocate, survivorCase.Id))!.Children.Single(c => c.Child.Id == childId).Child.IsExpected);
    }

    [Fact]
    public async Task The_member_state_is_named_to_the_cases_advocate_and_coordinators_and_neutral_for_other_staff()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        var colleague = await _world.Cases.StaffAsync(Roles.Advocate, "CF");
        var children = _world.ChildrenFor(advocate);
        var childA = (await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child A", null, 2024, Sex.Male, null))).Id!.Value;
        var childB = (await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child B", null, 2025, Sex.Female, null))).Id!.Value;
        await children.OpenClaimAsync(advocate, childA, new ClaimInput("ZAF", [], null));
        await children.OpenClaimAsync(advocate, childB, new ClaimInput("NPL", [], null));
        await children.OpenClaimAsync(advocate, childB, new ClaimInput("ZAF", [], null));

        var byAdvocate = (await children.GetForCaseAsync(advocate, survivorCase.Id))!.Children.SelectMany(c => c.Claims).ToList();
        var byCoordinator = (await _world.ChildrenFor(coordinator).GetForCaseAsync(coordinator, survivorCase.Id))!.Children.SelectMany(c => c.Claims).ToList();
        var byColleague = (await _world.ChildrenFor(colleague).GetForCaseAsync(colleague, survivorCase.Id))!.Children.SelectMany(c => c.Claims).ToList();

        Assert.Equal(["ZAF", "NPL", "ZAF"], byAdvocate.Select(c => c.MemberState!.Code));
        Assert.Equal(["ZAF", "NPL", "ZAF"], byCoordinator.Select(c => c.MemberState!.Code));
        Assert.All(byColleague, c => Assert.Null(c.MemberState));
        Assert.Equal([1, 2, 1], byColleague.Select(c => c.NeutralNumber));
    }

    [Fact]
    public async Task A_childs_record_changed_by_someone_else_since_it_was_loaded_is_a_conflict()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        var childId = (await _world.ChildrenFor(advocate).AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child B", null, 2023, Sex.Male, null))).Id!.Value;
        var loaded = (await _world.ChildrenFor(advocate).GetForCaseAsync(advocate, survivorCase.Id))!.Children.Single().Child;

        var byCoordinator = await _world.ChildrenFor(coordinator).UpdateChildAsync(coordinator, Seen.Of(loaded), new ChildInput("Child B", null, 2023, Sex.Male, "School enrolment"));
        var byAdvocate = await _world.ChildrenFor(advocate).UpdateChildAsync(advocate, Seen.Of(loaded), new ChildInput("Child B", null, 2023, Sex.Male, "Health insurance"));

        Assert.True(byCoordinator.Succeeded);
        Assert.Equal(CommandOutcome.Conflict, byAdvocate.Outcome);
        Assert.Equal(coordinator.DisplayName, byAdvocate.Conflict!.By);
        Assert.Equal(["Details"], byAdvocate.Conflict.Changed);
        var now = (await _world.ChildrenFor(advocate).GetForCaseAsync(advocate, survivorCase.Id))!.Children.Single().Child;
        Assert.Equal("School enrolment", now.Needs);
    }

    [Fact]
    public async Task A_paternity_claim_moves_only_along_the_allowed_transitions_with_a_dated_attributed_history()
    {
        var clock = new FakeTimeProvider(Start);
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CD");
        var children = _world.ChildrenFor(advocate, clock);
        var childId = (await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child A", null, 2024, Sex.Male, null))).Id!.Value;
        var opened = await children.OpenClaimAsync(advocate, childId, new ClaimInput("NPL", ["Member State courts", "DR Congo family court", " "], null));
        var claimId = opened.Id!.Value;

        var skipping = await children.MoveClaimAsync(advocate, await SeenAsync(claimId), PaternityClaimStatus.PaternityEstablished, null);
        PaternityClaimStatus[] path =
        [
            PaternityClaimStatus.DnaSampleRequested, PaternityClaimStatus.DnaSampleCollected, PaternityClaimStatus.SubmittedToMemberState,
            PaternityClaimStatus.UnderReviewByMemberState, PaternityClaimStatus.PaternityEstablished, PaternityClaimStatus.ChildSupportOrdered,
        ];
        foreach (var to in path)
        {
            clock.Advance(TimeSpan.FromDays(30));
            var moved = await children.MoveClaimAsync(advocate, await SeenAsync(claimId), to, to == PaternityClaimStatus.DnaSampleCollected ? "Sample taken at Bunia hospital" : null);
            Assert.True(moved.Succeeded, moved.Message);
        }

        var afterFinal = await children.MoveClaimAsync(advocate, await SeenAsync(claimId), PaternityClaimStatus.ClosedUnresolved, "Enforcement failed");

        Assert.True(opened.Succeeded);
        Assert.Equal((CommandOutcome.Refused, ErrorCodes.PaternityInvalidTransition), (skipping.Outcome, skipping.Code));
        Assert.Equal(ErrorCodes.PaternityInvalidTransition, afterFinal.Code);
        var claim = (await children.GetForCaseAsync(advocate, survivorCase.Id))!.Children.Single().Claims.Single();
        Assert.Equal("NPL", claim.Claim.MemberStateCode);
        Assert.Equal("Nepal", claim.MemberState!.EnglishName);
        Assert.Equal(["Member State courts", "DR Congo family court"], claim.Claim.Jurisdictions);
        Assert.Equal(PaternityClaimStatus.ChildSupportOrdered, claim.Claim.Status);
        Assert.Empty(claim.AllowedNext);
        var history = claim.Claim.History.OrderBy(h => h.Sequence).ToList();
        Assert.Equal(path.Prepend(PaternityClaimStatus.Intake), history.Select(h => h.To));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => Start.UtcDateTime.AddDays(30 * i)), history.Select(h => h.AtUtc));
        Assert.All(history, h => Assert.Equal(advocate.UserId, h.ByUserId));
        Assert.Equal("Sample taken at Bunia hospital", history.Single(h => h.To == PaternityClaimStatus.DnaSampleCollected).Note);
        Assert.Equal(7, await _world.AuditCountAsync(claimId.ToString(), AuditAction.Changed, advocate.UserId) + await _world.AuditCountAsync(claimId.ToString(), AuditAction.Created, advocate.UserId));
    }

    [Fact]
    public async Task Closing_a_claim_unresolved_needs_a_note_and_a_move_decided_on_an_old_status_is_a_conflict()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CD");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        var children = _world.ChildrenFor(advocate);
        var childId = (await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child C", null, 2022, Sex.Female, null))).Id!.Value;
        var claimId = (await children.OpenClaimAsync(advocate, childId, new ClaimInput("BGD", [], null))).Id!.Value;

        var seen = await SeenAsync(claimId);
        var noNote = await children.MoveClaimAsync(advocate, seen, PaternityClaimStatus.ClosedUnresolved, " ");
        var byCoordinator = await _world.ChildrenFor(coordinator).MoveClaimAsync(coordinator, seen, PaternityClaimStatus.SubmittedToMemberState, null);
        var onOldStatus = await children.MoveClaimAsync(advocate, seen, PaternityClaimStatus.DnaSampleRequested, null);
        var badNumber = await children.UpdateClaimAsync(advocate, seen, new ClaimInput("XYZ", [], null));

        Assert.Equal(ErrorCodes.Required, noNote.For("Note")!.Code);
        Assert.True(byCoordinator.Succeeded);
        Assert.Equal(CommandOutcome.Conflict, onOldStatus.Outcome);
        Assert.Equal(coordinator.DisplayName, onOldStatus.Conflict!.By);
        Assert.Equal(["Status"], onOldStatus.Conflict.Changed);
        Assert.Equal(CommandOutcome.Conflict, badNumber.Outcome);
        var claim = (await children.GetForCaseAsync(advocate, survivorCase.Id))!.Children.Single().Claims.Single();
        Assert.Equal(PaternityClaimStatus.SubmittedToMemberState, claim.Claim.Status);
        var invalid = await children.UpdateClaimAsync(advocate, Seen.Of(claim.Claim), new ClaimInput("XYZ", [new string('j', PaternityClaim.JurisdictionMaxLength + 1)], null));
        Assert.Equal(ErrorCodes.UnknownMemberState, invalid.For("MemberState")!.Code);
        Assert.Equal(ErrorCodes.TooLong, invalid.For("Jurisdictions")!.Code);
    }

    [Fact]
    public async Task Legal_aid_for_a_claim_is_a_legal_referral_of_the_same_case()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CD");
        var (otherCase, otherAdvocate) = await _world.ClaimedCaseAsync("CD");
        var legalAid = await _world.ProviderAsync("CD", "Legal Aid Clinic Bunia", ReferralType.Legal, ReferralType.PaternityAndChildSupport, ReferralType.Medical);
        var legal = await _world.DraftAsync(advocate, survivorCase.Id, legalAid, ReferralType.PaternityAndChildSupport);
        var medical = await _world.DraftAsync(advocate, survivorCase.Id, legalAid, ReferralType.Medical);
        var othersLegal = await _world.DraftAsync(otherAdvocate, otherCase.Id, legalAid, ReferralType.Legal);
        var children = _world.ChildrenFor(advocate);
        var childId = (await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child A", null, 2024, Sex.Male, null))).Id!.Value;

        var toMedical = await children.OpenClaimAsync(advocate, childId, new ClaimInput("URY", [], medical));
        var toOtherCase = await children.OpenClaimAsync(advocate, childId, new ClaimInput("URY", [], othersLegal));
        var linked = await children.OpenClaimAsync(advocate, childId, new ClaimInput("URY", ["Uruguay courts"], legal));

        Assert.Equal(ErrorCodes.PaternityWrongReferral, toMedical.For("LegalAid")!.Code);
        Assert.Equal(ErrorCodes.PaternityWrongReferral, toOtherCase.For("LegalAid")!.Code);
        Assert.True(linked.Succeeded);
        var view = (await children.GetForCaseAsync(advocate, survivorCase.Id))!;
        Assert.Equal([legal], view.LegalAidOptions.Select(o => o.ReferralId));
        var claim = view.Children.Single().Claims.Single();
        Assert.Equal((legal, ReferralType.PaternityAndChildSupport, legalAid.Name), (claim.LegalAid!.ReferralId, claim.LegalAid.Type, claim.LegalAid.ProviderName));
    }

    [Fact]
    public async Task A_claim_without_movement_for_the_configured_time_is_flagged_on_the_case_and_in_queues_until_it_moves()
    {
        var policy = new ReminderPolicy { WorkingHours = _world.Policy.WorkingHours, PaternityClaimStaleAfter = TimeSpan.FromDays(90) };
        var clock = new FakeTimeProvider(Start);
        var (stale, advocate) = await _world.ClaimedCaseAsync("LB");
        var (moving, _) = await _world.ClaimedCaseAsync("LB");
        var (finished, _) = await _world.ClaimedCaseAsync("LB");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        var children = _world.ChildrenFor(coordinator, clock, policy);
        async Task<Guid> ClaimAsync(Case survivorCase)
        {
            var child = (await children.AddChildAsync(coordinator, survivorCase.Id, new ChildInput("Child A", null, 2024, Sex.Female, null))).Id!.Value;
            return (await children.OpenClaimAsync(coordinator, child, new ClaimInput("GHA", [], null))).Id!.Value;
        }

        var staleClaim = await ClaimAsync(stale);
        var movingClaim = await ClaimAsync(moving);
        var finishedClaim = await ClaimAsync(finished);
        await children.MoveClaimAsync(coordinator, await SeenAsync(finishedClaim), PaternityClaimStatus.ClosedUnresolved, "The Member State did not answer");
        clock.Advance(TimeSpan.FromDays(89));
        var before = (await children.GetForCaseAsync(coordinator, stale.Id))!;
        await children.MoveClaimAsync(coordinator, await SeenAsync(movingClaim), PaternityClaimStatus.DnaSampleRequested, null);
        clock.Advance(TimeSpan.FromDays(1));

        var flagged = (await children.GetForCaseAsync(coordinator, stale.Id))!;
        var notFlagged = (await children.GetForCaseAsync(coordinator, moving.Id))!;
        var final = (await children.GetForCaseAsync(coordinator, finished.Id))!;
        var queues = new QueueService(_world.Database.Contexts, clock, policy, _world.Cases.AnyViewersScope);
        var staleQueue = await queues.GetPageAsync(coordinator, new QueueRequest(QueueKind.AllCases, new QueueFilter { CountryCode = "LB", StalePaternityOnly = true }));
        var forAdvocate = await queues.GetPageAsync(advocate, new QueueRequest(QueueKind.MyCases, new QueueFilter { StalePaternityOnly = true }));
        var outsider = await _world.Cases.StaffAsync(Roles.Advocate, "HT");
        var dashboard = await new DashboardService(_world.Database.Contexts, clock, _world.Cases.AuditFor(coordinator), policy, _world.Cases.ScopeFor(coordinator)).GetAsync(coordinator, new DashboardFilter("LB"));
        var outsiderQueue = await queues.GetPageAsync(outsider, new QueueRequest(QueueKind.AllCases, new QueueFilter { StaleClaim = true }));
        var badge = await children.CountStaleForCaseAsync(coordinator, stale.Id);

        Assert.False(before.Children.Single().Claims.Single().IsStale);
        var claim = flagged.Children.Single().Claims.Single();
        Assert.True(claim.IsStale);
        Assert.Equal((90, 90, 1), (claim.DaysWithoutMovement, flagged.StaleAfterDays, flagged.StaleClaimCount));
        Assert.False(notFlagged.Children.Single().Claims.Single().IsStale);
        Assert.False(final.Children.Single().Claims.Single().IsStale);
        Assert.Equal([stale.Number], staleQueue.Rows.Select(r => r.Number));
        Assert.Equal([stale.Number], forAdvocate.Rows.Select(r => r.Number));
        Assert.Equal((1, 1), (dashboard.StaleClaims.Value, dashboard.StaleClaims.Cases));
        Assert.Equal(0, outsiderQueue.TotalCount);
        Assert.Equal(1, badge);
        Assert.Equal(staleClaim, claim.Claim.Id);
    }

    [Fact]
    public async Task Children_of_a_case_out_of_scope_are_not_found_and_each_attempt_is_audited()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var children = _world.ChildrenFor(advocate);
        var childId = (await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child A", null, 2024, Sex.Female, null))).Id!.Value;
        var claimId = (await children.OpenClaimAsync(advocate, childId, new ClaimInput("SEN", [], null))).Id!.Value;
        var outsider = await _world.Cases.StaffAsync(Roles.Advocate, "HT");
        var colleague = await _world.Cases.StaffAsync(Roles.Advocate, "CF");
        var theirs = _world.ChildrenFor(outsider);

        var view = await theirs.GetForCaseAsync(outsider, survivorCase.Id);
        var added = await theirs.AddChildAsync(outsider, survivorCase.Id, new ChildInput("Child B", null, 2025, Sex.Male, null));
        var updated = await theirs.UpdateChildAsync(outsider, await _world.Cases.SeenAsync<Child>(childId), new ChildInput("Renamed", null, 2024, Sex.Female, null));
        var moved = await theirs.MoveClaimAsync(outsider, await SeenAsync(claimId), PaternityClaimStatus.SubmittedToMemberState, null);
        var byColleague = await _world.ChildrenFor(colleague).MoveClaimAsync(colleague, await SeenAsync(claimId), PaternityClaimStatus.SubmittedToMemberState, null);

        Assert.Null(view);
        Assert.Equal(CommandOutcome.NotFound, added.Outcome);
        Assert.Equal(CommandOutcome.NotFound, updated.Outcome);
        Assert.Equal(CommandOutcome.NotFound, moved.Outcome);
        Assert.Equal(CommandOutcome.Forbidden, byColleague.Outcome);
        Assert.Equal(2, await _world.AuditCountAsync(survivorCase.Id.ToString(), AuditAction.AccessDenied, outsider.UserId));
        Assert.Equal(1, await _world.AuditCountAsync(childId.ToString(), AuditAction.AccessDenied, outsider.UserId));
        Assert.Equal(1, await _world.AuditCountAsync(claimId.ToString(), AuditAction.AccessDenied, outsider.UserId));
        Assert.Equal(1, await _world.AuditCountAsync(claimId.ToString(), AuditAction.AccessDenied, colleague.UserId));
        await using var db = _world.Database.NewContext();
        Assert.Equal(1, await db.Children.CountAsync(c => c.CaseId == survivorCase.Id));
        Assert.Equal(PaternityClaimStatus.Intake, await db.PaternityClaims.Where(p => p.Id == claimId).Select(p => p.Status).SingleAsync());
    }

    private Task<Seen<PaternityClaim>> SeenAsync(Guid claimId) => _world.Cases.SeenAsync<PaternityClaim>(claimId);
}
