using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Consents;
using Portal.Domain.Intake;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

/// <summary>A request sent again after a lost passphrase, linked into the person's case: what moves, what closes, and when it is refused.</summary>
public sealed class RequestLinkTests
{
    private readonly FakeTimeProvider _clock = NewClock();

    [Fact]
    public void Linking_moves_the_requests_and_messages_and_closes_the_case_as_a_duplicate_naming_the_other()
    {
        var into = CaseIn(CaseStatus.Assessment, _clock);
        var (other, request) = SecondRequest();
        var message = PersonMessage.Write(other.Id, "Bonjour.", Advocate, null, _clock);

        other.LinkInto(into, [request], [message], hasRecordsOfItsOwn: false, Advocate, _clock);

        Assert.Equal((into.Id, into.Id), (request.CaseId, message.CaseId));
        Assert.Equal((CaseStatus.Closed, CaseClosureReason.Duplicate, into.Number), (other.Status, other.ClosureReason, other.ClosureComment));
        Assert.Equal(_clock.GetUtcDateTime(), other.ClosedAtUtc);
        var closing = other.StatusHistory.MaxBy(h => h.Sequence)!;
        Assert.Equal((CaseStatus.Intake, CaseStatus.Closed, Advocate), (closing.From, closing.To, closing.ByUserId));
        Assert.False(into.IsClosed);
    }

    [Fact]
    public void A_case_linked_into_another_cannot_be_reopened_while_one_closed_as_a_duplicate_by_hand_can()
    {
        var into = CaseIn(CaseStatus.Assessment, _clock);
        var (linked, request) = SecondRequest();
        linked.LinkInto(into, [request], [], hasRecordsOfItsOwn: false, Advocate, _clock);

        Assert.Equal(into.Id, linked.LinkedIntoCaseId);
        Assert.DoesNotContain(CaseAction.Reopen, linked.AvailableActions(Coordinator, isCoordinator: true));
        Assert.Equal(ErrorCodes.RequestAlreadyLinked, Refusal(() => linked.Reopen("Opened by mistake", Coordinator, _clock)));
        Assert.True(linked.IsClosed);

        var closedByHand = CaseIn(CaseStatus.Closed, _clock);
        Assert.Contains(CaseAction.Reopen, closedByHand.AvailableActions(Coordinator, isCoordinator: true));
        closedByHand.Reopen("The person came back", Coordinator, _clock);
        Assert.False(closedByHand.IsClosed);
    }

    [Fact]
    public void A_case_cannot_be_linked_into_itself_another_country_a_closed_case_or_twice()
    {
        var into = CaseIn(CaseStatus.Assessment, _clock);
        var (other, request) = SecondRequest();

        Assert.Equal(ErrorCodes.RequestLinkSameCase, Refusal(() => into.LinkInto(into, [request], [], false, Advocate, _clock)));

        var (haiti, haitiRequest) = SecondRequest("HT");
        Assert.Equal(ErrorCodes.RequestLinkOtherCountry, Refusal(() => haiti.LinkInto(into, [haitiRequest], [], false, Advocate, _clock)));

        var (empty, _) = SecondRequest();
        Assert.Equal(ErrorCodes.RequestLinkNoRequest, Refusal(() => empty.LinkInto(into, [], [], false, Advocate, _clock)));

        other.LinkInto(into, [request], [], false, Advocate, _clock);
        Assert.Equal(ErrorCodes.RequestAlreadyLinked, Refusal(() => other.LinkInto(into, [request], [], false, Advocate, _clock)));

        var closed = CaseIn(CaseStatus.Closed, _clock);
        var (third, thirdRequest) = SecondRequest();
        Assert.Equal(ErrorCodes.CaseClosed, Refusal(() => third.LinkInto(closed, [thirdRequest], [], false, Advocate, _clock)));
        Assert.Equal(third.Id, thirdRequest.CaseId);
    }

    [Fact]
    public void A_case_with_work_of_its_own_is_not_linked_and_nothing_moves()
    {
        var into = CaseIn(CaseStatus.Assessment, _clock);

        var (withRecords, r1) = SecondRequest();
        Assert.Equal(ErrorCodes.RequestLinkCaseHasWork, Refusal(() => withRecords.LinkInto(into, [r1], [], hasRecordsOfItsOwn: true, Advocate, _clock)));
        Assert.Equal(withRecords.Id, r1.CaseId);

        var (withConsent, r2) = SecondRequest();
        withConsent.RecordConsent(ConsentGiver.Person, true, false, [], SharedField.None, null, Advocate, _clock);
        Assert.Equal(ErrorCodes.RequestLinkCaseHasWork, Refusal(() => withConsent.LinkInto(into, [r2], [], false, Advocate, _clock)));

        var planned = CaseIn(CaseStatus.ActionPlan, _clock);
        var r3 = Request(planned);
        Assert.Equal(ErrorCodes.RequestLinkCaseHasWork, Refusal(() => planned.LinkInto(into, [r3], [], false, Advocate, _clock)));
        Assert.Equal(CaseStatus.ActionPlan, planned.Status);
    }

    [Fact]
    public void Contact_given_with_the_newer_request_replaces_the_old_but_names_and_address_stay()
    {
        var kept = IdentityRecord.Create(Guid.NewGuid(), new IdentityDetails("Amani", null, null, "+243 81 000 0001", null, ContactChannel.Phone, "le matin", "Avenue 1"));
        var newer = IdentityRecord.Create(Guid.NewGuid(), new IdentityDetails(null, null, null, "+243 81 000 0002", null, ContactChannel.WhatsApp, "après 17h", null));

        kept.TakeContactFrom(newer);

        Assert.Equal(("Amani", "+243 81 000 0002", ContactChannel.WhatsApp, "après 17h", "Avenue 1"), (kept.GivenName, kept.Phone, kept.ContactChannel, kept.SafeContactTimes, kept.ExactAddress));

        var onlyTimes = IdentityRecord.Create(Guid.NewGuid(), new IdentityDetails(null, null, null, null, null, ContactChannel.None, "le soir", null));
        kept.TakeContactFrom(onlyTimes);
        Assert.Equal(("+243 81 000 0002", ContactChannel.WhatsApp, "le soir"), (kept.Phone, kept.ContactChannel, kept.SafeContactTimes));
    }

    private (Case Case, IntakeSubmission Request) SecondRequest(string country = "CD")
    {
        var other = Case.OpenFromIntake(new CaseNumber(country, 2026, 43), country, RiskLevel.Medium, "fr", openedBy: null, _clock);
        return (other, Request(other));
    }

    private IntakeSubmission Request(Case survivorCase)
    {
        var request = IntakeSubmission.Receive(
            new IntakeDetails("fr", survivorCase.CountryCode, null, "J'ai perdu ma phrase secrète.", [HelpKind.Medical], [ContactChannel.None], null, null, ChildBornAnswer.No),
            _clock);
        request.LinkToCase(survivorCase.Id);
        return request;
    }

    private static string Refusal(Action act) => Assert.Throws<DomainException>(act).Code;
}
