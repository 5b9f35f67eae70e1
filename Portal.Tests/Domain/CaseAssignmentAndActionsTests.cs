using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Consents;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

public class CaseAssignmentAndActionsTests
{
    private readonly FakeTimeProvider _clock = NewClock();

    [Fact]
    public void Claiming_an_intake_assigns_it_moves_it_to_Assessment_and_marks_first_contact()
    {
        var c = OpenCase(_clock);
        _clock.Advance(TimeSpan.FromHours(3));

        c.Claim(Advocate, _clock);

        Assert.Equal(Advocate, c.AssignedAdvocateId);
        Assert.Equal(CaseStatus.Assessment, c.Status);
        Assert.Equal(Start.UtcDateTime.AddHours(3), c.FirstContactAtUtc);
        Assert.Equal(Start.UtcDateTime.AddHours(3), c.AssignedAtUtc);
    }

    [Fact]
    public void A_case_claimed_by_someone_else_cannot_be_claimed_and_the_message_names_the_holder()
    {
        var c = CaseIn(CaseStatus.Assessment, _clock);
        var version = c.Version;

        var ex = Assert.Throws<DomainException>(() => c.Claim(OtherAdvocate, _clock));

        Assert.Equal(ErrorCodes.CaseClaimedByOther, ex.Code);
        Assert.Contains(Advocate, ex.Message, StringComparison.Ordinal);
        Assert.Equal(Advocate, c.AssignedAdvocateId);
        Assert.Equal(version, c.Version);
    }

    [Fact]
    public void Claiming_a_case_one_already_holds_changes_nothing()
    {
        var c = CaseIn(CaseStatus.Assessment, _clock);
        var version = c.Version;

        c.Claim(Advocate, _clock);

        Assert.Equal(version, c.Version);
    }

    [Theory]
    [InlineData(CaseStatus.Intake, true)]
    [InlineData(CaseStatus.Assessment, true)]
    [InlineData(CaseStatus.ActionPlan, true)]
    [InlineData(CaseStatus.Assistance, true)]
    [InlineData(CaseStatus.FollowUp, true)]
    [InlineData(CaseStatus.ClosureRequested, true)]
    [InlineData(CaseStatus.Closed, false)]
    public void A_released_case_can_be_claimed_in_any_open_status(CaseStatus status, bool allowed)
    {
        var c = CaseIn(status, _clock);
        if (c.AssignedAdvocateId is not null && !c.IsClosed)
        {
            c.Release(Advocate);
        }

        if (allowed)
        {
            c.Claim(OtherAdvocate, _clock);
            Assert.Equal(OtherAdvocate, c.AssignedAdvocateId);
            Assert.Equal(status == CaseStatus.Intake ? CaseStatus.Assessment : status, c.Status);
        }
        else
        {
            var ex = Assert.Throws<DomainException>(() => c.Claim(OtherAdvocate, _clock));
            Assert.Equal(ErrorCodes.CaseClosed, ex.Code);
        }
    }

    [Fact]
    public void First_contact_is_set_only_by_the_first_claim()
    {
        var c = CaseIn(CaseStatus.Assessment, _clock);
        var firstContact = c.FirstContactAtUtc;
        c.Release(Advocate);
        _clock.Advance(TimeSpan.FromDays(2));

        c.Claim(OtherAdvocate, _clock);

        Assert.Equal(firstContact, c.FirstContactAtUtc);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, c.AssignedAtUtc);
    }

    [Fact]
    public void Releasing_keeps_the_stage_and_frees_the_case()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        var version = c.Version;

        c.Release(Advocate);

        Assert.Null(c.AssignedAdvocateId);
        Assert.Null(c.AssignedAtUtc);
        Assert.Equal(CaseStatus.Assistance, c.Status);
        Assert.NotEqual(version, c.Version);
    }

    [Fact]
    public void Undoing_a_claim_at_once_returns_the_intake_as_it_was()
    {
        var c = OpenCase(_clock);
        c.Claim(Advocate, _clock);
        _clock.Advance(Case.ClaimUndoWindow - TimeSpan.FromSeconds(1));

        c.UndoClaim(Advocate, _clock);

        Assert.Null(c.AssignedAdvocateId);
        Assert.Null(c.AssignedAtUtc);
        Assert.Null(c.FirstContactAtUtc);
        Assert.Equal(CaseStatus.Intake, c.Status);
        var last = c.StatusHistory.MaxBy(h => h.Sequence)!;
        Assert.Equal((CaseStatus?)CaseStatus.Assessment, last.From);
        Assert.Equal(Advocate, last.ByUserId);
    }

    [Fact]
    public void Undoing_a_claim_on_a_released_case_keeps_its_stage_and_first_contact()
    {
        var c = CaseIn(CaseStatus.Assessment, _clock);
        var firstContact = c.FirstContactAtUtc;
        c.Release(Advocate);
        _clock.Advance(TimeSpan.FromDays(1));
        c.Claim(OtherAdvocate, _clock);

        c.UndoClaim(OtherAdvocate, _clock);

        Assert.Null(c.AssignedAdvocateId);
        Assert.Equal(CaseStatus.Assessment, c.Status);
        Assert.Equal(firstContact, c.FirstContactAtUtc);
    }

    [Fact]
    public void A_claim_cannot_be_undone_after_the_window_or_by_someone_else()
    {
        var c = OpenCase(_clock);
        c.Claim(Advocate, _clock);

        Assert.Equal(ErrorCodes.ClaimUndoExpired, Assert.Throws<DomainException>(() => c.UndoClaim(OtherAdvocate, _clock)).Code);
        _clock.Advance(Case.ClaimUndoWindow + TimeSpan.FromSeconds(1));
        Assert.Equal(ErrorCodes.ClaimUndoExpired, Assert.Throws<DomainException>(() => c.UndoClaim(Advocate, _clock)).Code);
        Assert.Equal(Advocate, c.AssignedAdvocateId);
        Assert.Equal(CaseStatus.Assessment, c.Status);
    }

    [Fact]
    public void Releasing_an_unassigned_case_is_refused()
    {
        var c = OpenCase(_clock);

        var ex = Assert.Throws<DomainException>(() => c.Release(Advocate));

        Assert.Equal(ErrorCodes.CaseNotAssigned, ex.Code);
    }

    [Fact]
    public void Reassigning_moves_the_case_to_another_advocate()
    {
        var c = CaseIn(CaseStatus.ActionPlan, _clock);

        c.Reassign(OtherAdvocate, Coordinator, _clock);

        Assert.Equal(OtherAdvocate, c.AssignedAdvocateId);
        Assert.Equal(CaseStatus.ActionPlan, c.Status);
    }

    [Fact]
    public void Reassigning_an_unclaimed_intake_takes_it_up_like_a_claim()
    {
        var c = OpenCase(_clock);

        c.Reassign(OtherAdvocate, Coordinator, _clock);

        Assert.Equal(CaseStatus.Assessment, c.Status);
        Assert.NotNull(c.FirstContactAtUtc);
        Assert.Equal(Coordinator, c.StatusHistory.MaxBy(h => h.Sequence)!.ByUserId);
    }

    [Fact]
    public void Reassigning_to_the_current_holder_or_on_a_closed_case_is_refused()
    {
        var held = CaseIn(CaseStatus.Assessment, _clock);
        var closed = CaseIn(CaseStatus.Closed, _clock);

        Assert.Equal(ErrorCodes.CaseAlreadyAssignedTo, Assert.Throws<DomainException>(() => held.Reassign(Advocate, Coordinator, _clock)).Code);
        Assert.Equal(ErrorCodes.CaseClosed, Assert.Throws<DomainException>(() => closed.Reassign(OtherAdvocate, Coordinator, _clock)).Code);
    }

    [Fact]
    public void Every_change_replaces_the_concurrency_token()
    {
        var c = CaseIn(CaseStatus.Assessment, _clock);
        var seen = new HashSet<Guid> { c.Version };
        Action[] changes =
        [
            () => c.ChangeRisk(RiskLevel.High, Advocate, _clock),
            () => c.UpdateProfile(SurvivorProfile.Create(Sex.Female, AgeGroup.Adult, null, 1995, ["fr"], false, null, "Bunia", false, _clock)),
            () => c.RecordAllegation(AllegationTests.Details(), _clock),
            () => c.UpdateAllegation(AllegationTests.Details() with { InvestigationStatus = InvestigationStatus.UnderInvestigation }, _clock),
            () => c.RecordConsent(ConsentGiver.Person, true, false, [], SharedField.None, null, Advocate, _clock),
            () => c.RevokeConsent(Advocate, _clock),
            () => c.Release(Advocate),
            () => c.Claim(OtherAdvocate, _clock),
            () => c.Reassign(Advocate, Coordinator, _clock),
        ];

        foreach (var change in changes)
        {
            change();
            Assert.True(seen.Add(c.Version), "The version token was not replaced.");
        }
    }

    [Fact]
    public void Changing_risk_records_who_assessed_it_and_when()
    {
        var c = CaseIn(CaseStatus.Assessment, _clock);
        _clock.Advance(TimeSpan.FromHours(1));

        c.ChangeRisk(RiskLevel.High, OtherAdvocate, _clock);

        Assert.Equal(RiskLevel.High, c.RiskLevel);
        Assert.Equal(OtherAdvocate, c.RiskAssessedBy);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, c.RiskAssessedAtUtc);
    }

    [Fact]
    public void A_closed_case_is_read_only_except_consent_revocation_and_the_allegation()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        c.RecordConsent(ConsentGiver.Person, true, true, [], SharedField.None, null, Advocate, _clock);
        c.RecordAllegation(AllegationTests.Details(), _clock);
        c.RequestClosure(CaseClosureReason.AssistanceCompleted, null, OpenWork.Of(c.Id, [], [], [], null), Advocate, _clock);
        c.ApproveClosure(Coordinator, null, OpenWork.Of(c.Id, [], [], [], null), _clock);

        Assert.Equal(ErrorCodes.CaseClosed, Assert.Throws<DomainException>(() => c.ChangeRisk(RiskLevel.High, Advocate, _clock)).Code);
        Assert.Equal(ErrorCodes.CaseClosed, Assert.Throws<DomainException>(() => c.UpdateProfile(SurvivorProfile.Unknown)).Code);
        Assert.Equal(
            ErrorCodes.CaseClosed,
            Assert.Throws<DomainException>(() => c.RecordConsent(ConsentGiver.Person, true, true, [], SharedField.None, null, Advocate, _clock)).Code);

        c.UpdateAllegation(AllegationTests.Details() with { InvestigationStatus = InvestigationStatus.Substantiated }, _clock);
        c.RevokeConsent(Advocate, _clock);

        Assert.Equal(InvestigationStatus.Substantiated, c.Allegation!.InvestigationStatus);
        Assert.Null(c.CurrentConsent);
    }

    /// <summary>The UI offers exactly what the case would accept: an offered action succeeds, a hidden one is refused.</summary>
    [Theory]
    [InlineData(CaseStatus.Intake)]
    [InlineData(CaseStatus.Assessment)]
    [InlineData(CaseStatus.ActionPlan)]
    [InlineData(CaseStatus.Assistance)]
    [InlineData(CaseStatus.FollowUp)]
    [InlineData(CaseStatus.ClosureRequested)]
    [InlineData(CaseStatus.Closed)]
    public void Available_actions_match_what_the_case_accepts(CaseStatus status)
    {
        var attempts = new Dictionary<CaseAction, Action<Case>>
        {
            [CaseAction.Claim] = c => c.Claim("advocate-new", _clock),
            [CaseAction.Release] = c => c.Release(SecondCoordinator),
            [CaseAction.Reassign] = c => c.Reassign("advocate-new", SecondCoordinator, _clock),
            [CaseAction.StartActionPlan] = c => c.StartActionPlan(SecondCoordinator, _clock),
            [CaseAction.StartAssistance] = c => c.StartAssistance(SecondCoordinator, _clock),
            [CaseAction.StartFollowUp] = c => c.StartFollowUp(SecondCoordinator, _clock),
            [CaseAction.RequestClosure] = c => c.RequestClosure(CaseClosureReason.Relocated, null, OpenWork.Of(c.Id, [], [], [], null), SecondCoordinator, _clock),
            [CaseAction.ApproveClosure] = c => c.ApproveClosure(SecondCoordinator, null, OpenWork.Of(c.Id, [], [], [], null), _clock),
            [CaseAction.RejectClosure] = c => c.RejectClosure(SecondCoordinator, "Not yet.", _clock),
            [CaseAction.Reopen] = c => c.Reopen("Came back.", SecondCoordinator, _clock),
            [CaseAction.ChangeRisk] = c => c.ChangeRisk(RiskLevel.Low, SecondCoordinator, _clock),
            [CaseAction.RecordConsent] = c => c.RecordConsent(ConsentGiver.Person, true, true, [], SharedField.None, null, SecondCoordinator, _clock),
            [CaseAction.RevokeConsent] = c => c.RevokeConsent(SecondCoordinator, _clock),
            [CaseAction.RecordAllegation] = c => c.RecordAllegation(AllegationTests.Details(), _clock),
            [CaseAction.UpdateAllegation] = c => c.UpdateAllegation(AllegationTests.Details(), _clock),
        };

        foreach (var (action, attempt) in attempts)
        {
            var c = CaseIn(status, _clock);
            var offered = c.AvailableActions(SecondCoordinator, isCoordinator: true).Contains(action);

            var error = Record.Exception(() => attempt(c));

            Assert.True(
                offered == (error is null),
                $"{action} in {status}: offered={offered}, but attempting it {(error is null ? "succeeded" : "failed: " + error.Message)}");
        }
    }

    [Fact]
    public void An_advocate_who_does_not_hold_the_case_is_offered_nothing_but_what_anyone_may_do()
    {
        var held = CaseIn(CaseStatus.Assistance, _clock);
        var unclaimed = OpenCase(_clock);
        var closed = CaseIn(CaseStatus.Closed, _clock);

        Assert.Empty(held.AvailableActions(OtherAdvocate, isCoordinator: false));
        Assert.Equal(CaseAction.Claim, Assert.Single(unclaimed.AvailableActions(OtherAdvocate, isCoordinator: false)));
        Assert.Equal(CaseAction.Reopen, Assert.Single(closed.AvailableActions(OtherAdvocate, isCoordinator: false)));
        Assert.Contains(CaseAction.StartFollowUp, held.AvailableActions(Advocate, isCoordinator: false));
    }

    [Fact]
    public void The_requesting_coordinator_is_not_offered_approval()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        c.RequestClosure(CaseClosureReason.AssistanceCompleted, null, OpenWork.Of(c.Id, [], [], [], null), Coordinator, _clock);

        Assert.DoesNotContain(CaseAction.ApproveClosure, c.AvailableActions(Coordinator, isCoordinator: true));
        Assert.Contains(CaseAction.RejectClosure, c.AvailableActions(Coordinator, isCoordinator: true));
        Assert.Contains(CaseAction.ApproveClosure, c.AvailableActions(SecondCoordinator, isCoordinator: true));
    }
}
