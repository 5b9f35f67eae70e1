using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

/// <summary>
/// "New" means an intake nobody has taken up: not a case someone released further on. A claim undone within its
/// window makes the case a new intake again, as if it had never been claimed.
/// </summary>
public class NewIntakeRuleTests
{
    private readonly FakeTimeProvider _clock = NewClock();

    [Fact]
    public void An_intake_nobody_holds_is_new_and_stops_being_new_when_claimed()
    {
        var c = OpenCase(_clock);
        Assert.True(CaseRules.NewIntake.IsMetBy(c));

        c.Claim(Advocate, _clock);

        Assert.False(CaseRules.NewIntake.IsMetBy(c));
    }

    [Theory]
    [InlineData(CaseStatus.Assessment)]
    [InlineData(CaseStatus.Assistance)]
    [InlineData(CaseStatus.FollowUp)]
    public void A_case_released_after_it_was_taken_up_is_held_by_nobody_but_is_not_new(CaseStatus status)
    {
        var c = CaseIn(status, _clock);

        c.Release(Advocate);

        Assert.Null(c.AssignedAdvocateId);
        Assert.False(CaseRules.NewIntake.IsMetBy(c));
    }

    [Fact]
    public void A_claim_undone_within_its_window_leaves_a_new_intake_without_first_contact()
    {
        var c = OpenCase(_clock);
        c.Claim(Advocate, _clock);
        _clock.Advance(Case.ClaimUndoWindow - TimeSpan.FromSeconds(1));

        c.UndoClaim(Advocate, _clock);

        Assert.Equal(CaseStatus.Intake, c.Status);
        Assert.Null(c.AssignedAdvocateId);
        Assert.Null(c.FirstContactAtUtc);
        Assert.True(CaseRules.NewIntake.IsMetBy(c));
    }

    [Fact]
    public void A_claim_cannot_be_undone_late_or_by_someone_else()
    {
        var c = OpenCase(_clock);
        c.Claim(Advocate, _clock);

        Assert.Equal(ErrorCodes.CaseClaimNotUndoable, Assert.Throws<DomainException>(() => c.UndoClaim(OtherAdvocate, _clock)).Code);
        _clock.Advance(Case.ClaimUndoWindow + TimeSpan.FromSeconds(1));
        Assert.Equal(ErrorCodes.CaseClaimNotUndoable, Assert.Throws<DomainException>(() => c.UndoClaim(Advocate, _clock)).Code);
        Assert.Equal(Advocate, c.AssignedAdvocateId);
        Assert.Equal(CaseStatus.Assessment, c.Status);
    }

    [Fact]
    public void Undoing_the_claim_of_a_case_taken_up_before_keeps_its_stage_and_first_contact()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        var firstContact = c.FirstContactAtUtc;
        c.Release(Advocate);
        _clock.Advance(TimeSpan.FromDays(1));
        c.Claim(OtherAdvocate, _clock);

        c.UndoClaim(OtherAdvocate, _clock);

        Assert.Equal(CaseStatus.Assistance, c.Status);
        Assert.Null(c.AssignedAdvocateId);
        Assert.Equal(firstContact, c.FirstContactAtUtc);
    }
}
