using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Providers;
using Portal.Domain.Referrals;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

public class ReferralTests
{
    private readonly FakeTimeProvider _clock = NewClock();
    private readonly Case _case;
    private readonly ServiceProvider _provider = Provider();

    public ReferralTests()
    {
        _case = CaseIn(CaseStatus.Assistance, _clock);
        ConsentFor(_case, _clock, _provider);
    }

    [Fact]
    public void A_new_referral_is_a_draft_for_the_case_and_provider()
    {
        var referral = Draft();

        Assert.Equal(ReferralStatus.Draft, referral.Status);
        Assert.Equal(_case.Id, referral.CaseId);
        Assert.Equal(_case.Number, referral.CaseNumber);
        Assert.Equal("CD", referral.CountryCode);
        Assert.Equal(_provider.Id, referral.ProviderId);
        Assert.NotEqual(Guid.Empty, referral.Version);
        Assert.Equal(ReferralStatus.Draft, Assert.Single(referral.History).To);
    }

    [Fact]
    public void An_inactive_provider_is_refused()
    {
        _provider.Deactivate();

        var ex = Assert.Throws<DomainException>(() => Draft());

        Assert.Equal(ErrorCodes.ProviderInactive, ex.Code);
    }

    [Fact]
    public void A_provider_that_does_not_offer_the_service_is_refused()
    {
        var legalOnly = Provider("CD", ReferralType.Legal);
        _case.RecordConsent(Portal.Domain.Consents.ConsentGiver.Person, true, true, [legalOnly.Id], Portal.Domain.Consents.SharedField.None, null, Advocate, _clock);

        var ex = Assert.Throws<DomainException>(() =>
            Referral.Create(_case, ReferralType.Medical, legalOnly, "PEP", ReferralUrgency.Emergency, Advocate, _clock));

        Assert.Equal(ErrorCodes.ProviderServiceNotOffered, ex.Code);
    }

    [Fact]
    public void A_provider_in_another_country_is_refused()
    {
        var inHaiti = Provider("HT");

        var ex = Assert.Throws<DomainException>(() =>
            Referral.Create(_case, ReferralType.Medical, inHaiti, "Check-up", ReferralUrgency.Routine, Advocate, _clock));

        Assert.Equal(ErrorCodes.ProviderOtherCountry, ex.Code);
        Assert.Contains("HT", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_closed_case_cannot_be_referred()
    {
        var closed = CaseIn(CaseStatus.Closed, _clock);

        var ex = Assert.Throws<DomainException>(() =>
            Referral.Create(closed, ReferralType.Medical, _provider, "Check-up", ReferralUrgency.Routine, Advocate, _clock));

        Assert.Equal(ErrorCodes.CaseClosed, ex.Code);
    }

    [Fact]
    public void Sending_checks_the_provider_again()
    {
        var referral = Draft();
        _provider.Deactivate();

        var ex = Assert.Throws<DomainException>(() => referral.Send(_case, _provider, Policy, Advocate, _clock));

        Assert.Equal(ErrorCodes.ProviderInactive, ex.Code);
        Assert.Equal(ReferralStatus.Draft, referral.Status);
    }

    [Fact]
    public void Sending_to_a_provider_other_than_the_addressee_is_refused()
    {
        var referral = Draft();
        var other = Provider();

        var ex = Assert.Throws<DomainException>(() => referral.Send(_case, other, Policy, Advocate, _clock));

        Assert.Equal(ErrorCodes.ReferralWrongProvider, ex.Code);
    }

    [Fact]
    public void Sending_with_another_case_is_refused()
    {
        var referral = Draft();
        var otherCase = CaseIn(CaseStatus.Assistance, _clock);

        var ex = Assert.Throws<DomainException>(() => referral.Send(otherCase, _provider, Policy, Advocate, _clock));

        Assert.Equal(ErrorCodes.ReferralWrongCase, ex.Code);
    }

    [Fact]
    public void Sending_stamps_the_time_sets_the_acceptance_deadline_and_plans_follow_ups()
    {
        var referral = Draft(ReferralType.Medical);

        var followUps = referral.Send(_case, _provider, Policy, Advocate, _clock);

        Assert.Equal(ReferralStatus.Sent, referral.Status);
        Assert.Equal(Start.UtcDateTime, referral.SentAtUtc);
        Assert.Equal(Advocate, referral.SentBy);
        // Tuesday 10:00 in Kinshasa (UTC+1) plus three working days: Friday 10:00.
        Assert.Equal(Utc(2026, 3, 6, 9), referral.AcceptanceDueAtUtc);
        Assert.Equal(
            new[] { FollowUpKind.AcceptanceCheck, FollowUpKind.MedicalCheck, FollowUpKind.MedicalCheck, FollowUpKind.MedicalCheck, FollowUpKind.MedicalCheck },
            followUps.Select(f => f.Kind));
        Assert.All(followUps, f =>
        {
            Assert.Equal(_case.Id, f.CaseId);
            Assert.Equal(referral.Id, f.ReferralId);
            Assert.Equal(FollowUpSource.Policy, f.Source);
        });
        Assert.Equal(referral.AcceptanceDueAtUtc, followUps[0].DueAtUtc);
    }

    [Fact]
    public void A_medical_referral_soon_after_the_incident_plans_an_urgent_prophylaxis_check()
    {
        _case.RecordAllegation(AllegationTests.Details(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3)), _clock);
        var referral = Draft(ReferralType.Medical);

        var followUps = referral.Send(_case, _provider, Policy, Advocate, _clock);

        var pep = Assert.Single(followUps, f => f.Kind == FollowUpKind.PostExposureProphylaxisCheck);
        Assert.True(pep.IsUrgent);
        Assert.Equal(Start.UtcDateTime.AddHours(4), pep.DueAtUtc);
    }

    [Fact]
    public void An_emergency_must_be_accepted_within_hours_not_working_days()
    {
        var referral = Draft(urgency: ReferralUrgency.Emergency);

        var followUps = referral.Send(_case, _provider, Policy, Advocate, _clock);

        Assert.Equal(Start.UtcDateTime.AddHours(4), referral.AcceptanceDueAtUtc);
        Assert.True(followUps.Single(f => f.Kind == FollowUpKind.AcceptanceCheck).IsUrgent);
    }

    [Theory]
    [InlineData(ReferralStatus.Draft, ReferralAction.Send, true)]
    [InlineData(ReferralStatus.Sent, ReferralAction.Send, false)]
    [InlineData(ReferralStatus.Accepted, ReferralAction.Send, false)]
    [InlineData(ReferralStatus.Declined, ReferralAction.Send, false)]
    [InlineData(ReferralStatus.Completed, ReferralAction.Send, false)]
    [InlineData(ReferralStatus.Withdrawn, ReferralAction.Send, false)]
    [InlineData(ReferralStatus.Draft, ReferralAction.Accept, false)]
    [InlineData(ReferralStatus.Sent, ReferralAction.Accept, true)]
    [InlineData(ReferralStatus.Accepted, ReferralAction.Accept, false)]
    [InlineData(ReferralStatus.Declined, ReferralAction.Accept, false)]
    [InlineData(ReferralStatus.Completed, ReferralAction.Accept, false)]
    [InlineData(ReferralStatus.Withdrawn, ReferralAction.Accept, false)]
    [InlineData(ReferralStatus.Draft, ReferralAction.Decline, false)]
    [InlineData(ReferralStatus.Sent, ReferralAction.Decline, true)]
    [InlineData(ReferralStatus.Accepted, ReferralAction.Decline, true)]
    [InlineData(ReferralStatus.Declined, ReferralAction.Decline, false)]
    [InlineData(ReferralStatus.Completed, ReferralAction.Decline, false)]
    [InlineData(ReferralStatus.Withdrawn, ReferralAction.Decline, false)]
    [InlineData(ReferralStatus.Draft, ReferralAction.Schedule, false)]
    [InlineData(ReferralStatus.Sent, ReferralAction.Schedule, true)]
    [InlineData(ReferralStatus.Accepted, ReferralAction.Schedule, true)]
    [InlineData(ReferralStatus.Declined, ReferralAction.Schedule, false)]
    [InlineData(ReferralStatus.Completed, ReferralAction.Schedule, false)]
    [InlineData(ReferralStatus.Withdrawn, ReferralAction.Schedule, false)]
    [InlineData(ReferralStatus.Draft, ReferralAction.Complete, false)]
    [InlineData(ReferralStatus.Sent, ReferralAction.Complete, false)]
    [InlineData(ReferralStatus.Accepted, ReferralAction.Complete, true)]
    [InlineData(ReferralStatus.Declined, ReferralAction.Complete, false)]
    [InlineData(ReferralStatus.Completed, ReferralAction.Complete, false)]
    [InlineData(ReferralStatus.Withdrawn, ReferralAction.Complete, false)]
    [InlineData(ReferralStatus.Draft, ReferralAction.Withdraw, true)]
    [InlineData(ReferralStatus.Sent, ReferralAction.Withdraw, true)]
    [InlineData(ReferralStatus.Accepted, ReferralAction.Withdraw, true)]
    [InlineData(ReferralStatus.Declined, ReferralAction.Withdraw, false)]
    [InlineData(ReferralStatus.Completed, ReferralAction.Withdraw, false)]
    [InlineData(ReferralStatus.Withdrawn, ReferralAction.Withdraw, false)]
    [InlineData(ReferralStatus.Draft, ReferralAction.EditDraft, true)]
    [InlineData(ReferralStatus.Sent, ReferralAction.EditDraft, false)]
    [InlineData(ReferralStatus.Accepted, ReferralAction.EditDraft, false)]
    [InlineData(ReferralStatus.Declined, ReferralAction.EditDraft, false)]
    [InlineData(ReferralStatus.Completed, ReferralAction.EditDraft, false)]
    [InlineData(ReferralStatus.Withdrawn, ReferralAction.EditDraft, false)]
    public void Transitions_follow_the_referral_lifecycle(ReferralStatus from, ReferralAction action, bool allowed)
    {
        var referral = ReferralIn(from);
        var version = referral.Version;
        var historyCount = referral.History.Count;
        Action act = action switch
        {
            ReferralAction.Send => () => referral.Send(_case, _provider, Policy, Advocate, _clock),
            ReferralAction.Accept => () => referral.Accept(Advocate, _clock),
            ReferralAction.Decline => () => referral.Decline(ReferralDeclineReason.NoCapacity, "No capacity this month.", Advocate, _clock),
            ReferralAction.Schedule => () => referral.Schedule(_clock.GetUtcNow().UtcDateTime.AddDays(3), Advocate, _clock),
            ReferralAction.Complete => () => referral.Complete(ReferralOutcome.ServiceProvided, Advocate, _clock),
            ReferralAction.Withdraw => () => referral.Withdraw("The person changed their mind.", Advocate, _clock),
            _ => () => referral.EditDraft(_case, ReferralType.Psychosocial, _provider, "Counselling", ReferralUrgency.Urgent),
        };

        Assert.Equal(allowed, referral.AvailableActions().Contains(action));
        if (allowed)
        {
            act();
            Assert.NotEqual(version, referral.Version);
            return;
        }

        var ex = Assert.Throws<DomainException>(act);
        Assert.Equal(ErrorCodes.ReferralInvalidTransition, ex.Code);
        Assert.Contains($"it is {from}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(from, referral.Status);
        Assert.Equal(version, referral.Version);
        Assert.Equal(historyCount, referral.History.Count);
    }

    [Fact]
    public void Each_transition_is_recorded_with_who_and_when()
    {
        var referral = ReferralIn(ReferralStatus.Completed);

        var steps = referral.History.OrderBy(h => h.Sequence).Select(h => h.To);

        Assert.Equal(new[] { ReferralStatus.Draft, ReferralStatus.Sent, ReferralStatus.Accepted, ReferralStatus.Completed }, steps);
        Assert.All(referral.History, h => Assert.Equal(Advocate, h.ByUserId));
        Assert.Equal(ReferralOutcome.ServiceProvided, referral.Outcome);
        Assert.NotNull(referral.CompletedAtUtc);
    }

    [Fact]
    public void Declining_for_another_reason_needs_words()
    {
        var referral = ReferralIn(ReferralStatus.Sent);

        var ex = Assert.Throws<DomainException>(() => referral.Decline(ReferralDeclineReason.Other, " ", Advocate, _clock));

        Assert.Equal(ErrorCodes.Required, ex.Code);
        Assert.Equal(ReferralStatus.Sent, referral.Status);
    }

    [Fact]
    public void Withdrawing_needs_a_reason()
    {
        var referral = ReferralIn(ReferralStatus.Accepted);

        var ex = Assert.Throws<DomainException>(() => referral.Withdraw("", Advocate, _clock));

        Assert.Equal(ErrorCodes.Required, ex.Code);
        Assert.Equal(ReferralStatus.Accepted, referral.Status);
    }

    [Fact]
    public void Completing_needs_a_known_outcome()
    {
        var referral = ReferralIn(ReferralStatus.Accepted);

        var ex = Assert.Throws<DomainException>(() => referral.Complete((ReferralOutcome)42, Advocate, _clock));

        Assert.Equal(ErrorCodes.InvalidValue, ex.Code);
        Assert.Equal(ReferralStatus.Accepted, referral.Status);
    }

    [Fact]
    public void A_sent_referral_is_overdue_for_acceptance_only_after_its_deadline_and_while_unanswered()
    {
        var referral = ReferralIn(ReferralStatus.Sent);
        var due = referral.AcceptanceDueAtUtc!.Value;

        Assert.False(referral.IsOverdueForAcceptance(due));
        Assert.True(referral.IsOverdueForAcceptance(due.AddMinutes(1)));

        referral.Accept(Advocate, _clock);
        Assert.False(referral.IsOverdueForAcceptance(due.AddDays(10)));
    }

    [Fact]
    public void Editing_a_draft_revalidates_the_provider()
    {
        var referral = Draft();
        var legalOnly = Provider("CD", ReferralType.Legal);

        var ex = Assert.Throws<DomainException>(() => referral.EditDraft(_case, ReferralType.Medical, legalOnly, "x", ReferralUrgency.Routine));

        Assert.Equal(ErrorCodes.ProviderServiceNotOffered, ex.Code);
        Assert.Equal(_provider.Id, referral.ProviderId);
    }

    private Referral Draft(ReferralType type = ReferralType.Medical, ReferralUrgency urgency = ReferralUrgency.Routine) =>
        Referral.Create(_case, type, _provider, "Needs a medical check-up.", urgency, Advocate, _clock);

    private Referral ReferralIn(ReferralStatus status)
    {
        var referral = Draft();
        switch (status)
        {
            case ReferralStatus.Draft:
                break;
            case ReferralStatus.Withdrawn:
                referral.Withdraw("Duplicate.", Advocate, _clock);
                break;
            default:
                referral.Send(_case, _provider, Policy, Advocate, _clock);
                if (status == ReferralStatus.Declined)
                {
                    referral.Decline(ReferralDeclineReason.NoCapacity, "Full.", Advocate, _clock);
                }
                else if (status is ReferralStatus.Accepted or ReferralStatus.Completed)
                {
                    referral.Accept(Advocate, _clock);
                    if (status == ReferralStatus.Completed)
                    {
                        referral.Complete(ReferralOutcome.ServiceProvided, Advocate, _clock);
                    }
                }

                break;
        }

        Assert.Equal(status, referral.Status);
        return referral;
    }
}
