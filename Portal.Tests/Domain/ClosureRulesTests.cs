using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

/// <summary>A case closes only when nothing is left open: referrals, follow-ups, claims under way, unread words from the person.</summary>
public class ClosureRulesTests
{
    private readonly FakeTimeProvider _clock = NewClock();

    [Fact]
    public void An_open_referral_holds_the_request_until_it_is_withdrawn_with_a_reason()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        var referral = SentReferral(c);

        var refused = Assert.Throws<DomainException>(() => c.RequestClosure(CaseClosureReason.AssistanceCompleted, null, Work(c, referrals: [referral]), Advocate, _clock));
        Assert.Equal(ErrorCodes.CaseOpenWork, refused.Code);
        Assert.Equal(CaseStatus.Assistance, c.Status);

        referral.Withdraw("The person found care nearer home.", Advocate, _clock);
        c.RequestClosure(CaseClosureReason.AssistanceCompleted, null, Work(c, referrals: [referral]), Advocate, _clock);
        Assert.Equal(CaseStatus.ClosureRequested, c.Status);
    }

    [Fact]
    public void A_completed_referral_and_done_or_cancelled_checks_let_the_case_close()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        var referral = SentReferral(c);
        referral.Accept(Advocate, _clock);
        referral.Complete(ReferralOutcome.ServiceProvided, Advocate, _clock);
        var done = Check(c);
        done.Complete(Advocate, _clock);
        var cancelled = Check(c);
        cancelled.Cancel("Not needed any more.", Advocate, _clock);

        c.RequestClosure(CaseClosureReason.AssistanceCompleted, null, Work(c, [referral], [done, cancelled]), Advocate, _clock);
        c.ApproveClosure(Coordinator, null, Work(c, [referral], [done, cancelled]), _clock);

        Assert.Equal(CaseStatus.Closed, c.Status);
    }

    [Fact]
    public void Approval_is_refused_when_work_was_opened_while_the_request_waited()
    {
        var c = CaseIn(CaseStatus.ClosureRequested, _clock);
        var late = Check(c);

        var refused = Assert.Throws<DomainException>(() => c.ApproveClosure(Coordinator, null, Work(c, followUps: [late]), _clock));

        Assert.Equal(ErrorCodes.CaseOpenWork, refused.Code);
        Assert.Equal(CaseStatus.ClosureRequested, c.Status);
        Assert.Null(c.ClosedAtUtc);
    }

    [Fact]
    public void A_claim_under_way_holds_closure_until_carried_on_and_then_outlives_the_case()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        var claim = ClaimFor(c);

        Assert.Equal(ErrorCodes.CaseOpenWork, Assert.Throws<DomainException>(
            () => c.RequestClosure(CaseClosureReason.AssistanceCompleted, null, Work(c, claims: [claim]), Advocate, _clock)).Code);

        claim.CarryOn(Advocate, _clock);
        var work = Work(c, claims: [claim]);
        Assert.True(work.IsResolved);
        Assert.Equal([claim.Id], work.CarriedOnClaimIds);
        c.RequestClosure(CaseClosureReason.AssistanceCompleted, null, work, Advocate, _clock);
        c.ApproveClosure(Coordinator, null, Work(c, claims: [claim]), _clock);

        Assert.Equal(CaseStatus.Closed, c.Status);
        Assert.False(claim.IsFinal);
        Assert.True(PaternityClaimRules.UnderWay.IsMetBy(claim)); // still on the coordinators' pending and stale lists
        Assert.False(PaternityClaimRules.HoldsClosure.IsMetBy(claim));
    }

    [Fact]
    public void A_settled_claim_cannot_be_carried_on_and_needs_no_carrying()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        var claim = ClaimFor(c);
        claim.MoveTo(PaternityClaimStatus.ClosedUnresolved, Advocate, _clock, "The Member State never answered.");

        Assert.Equal(ErrorCodes.PaternityInvalidTransition, Assert.Throws<DomainException>(() => claim.CarryOn(Advocate, _clock)).Code);
        Assert.True(Work(c, claims: [claim]).IsResolved);
    }

    [Fact]
    public void Unread_words_from_the_person_hold_closure()
    {
        var c = CaseIn(CaseStatus.FollowUp, _clock);
        var work = OpenWork.Of(c.Id, [], [], [], unreadFromPersonSinceUtc: _clock.GetUtcNow().UtcDateTime);

        Assert.Equal([new OpenWorkItem(OpenWorkKind.UnreadFromPerson, null)], work.Unresolved);
        Assert.Equal(ErrorCodes.CaseOpenWork, Assert.Throws<DomainException>(
            () => c.RequestClosure(CaseClosureReason.PersonUnreachable, null, work, Advocate, _clock)).Code);
    }

    [Fact]
    public void Work_of_another_case_never_counts_for_this_one()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        var other = CaseIn(CaseStatus.Assistance, _clock);

        Assert.Equal(ErrorCodes.CaseOpenWorkOtherCase, Assert.Throws<DomainException>(() => Work(c, followUps: [Check(other)])).Code);
        Assert.Equal(ErrorCodes.CaseOpenWorkOtherCase, Assert.Throws<DomainException>(
            () => c.RequestClosure(CaseClosureReason.AssistanceCompleted, null, OpenWork.Of(other.Id, [], [], [], null), Advocate, _clock)).Code);
    }

    [Fact]
    public void Reopening_brings_the_case_back_with_its_history_and_what_was_carried_on()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        var claim = ClaimFor(c);
        claim.CarryOn(Advocate, _clock);
        c.RequestClosure(CaseClosureReason.AssistanceCompleted, null, Work(c, claims: [claim]), Advocate, _clock);
        c.ApproveClosure(Coordinator, null, Work(c, claims: [claim]), _clock);

        c.Reopen("The person came back.", Advocate, _clock);

        Assert.Equal(CaseStatus.Assessment, c.Status);
        Assert.Contains(c.StatusHistory, h => h.To == CaseStatus.Closed);
        Assert.True(claim.IsCarriedOn);
        Assert.False(PaternityClaimRules.HoldsClosure.IsMetBy(claim));
    }

    private static OpenWork Work(Case c, IEnumerable<Referral>? referrals = null, IEnumerable<FollowUp>? followUps = null, IEnumerable<PaternityClaim>? claims = null) =>
        OpenWork.Of(c.Id, referrals ?? [], followUps ?? [], claims ?? [], null);

    private Referral SentReferral(Case c)
    {
        var provider = Provider();
        ConsentFor(c, _clock, provider);
        var referral = Referral.Create(c, ReferralType.Medical, provider, "Medical check", ReferralUrgency.Urgent, Advocate, _clock);
        referral.Send(c, provider, Policy, Advocate, _clock);
        return referral;
    }

    private FollowUp Check(Case c) =>
        FollowUp.CreateManual(c.Id, null, FollowUpKind.General, "Call back", _clock.GetUtcNow().UtcDateTime.AddDays(2), isUrgent: false);

    private PaternityClaim ClaimFor(Case c)
    {
        var child = Child.Register(c.Id, "Child A", new DateOnly(2024, 5, 20), null, Sex.Female, null, _clock);
        return PaternityClaim.Open(child, "NPL", ["Bangui"], Advocate, _clock);
    }
}
