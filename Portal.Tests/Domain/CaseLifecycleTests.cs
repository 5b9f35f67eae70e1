using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

public class CaseLifecycleTests
{
    private readonly FakeTimeProvider _clock = NewClock();

    [Fact]
    public void Opening_from_intake_starts_in_Intake_with_one_history_entry()
    {
        var c = OpenCase(_clock);

        Assert.Equal(CaseStatus.Intake, c.Status);
        Assert.Equal("CD-2026-0042", c.Number);
        Assert.Equal(Start.UtcDateTime, c.OpenedAtUtc);
        Assert.Null(c.AssignedAdvocateId);
        Assert.NotEqual(Guid.Empty, c.Version);
        var entry = Assert.Single(c.StatusHistory);
        Assert.Null(entry.From);
        Assert.Equal(CaseStatus.Intake, entry.To);
    }

    [Fact]
    public void Opening_with_a_number_of_another_country_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() =>
            Case.OpenFromIntake(new CaseNumber("CF", 2026, 1), "CD", RiskLevel.High, "fr", null, _clock));

        Assert.Equal(ErrorCodes.CaseCountryMismatch, ex.Code);
    }

    [Theory]
    [InlineData(CaseStatus.Intake, false)]
    [InlineData(CaseStatus.Assessment, true)]
    [InlineData(CaseStatus.ActionPlan, false)]
    [InlineData(CaseStatus.Assistance, false)]
    [InlineData(CaseStatus.FollowUp, false)]
    [InlineData(CaseStatus.ClosureRequested, false)]
    [InlineData(CaseStatus.Closed, false)]
    public void Action_plan_starts_only_from_Assessment(CaseStatus from, bool allowed)
    {
        var c = CaseIn(from, _clock);
        AssertTransition(c, allowed, CaseStatus.ActionPlan, () => c.StartActionPlan(Advocate, _clock));
    }

    [Theory]
    [InlineData(CaseStatus.Intake, false)]
    [InlineData(CaseStatus.Assessment, false)]
    [InlineData(CaseStatus.ActionPlan, true)]
    [InlineData(CaseStatus.Assistance, false)]
    [InlineData(CaseStatus.FollowUp, false)]
    [InlineData(CaseStatus.ClosureRequested, false)]
    [InlineData(CaseStatus.Closed, false)]
    public void Assistance_starts_only_from_ActionPlan(CaseStatus from, bool allowed)
    {
        var c = CaseIn(from, _clock);
        AssertTransition(c, allowed, CaseStatus.Assistance, () => c.StartAssistance(Advocate, _clock));
    }

    [Theory]
    [InlineData(CaseStatus.Intake, false)]
    [InlineData(CaseStatus.Assessment, false)]
    [InlineData(CaseStatus.ActionPlan, false)]
    [InlineData(CaseStatus.Assistance, true)]
    [InlineData(CaseStatus.FollowUp, false)]
    [InlineData(CaseStatus.ClosureRequested, false)]
    [InlineData(CaseStatus.Closed, false)]
    public void Follow_up_starts_only_from_Assistance(CaseStatus from, bool allowed)
    {
        var c = CaseIn(from, _clock);
        AssertTransition(c, allowed, CaseStatus.FollowUp, () => c.StartFollowUp(Advocate, _clock));
    }

    [Theory]
    [InlineData(CaseStatus.Intake, false)]
    [InlineData(CaseStatus.Assessment, true)]
    [InlineData(CaseStatus.ActionPlan, true)]
    [InlineData(CaseStatus.Assistance, true)]
    [InlineData(CaseStatus.FollowUp, true)]
    [InlineData(CaseStatus.ClosureRequested, false)]
    [InlineData(CaseStatus.Closed, false)]
    public void Closure_can_be_requested_from_Assessment_to_FollowUp(CaseStatus from, bool allowed)
    {
        var c = CaseIn(from, _clock);
        AssertTransition(
            c,
            allowed,
            CaseStatus.ClosureRequested,
            () => c.RequestClosure(CaseClosureReason.PersonUnreachable, null, OpenWork.Of(c.Id, [], [], [], null), Advocate, _clock));
    }

    [Theory]
    [InlineData(CaseStatus.Intake, false)]
    [InlineData(CaseStatus.Assessment, false)]
    [InlineData(CaseStatus.ActionPlan, false)]
    [InlineData(CaseStatus.Assistance, false)]
    [InlineData(CaseStatus.FollowUp, false)]
    [InlineData(CaseStatus.ClosureRequested, true)]
    [InlineData(CaseStatus.Closed, false)]
    public void Closure_is_approved_only_from_ClosureRequested(CaseStatus from, bool allowed)
    {
        var c = CaseIn(from, _clock);
        AssertTransition(c, allowed, CaseStatus.Closed, () => c.ApproveClosure(SecondCoordinator, null, OpenWork.Of(c.Id, [], [], [], null), _clock));
    }

    [Theory]
    [InlineData(CaseStatus.Intake, false)]
    [InlineData(CaseStatus.Assessment, false)]
    [InlineData(CaseStatus.ActionPlan, false)]
    [InlineData(CaseStatus.Assistance, false)]
    [InlineData(CaseStatus.FollowUp, false)]
    [InlineData(CaseStatus.ClosureRequested, true)]
    [InlineData(CaseStatus.Closed, false)]
    public void Closure_is_rejected_only_from_ClosureRequested(CaseStatus from, bool allowed)
    {
        var c = CaseIn(from, _clock);
        AssertTransition(c, allowed, CaseStatus.Assistance, () => c.RejectClosure(SecondCoordinator, "Legal referral still open.", _clock));
    }

    [Theory]
    [InlineData(CaseStatus.Intake, false)]
    [InlineData(CaseStatus.Assessment, false)]
    [InlineData(CaseStatus.ActionPlan, false)]
    [InlineData(CaseStatus.Assistance, false)]
    [InlineData(CaseStatus.FollowUp, false)]
    [InlineData(CaseStatus.ClosureRequested, false)]
    [InlineData(CaseStatus.Closed, true)]
    public void Only_a_closed_case_is_reopened_and_it_returns_to_Assessment(CaseStatus from, bool allowed)
    {
        var c = CaseIn(from, _clock);
        AssertTransition(c, allowed, CaseStatus.Assessment, () => c.Reopen("The person came back with new needs.", Advocate, _clock));
    }

    [Fact]
    public void Refusal_message_names_the_case_the_attempt_and_the_current_status()
    {
        var c = CaseIn(CaseStatus.Assessment, _clock);

        var ex = Assert.Throws<DomainException>(() => c.ApproveClosure(Coordinator, null, OpenWork.Of(c.Id, [], [], [], null), _clock));

        Assert.Equal(
            "Cannot approve closure of case CD-2026-0042: it is in Assessment; only a case in ClosureRequested allows this.",
            ex.Message);
    }

    [Theory]
    [InlineData(CaseStatus.Assessment)]
    [InlineData(CaseStatus.ActionPlan)]
    [InlineData(CaseStatus.Assistance)]
    [InlineData(CaseStatus.FollowUp)]
    public void Rejecting_closure_returns_the_case_to_the_status_it_was_requested_from(CaseStatus from)
    {
        var c = CaseIn(from, _clock);
        c.RequestClosure(CaseClosureReason.Relocated, null, OpenWork.Of(c.Id, [], [], [], null), Advocate, _clock);

        c.RejectClosure(Coordinator, "The person still needs legal help.", _clock);

        Assert.Equal(from, c.Status);
        Assert.Null(c.ClosureReason);
        Assert.Null(c.ClosureRequestedBy);
        Assert.Null(c.StatusBeforeClosureRequest);
        Assert.Equal("The person still needs legal help.", c.StatusHistory.MaxBy(h => h.Sequence)!.Comment);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Rejecting_closure_needs_a_comment(string? comment)
    {
        var c = CaseIn(CaseStatus.ClosureRequested, _clock);

        var ex = Assert.Throws<DomainException>(() => c.RejectClosure(Coordinator, comment!, _clock));

        Assert.Equal(ErrorCodes.Required, ex.Code);
        Assert.Equal(CaseStatus.ClosureRequested, c.Status);
    }

    [Fact]
    public void Closure_reason_Other_needs_a_comment_and_other_reasons_do_not()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);

        var ex = Assert.Throws<DomainException>(() => c.RequestClosure(CaseClosureReason.Other, " ", OpenWork.Of(c.Id, [], [], [], null), Advocate, _clock));
        Assert.Equal(ErrorCodes.Required, ex.Code);
        Assert.Equal(CaseStatus.Assistance, c.Status);

        c.RequestClosure(CaseClosureReason.Deceased, null, OpenWork.Of(c.Id, [], [], [], null), Advocate, _clock);
        Assert.Equal(CaseStatus.ClosureRequested, c.Status);
    }

    [Fact]
    public void Requesting_closure_records_reason_requester_and_the_stage_to_return_to()
    {
        var c = CaseIn(CaseStatus.FollowUp, _clock);
        _clock.Advance(TimeSpan.FromDays(30));

        c.RequestClosure(CaseClosureReason.Other, "Moved in with family abroad.", OpenWork.Of(c.Id, [], [], [], null), Advocate, _clock);

        Assert.Equal(CaseClosureReason.Other, c.ClosureReason);
        Assert.Equal("Moved in with family abroad.", c.ClosureComment);
        Assert.Equal(Advocate, c.ClosureRequestedBy);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, c.ClosureRequestedAtUtc);
        Assert.Equal(CaseStatus.FollowUp, c.StatusBeforeClosureRequest);
    }

    [Fact]
    public void The_requester_cannot_approve_their_own_closure_request()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        c.RequestClosure(CaseClosureReason.AssistanceCompleted, null, OpenWork.Of(c.Id, [], [], [], null), Coordinator, _clock);
        var version = c.Version;

        var ex = Assert.Throws<DomainException>(() => c.ApproveClosure(Coordinator, null, OpenWork.Of(c.Id, [], [], [], null), _clock));

        Assert.Equal(ErrorCodes.CaseApproverIsRequester, ex.Code);
        Assert.Contains(Coordinator, ex.Message, StringComparison.Ordinal);
        Assert.Equal(CaseStatus.ClosureRequested, c.Status);
        Assert.Equal(version, c.Version);
    }

    [Fact]
    public void Approving_closure_closes_the_case_and_keeps_the_reason()
    {
        var c = CaseIn(CaseStatus.ClosureRequested, _clock);
        _clock.Advance(TimeSpan.FromHours(5));

        c.ApproveClosure(SecondCoordinator, "Agreed.", OpenWork.Of(c.Id, [], [], [], null), _clock);

        Assert.Equal(CaseStatus.Closed, c.Status);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, c.ClosedAtUtc);
        Assert.Equal(CaseClosureReason.AssistanceCompleted, c.ClosureReason);
        var last = c.StatusHistory.MaxBy(h => h.Sequence)!;
        Assert.Equal(SecondCoordinator, last.ByUserId);
        Assert.Equal(CaseClosureReason.AssistanceCompleted, last.ClosureReason);
    }

    [Fact]
    public void Reopening_counts_clears_the_closure_and_keeps_it_in_history()
    {
        var c = CaseIn(CaseStatus.Closed, _clock);

        c.Reopen("New medical needs.", OtherAdvocate, _clock);
        c.RequestClosure(CaseClosureReason.Duplicate, null, OpenWork.Of(c.Id, [], [], [], null), Advocate, _clock);
        c.ApproveClosure(Coordinator, null, OpenWork.Of(c.Id, [], [], [], null), _clock);
        c.Reopen("Not a duplicate after all.", OtherAdvocate, _clock);

        Assert.Equal(2, c.ReopenCount);
        Assert.Equal(CaseStatus.Assessment, c.Status);
        Assert.Null(c.ClosedAtUtc);
        Assert.Null(c.ClosureReason);
        Assert.Null(c.ClosureComment);
        Assert.Contains(c.StatusHistory, h => h.To == CaseStatus.Closed && h.ClosureReason == CaseClosureReason.Duplicate);
    }

    [Fact]
    public void Reopening_needs_a_reason()
    {
        var c = CaseIn(CaseStatus.Closed, _clock);

        var ex = Assert.Throws<DomainException>(() => c.Reopen("", Advocate, _clock));

        Assert.Equal(ErrorCodes.Required, ex.Code);
        Assert.Equal(CaseStatus.Closed, c.Status);
        Assert.Equal(0, c.ReopenCount);
    }

    [Fact]
    public void Status_history_records_every_step_in_sequence()
    {
        var c = CaseIn(CaseStatus.Closed, _clock);

        (CaseStatus? From, CaseStatus To)[] expected =
        [
            (null, CaseStatus.Intake),
            (CaseStatus.Intake, CaseStatus.Assessment),
            (CaseStatus.Assessment, CaseStatus.ActionPlan),
            (CaseStatus.ActionPlan, CaseStatus.Assistance),
            (CaseStatus.Assistance, CaseStatus.ClosureRequested),
            (CaseStatus.ClosureRequested, CaseStatus.Closed),
        ];

        Assert.Equal(expected, c.StatusHistory.OrderBy(h => h.Sequence).Select(h => (h.From, h.To)));
    }

    private static void AssertTransition(Case c, bool allowed, CaseStatus expected, Action act)
    {
        var before = c.Status;
        var version = c.Version;
        var historyCount = c.StatusHistory.Count;

        if (allowed)
        {
            act();
            Assert.Equal(expected, c.Status);
            Assert.NotEqual(version, c.Version);
            var last = c.StatusHistory.MaxBy(h => h.Sequence)!;
            Assert.Equal(before, last.From);
            Assert.Equal(expected, last.To);
            return;
        }

        var ex = Assert.Throws<DomainException>(act);
        Assert.Equal(ErrorCodes.CaseInvalidTransition, ex.Code);
        Assert.Contains(c.Number, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"it is in {before}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, c.Status);
        Assert.Equal(version, c.Version);
        Assert.Equal(historyCount, c.StatusHistory.Count);
    }
}
