using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

/// <summary>
/// "New" means an intake nobody has taken up: not a case someone released further on. A claim undone within its
/// window makes the case a new intake again (the undo itself: CaseAssignmentAndActionsTests).
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
    public void A_claim_undone_within_its_window_leaves_a_new_intake_again()
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
}
