using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Reminders;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

public class FollowUpTests
{
    private static readonly DateTime Due = Utc(2026, 3, 10, 9);

    private readonly FakeTimeProvider _clock = NewClock();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Snoozing_needs_a_reason(string? reason)
    {
        var followUp = Planned();

        var ex = Assert.Throws<DomainException>(() => followUp.Snooze(Due.AddDays(2), reason!, Advocate, _clock));

        Assert.Equal(ErrorCodes.Required, ex.Code);
        Assert.Equal(FollowUpStatus.Open, followUp.Status);
    }

    [Fact]
    public void Snoozing_until_a_past_moment_is_refused()
    {
        var followUp = Planned();

        var ex = Assert.Throws<DomainException>(() => followUp.Snooze(Start.UtcDateTime, "Clinic closed", Advocate, _clock));

        Assert.Equal(ErrorCodes.FollowUpSnoozeNotInFuture, ex.Code);
    }

    [Fact]
    public void A_snoozed_check_falls_due_when_the_snooze_ends()
    {
        var followUp = Planned();

        followUp.Snooze(Due.AddDays(2), "The person is travelling.", Advocate, _clock);

        Assert.Equal(FollowUpStatus.Snoozed, followUp.Status);
        Assert.Equal("The person is travelling.", followUp.SnoozeReason);
        Assert.Equal(Due, followUp.DueAtUtc);
        Assert.Equal(Due.AddDays(2), followUp.EffectiveDueAtUtc);
        Assert.False(followUp.IsDue(Due.AddDays(1)));
        Assert.True(followUp.IsDue(Due.AddDays(2)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Moving_needs_a_reason(string? reason)
    {
        var followUp = Planned();

        var ex = Assert.Throws<DomainException>(() => followUp.Move(Due.AddDays(7), reason!, Advocate, _clock));

        Assert.Equal(ErrorCodes.Required, ex.Code);
        Assert.Equal(Due, followUp.DueAtUtc);
        Assert.Empty(followUp.MovedHistory);
    }

    [Fact]
    public void Moving_changes_the_due_date_keeps_history_and_ends_a_snooze()
    {
        var followUp = Planned();
        followUp.Snooze(Due.AddDays(1), "Waiting for the lab.", Advocate, _clock);

        followUp.Move(Due.AddDays(7), "New appointment at the clinic.", OtherAdvocate, _clock);

        Assert.Equal(Due.AddDays(7), followUp.DueAtUtc);
        Assert.Equal(FollowUpStatus.Open, followUp.Status);
        Assert.Null(followUp.SnoozedUntilUtc);
        var move = Assert.Single(followUp.MovedHistory);
        Assert.Equal(Due, move.FromDueAtUtc);
        Assert.Equal(Due.AddDays(7), move.ToDueAtUtc);
        Assert.Equal("New appointment at the clinic.", move.Reason);
        Assert.Equal(OtherAdvocate, move.ByUserId);
    }

    [Fact]
    public void Completing_records_who_and_when_and_closes_the_check()
    {
        var followUp = Planned();
        _clock.Advance(TimeSpan.FromDays(7));

        followUp.Complete(Advocate, _clock, "Seen by the nurse.");

        Assert.Equal(FollowUpStatus.Done, followUp.Status);
        Assert.Equal(Advocate, followUp.DoneBy);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, followUp.DoneAtUtc);
        Assert.False(followUp.IsDue(Due.AddDays(30)));
        Assert.False(followUp.IsOverdue(Due.AddDays(30)));
    }

    [Fact]
    public void A_done_or_cancelled_check_cannot_be_changed()
    {
        var done = Planned();
        done.Complete(Advocate, _clock);
        var cancelled = Planned();
        cancelled.Cancel("Referral withdrawn.", Advocate, _clock);

        foreach (var followUp in new[] { done, cancelled })
        {
            Assert.Equal(ErrorCodes.FollowUpInvalidTransition, Assert.Throws<DomainException>(() => followUp.Complete(Advocate, _clock)).Code);
            Assert.Equal(ErrorCodes.FollowUpInvalidTransition, Assert.Throws<DomainException>(() => followUp.Snooze(Due, "x", Advocate, _clock)).Code);
            Assert.Equal(ErrorCodes.FollowUpInvalidTransition, Assert.Throws<DomainException>(() => followUp.Move(Due, "x", Advocate, _clock)).Code);
            Assert.Equal(ErrorCodes.FollowUpInvalidTransition, Assert.Throws<DomainException>(() => followUp.Cancel("x", Advocate, _clock)).Code);
        }
    }

    [Fact]
    public void Cancelling_needs_a_reason()
    {
        var followUp = Planned();

        Assert.Equal(ErrorCodes.Required, Assert.Throws<DomainException>(() => followUp.Cancel(" ", Advocate, _clock)).Code);
        Assert.Equal(FollowUpStatus.Open, followUp.Status);
    }

    [Fact]
    public void An_ordinary_check_is_due_at_its_time_and_overdue_a_day_later()
    {
        var followUp = Planned();

        Assert.False(followUp.IsDue(Due.AddMinutes(-1)));
        Assert.True(followUp.IsDue(Due));
        Assert.False(followUp.IsOverdue(Due.AddHours(23)));
        Assert.True(followUp.IsOverdue(Due.AddDays(1)));
    }

    [Fact]
    public void An_urgent_check_is_overdue_as_soon_as_it_is_due()
    {
        var followUp = FollowUp.FromPlan(Guid.NewGuid(), null, new PlannedFollowUp(FollowUpKind.PostExposureProphylaxisCheck, Due, IsUrgent: true));

        Assert.False(followUp.IsOverdue(Due.AddMinutes(-1)));
        Assert.True(followUp.IsOverdue(Due));
    }

    [Fact]
    public void A_general_check_set_by_hand_needs_a_title()
    {
        var ex = Assert.Throws<DomainException>(() => FollowUp.CreateManual(Guid.NewGuid(), null, FollowUpKind.General, null, Due, false));
        var manual = FollowUp.CreateManual(Guid.NewGuid(), null, FollowUpKind.General, "Call about school fees", Due, false);

        Assert.Equal(ErrorCodes.Required, ex.Code);
        Assert.Equal(FollowUpSource.Manual, manual.Source);
        Assert.Equal("Call about school fees", manual.Title);
    }

    private static FollowUp Planned() =>
        FollowUp.FromPlan(Guid.NewGuid(), Guid.NewGuid(), new PlannedFollowUp(FollowUpKind.MedicalCheck, Due, IsUrgent: false));
}
