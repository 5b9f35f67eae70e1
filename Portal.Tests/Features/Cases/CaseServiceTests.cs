using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Features.Cases;
using Portal.Infrastructure.Live;
using Portal.Features.Shared;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Cases;

public sealed class CaseServiceTests : IClassFixture<TestDatabase>
{
    private readonly CaseWorld _world;

    public CaseServiceTests(TestDatabase database) => _world = new CaseWorld(database);

    [Fact]
    public async Task Of_two_advocates_claiming_at_once_exactly_one_wins_and_the_other_learns_who()
    {
        var first = await _world.StaffAsync(Roles.Advocate, "CF");
        var second = await _world.StaffAsync(Roles.Advocate, "CF");
        var intake = await _world.NewIntakeAsync("CF");

        var results = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => Task.Run(() => _world.CasesFor(i % 2 == 0 ? first : second).ClaimAsync(i % 2 == 0 ? first : second, intake.Id))));

        await using var db = _world.Database.NewContext();
        var holder = await db.Cases.Where(c => c.Id == intake.Id).Select(c => c.AssignedAdvocateId).SingleAsync();
        var winner = holder == first.UserId ? first : second;
        var loser = winner == first ? second : first;
        Assert.All(results.Where((_, i) => (i % 2 == 0 ? first : second) == winner), r => Assert.True(r.Succeeded));
        Assert.All(results.Where((_, i) => (i % 2 == 0 ? first : second) == loser), r =>
        {
            Assert.Equal(CommandOutcome.Refused, r.Outcome);
            Assert.Equal(winner.DisplayName, r.Value);
        });
        Assert.Equal(1, await ClaimAuditCountAsync(intake.Id));
    }

    [Fact]
    public async Task Twenty_claim_clicks_by_one_advocate_make_one_claim_and_one_audit_entry()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var intake = await _world.NewIntakeAsync("CF");
        var service = _world.CasesFor(advocate);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => service.ClaimAsync(advocate, intake.Id))));

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(1, await ClaimAuditCountAsync(intake.Id));
        await using var db = _world.Database.NewContext();
        var stored = await db.Cases.SingleAsync(c => c.Id == intake.Id);
        Assert.Equal((advocate.UserId, CaseStatus.Assessment), (stored.AssignedAdvocateId, stored.Status));
        Assert.Single(stored.StatusHistory, s => s.To == CaseStatus.Assessment);
    }

    [Fact]
    public async Task A_case_of_another_country_is_not_found_and_the_attempt_is_audited()
    {
        var outsider = await _world.StaffAsync(Roles.Advocate, "HT");
        var intake = await _world.NewIntakeAsync("CF");
        var service = _world.CasesFor(outsider);

        var workspace = await service.GetWorkspaceAsync(outsider, intake.Number);
        var claim = await service.ClaimAsync(outsider, intake.Id);
        var note = await service.AddNoteAsync(outsider, intake.Id, "I should not be able to write this");
        var (reveal, identity) = await service.RevealIdentityAsync(outsider, intake.Id, "curious about the name");
        var nonexistent = await service.GetWorkspaceAsync(outsider, "CF-2026-9999");

        Assert.Null(workspace);
        Assert.Null(nonexistent);
        Assert.Equal(CommandOutcome.NotFound, claim.Outcome);
        Assert.Equal(CommandOutcome.NotFound, note.Outcome);
        Assert.Equal(CommandOutcome.NotFound, reveal.Outcome);
        Assert.Null(identity);
        await using var db = _world.Database.NewContext();
        var denied = await db.AuditEntries.CountAsync(e => e.RecordId == intake.Id.ToString() && e.Action == AuditAction.AccessDenied && e.UserId == outsider.UserId);
        Assert.Equal(4, denied);
        Assert.False(await db.Cases.AnyAsync(c => c.Id == intake.Id && c.AssignedAdvocateId != null));
    }

    /// <summary>The district is a quasi-identifier: sealed with the case's key, yet shown on the case page as before.</summary>
    [Fact]
    public async Task A_district_set_on_the_profile_is_stored_sealed_and_shown_to_an_advocate_in_scope_only()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var outsider = await _world.StaffAsync(Roles.Advocate, "HT");
        var intake = await _world.NewIntakeAsync("CF");
        var service = _world.CasesFor(advocate);
        Assert.True((await service.ClaimAsync(advocate, intake.Id)).Succeeded);

        var updated = await service.UpdateProfileAsync(advocate, await _world.SeenAsync<Case>(intake.Id),
            () => SurvivorProfile.Create(Sex.Female, AgeGroup.Adult, null, null, ["fr"], false, null, "Quartier Galagoville", false, _world.Clock));

        Assert.True(updated.Succeeded);
        var stored = Assert.IsType<string>(Assert.Single(await _world.Database.QueryAsync(
            """SELECT "Profile_District" FROM "Cases" WHERE "Id" = @id""", ("@id", _world.Database.Id(intake.Id)))));
        Assert.DoesNotContain("Galagoville", stored, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Quartier Galagoville", (await service.GetWorkspaceAsync(advocate, intake.Number))!.Case.Profile.District);
        Assert.Null(await _world.CasesFor(outsider).GetWorkspaceAsync(outsider, intake.Number));
    }

    [Fact]
    public async Task Opening_a_case_records_a_view_and_shows_only_actions_allowed_now()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var intake = await _world.NewIntakeAsync("CF");
        var service = _world.CasesFor(advocate);

        var before = await service.GetWorkspaceAsync(advocate, intake.Number.ToLowerInvariant());
        await service.ClaimAsync(advocate, intake.Id);
        var after = await service.GetWorkspaceAsync(advocate, intake.Number);

        Assert.Contains(CaseAction.Claim, before!.Actions);
        Assert.DoesNotContain(CaseAction.RequestClosure, before.Actions);
        Assert.DoesNotContain(CaseAction.Claim, after!.Actions);
        Assert.Contains(CaseAction.StartActionPlan, after.Actions);
        Assert.DoesNotContain(CaseAction.ApproveClosure, after.Actions);
        await using var db = _world.Database.NewContext();
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.RecordId == intake.Id.ToString() && e.Action == AuditAction.ViewedCase));
    }

    [Fact]
    public async Task A_stale_edit_is_refused_with_who_changed_the_case_and_nothing_is_overwritten()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var intake = await _world.NewIntakeAsync("CF");
        await _world.CasesFor(advocate).ClaimAsync(advocate, intake.Id);
        var loaded = (await _world.CasesFor(advocate).GetWorkspaceAsync(advocate, intake.Number))!.Case;

        var byCoordinator = await _world.CasesFor(coordinator).ChangeRiskAsync(coordinator, Seen.Of(loaded), RiskLevel.High);
        var byAdvocate = await _world.CasesFor(advocate).TransitionAsync(advocate, Seen.Of(loaded), CaseTransition.StartActionPlan, null);

        Assert.True(byCoordinator.Succeeded);
        Assert.Equal(CommandOutcome.Conflict, byAdvocate.Outcome);
        Assert.Equal(coordinator.DisplayName, byAdvocate.Conflict!.By);
        Assert.Equal(["Risk"], byAdvocate.Conflict.Changed);
        await using var db = _world.Database.NewContext();
        var stored = await db.Cases.SingleAsync(c => c.Id == intake.Id);
        Assert.Equal((RiskLevel.High, CaseStatus.Assessment), (stored.RiskLevel, stored.Status));
    }

    [Fact]
    public async Task Closure_is_requested_by_the_advocate_and_approved_only_by_a_coordinator()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var otherAdvocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var intake = await _world.NewIntakeAsync("CF");
        var cases = _world.CasesFor(advocate);
        await cases.ClaimAsync(advocate, intake.Id);
        var version = (await cases.GetVersionAsync(advocate, intake.Id))!.Value;

        var requested = await cases.TransitionAsync(advocate, new Seen<Case>(intake.Id, version), CaseTransition.RequestClosure, "Assistance completed", CaseClosureReason.AssistanceCompleted);
        var seen = await _world.SeenAsync<Case>(intake.Id);
        var byAdvocate = await cases.TransitionAsync(advocate, seen, CaseTransition.ApproveClosure, null);
        var byOther = await _world.CasesFor(otherAdvocate).TransitionAsync(otherAdvocate, seen, CaseTransition.ApproveClosure, null);
        var byCoordinator = await _world.CasesFor(coordinator).TransitionAsync(coordinator, seen, CaseTransition.ApproveClosure, "Agreed");

        Assert.True(requested.Succeeded);
        Assert.Equal(CommandOutcome.Forbidden, byAdvocate.Outcome);
        Assert.Equal(CommandOutcome.Forbidden, byOther.Outcome);
        Assert.True(byCoordinator.Succeeded);
        await using var db = _world.Database.NewContext();
        Assert.Equal(CaseStatus.Closed, await db.Cases.Where(c => c.Id == intake.Id).Select(c => c.Status).SingleAsync());
    }

    [Fact]
    public async Task Revealing_an_identity_needs_a_reason_and_is_audited_before_it_is_shown()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var bystander = await _world.StaffAsync(Roles.Advocate, "CF");
        var intake = await _world.NewIntakeAsync("CF");
        await using (var db = _world.Database.NewContext())
        {
            db.Add(IdentityRecord.Create(intake.Id, new IdentityDetails("Demo", "Person Zulu", null, "+236 70 00 00 01", null, ContactChannel.Phone, "mornings", null)));
            await db.SaveChangesAsync();
        }

        var cases = _world.CasesFor(advocate);
        await cases.ClaimAsync(advocate, intake.Id);

        var (noReason, _) = await cases.RevealIdentityAsync(advocate, intake.Id, " ");
        var (byBystander, hidden) = await _world.CasesFor(bystander).RevealIdentityAsync(bystander, intake.Id, "I want to call her");
        var (revealed, identity) = await cases.RevealIdentityAsync(advocate, intake.Id, "Calling to arrange the clinic visit");

        Assert.Equal(CommandOutcome.Refused, noReason.Outcome);
        Assert.Equal(CommandOutcome.Forbidden, byBystander.Outcome);
        Assert.Null(hidden);
        Assert.True(revealed.Succeeded);
        Assert.Equal("Person Zulu", identity!.Details.FamilyName);
        await using var check = _world.Database.NewContext();
        var entry = await check.AuditEntries.SingleAsync(e => e.RecordId == intake.Id.ToString() && e.Action == AuditAction.RevealedIdentity);
        Assert.Equal(advocate.UserId, entry.UserId);
        Assert.DoesNotContain("Zulu", entry.Detail ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_publishes_a_live_event_with_ids_and_country_only()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var intake = await _world.NewIntakeAsync("CF");
        var received = new TaskCompletionSource<LiveEvent>();
        using var subscription = _world.LiveEvents.Subscribe(e => e.CaseId == intake.Id, e =>
        {
            received.TrySetResult(e);
            return Task.CompletedTask;
        });

        await _world.CasesFor(advocate).ClaimAsync(advocate, intake.Id);

        var liveEvent = await received.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new LiveEvent(LiveEventKind.CaseClaimed, "CF", intake.Id), liveEvent);
    }

    private async Task<int> ClaimAuditCountAsync(Guid caseId)
    {
        await using var db = _world.Database.NewContext();
        return await db.AuditEntries.CountAsync(e => e.RecordId == caseId.ToString() && e.Action == AuditAction.ClaimedCase);
    }
}
