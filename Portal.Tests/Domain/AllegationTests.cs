using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

public class AllegationTests
{
    // 12:00 UTC on 3 March: already 4 March in Kiribati (UTC+14), the latest calendar on Earth.
    private static readonly DateTime Noon = Utc(2026, 3, 3, 12);

    private readonly FakeTimeProvider _clock = NewClock();

    internal static AllegationDetails Details(DateOnly? incident = null, DateOnly? reported = null) =>
        new(
            AllegationEntityType.PeacekeepingMission,
            "MONUSCO",
            PersonnelCategory.MilitaryContingent,
            AllegationClass.Abuse,
            AllegationSubtype.SexualAssault,
            incident ?? new DateOnly(2026, 2, 20),
            reported ?? new DateOnly(2026, 2, 22),
            InvestigationStatus.PreliminaryAssessment,
            null);

    [Fact]
    public void An_incident_date_in_the_future_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => Allegation.Create(Details(new DateOnly(2026, 3, 5)) with { DateReported = null }, Noon));

        Assert.Equal(ErrorCodes.DateInFuture, ex.Code);
    }

    [Fact]
    public void A_date_reported_in_the_future_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => Allegation.Create(Details(reported: new DateOnly(2026, 3, 5)), Noon));

        Assert.Equal(ErrorCodes.DateInFuture, ex.Code);
    }

    [Fact]
    public void A_date_already_reached_somewhere_on_Earth_is_not_the_future()
    {
        var allegation = Allegation.Create(Details(new DateOnly(2026, 3, 4), new DateOnly(2026, 3, 4)), Noon);

        Assert.Equal(new DateOnly(2026, 3, 4), allegation.IncidentDate);
    }

    [Fact]
    public void A_report_before_the_incident_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => Allegation.Create(Details(new DateOnly(2026, 2, 20), new DateOnly(2026, 2, 19)), Noon));

        Assert.Equal(ErrorCodes.DateOrder, ex.Code);
    }

    [Fact]
    public void Reported_on_the_day_of_the_incident_or_without_dates_is_accepted()
    {
        Allegation.Create(Details(new DateOnly(2026, 2, 20), new DateOnly(2026, 2, 20)), Noon);
        Allegation.Create(Details() with { IncidentDate = null, DateReported = null }, Noon);
    }

    [Theory]
    [InlineData(AllegationEntityType.PeacekeepingMission, true)]
    [InlineData(AllegationEntityType.SpecialPoliticalMission, true)]
    [InlineData(AllegationEntityType.AgencyFundOrProgramme, false)]
    [InlineData(AllegationEntityType.ImplementingPartner, false)]
    [InlineData(AllegationEntityType.NonUnForceUnderSecurityCouncilMandate, false)]
    public void Peacekeeping_and_special_political_missions_are_reported_apart(AllegationEntityType type, bool expected)
    {
        var allegation = Allegation.Create(Details() with { EntityType = type }, Noon);

        Assert.Equal(expected, allegation.IsUnPeacekeepingOrSpm);
    }

    [Fact]
    public void A_case_has_at_most_one_allegation_and_updates_need_one()
    {
        var c = OpenCase(_clock);

        Assert.Equal(ErrorCodes.NoAllegation, Assert.Throws<DomainException>(() => c.UpdateAllegation(Details(), _clock)).Code);
        c.RecordAllegation(Details(), _clock);
        Assert.Equal(ErrorCodes.AllegationAlreadyRecorded, Assert.Throws<DomainException>(() => c.RecordAllegation(Details(), _clock)).Code);
    }

    [Fact]
    public void Recording_an_allegation_does_not_depend_on_the_case_stage_or_hold_it_up()
    {
        var c = OpenCase(_clock);
        c.RecordAllegation(Details() with { InvestigationStatus = InvestigationStatus.UnderInvestigation }, _clock);

        c.Claim(Advocate, _clock);
        c.StartActionPlan(Advocate, _clock);

        Assert.Equal(CaseStatus.ActionPlan, c.Status);
    }

    [Fact]
    public void Unknown_enumeration_values_are_refused()
    {
        var ex = Assert.Throws<DomainException>(() => Allegation.Create(Details() with { Subtype = (AllegationSubtype)99 }, Noon));

        Assert.Equal(ErrorCodes.InvalidValue, ex.Code);
    }
}
