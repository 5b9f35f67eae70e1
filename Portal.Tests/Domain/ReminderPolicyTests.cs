using Portal.Domain.Common;
using Portal.Domain.Countries;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

/// <summary>
/// Instants are exact. Bangui and Kinshasa are UTC+1 all year, Lubumbashi UTC+2; Port-au-Prince is UTC−5 and
/// switches to UTC−4 on Sunday 8 March 2026. 3 March 2026 is a Tuesday.
/// </summary>
public class ReminderPolicyTests
{
    private static readonly ReminderPolicy Policy = ReminderPolicy.Default;

    [Fact]
    public void A_medical_referral_within_72_hours_of_the_incident_gets_an_urgent_prophylaxis_check()
    {
        var plan = Policy.PlanFor(ReferralType.Medical, Utc(2026, 3, 3, 9), new DateOnly(2026, 3, 2), "CF");

        var pep = plan[0];
        Assert.Equal(FollowUpKind.PostExposureProphylaxisCheck, pep.Kind);
        Assert.True(pep.IsUrgent);
        Assert.Equal(Utc(2026, 3, 3, 13), pep.DueAtUtc);
    }

    [Fact]
    public void An_old_incident_gets_no_prophylaxis_check()
    {
        var plan = Policy.PlanFor(ReferralType.Medical, Utc(2026, 3, 3, 9), new DateOnly(2026, 2, 20), "CF");

        Assert.DoesNotContain(plan, p => p.Kind == FollowUpKind.PostExposureProphylaxisCheck);
    }

    [Fact]
    public void Without_an_incident_date_or_for_other_referrals_there_is_no_prophylaxis_check()
    {
        Assert.DoesNotContain(Policy.PlanFor(ReferralType.Medical, Utc(2026, 3, 3, 9), null, "CF"), p => p.IsUrgent);
        Assert.DoesNotContain(Policy.PlanFor(ReferralType.Psychosocial, Utc(2026, 3, 3, 9), new DateOnly(2026, 3, 2), "CF"), p => p.IsUrgent);
    }

    [Fact]
    public void The_72_hours_count_from_the_end_of_the_incident_day_in_the_country()
    {
        // Incident on 28 February: the day ends at 23:00 UTC in Bangui, so the window closes at 23:00 UTC on 3 March.
        var incident = new DateOnly(2026, 2, 28);

        Assert.Contains(Policy.PlanFor(ReferralType.Medical, Utc(2026, 3, 3, 22, 59), incident, "CF"), p => p.Kind == FollowUpKind.PostExposureProphylaxisCheck);
        Assert.DoesNotContain(Policy.PlanFor(ReferralType.Medical, Utc(2026, 3, 3, 23), incident, "CF"), p => p.Kind == FollowUpKind.PostExposureProphylaxisCheck);
    }

    [Fact]
    public void Medical_checks_fall_at_two_weeks_and_one_three_and_six_months()
    {
        var plan = Policy.PlanFor(ReferralType.Medical, Utc(2026, 3, 3, 9), null, "CF");

        Assert.All(plan, p => Assert.Equal(FollowUpKind.MedicalCheck, p.Kind));
        Assert.Equal(
            new[] { Utc(2026, 3, 17, 9), Utc(2026, 4, 3, 9), Utc(2026, 6, 3, 9), Utc(2026, 9, 3, 9) },
            plan.Select(p => p.DueAtUtc));
    }

    [Fact]
    public void A_routine_check_that_lands_on_a_weekend_moves_to_monday_opening()
    {
        // Sent Friday 6 March at 10:00 local; three months later is Saturday 6 June.
        var plan = Policy.PlanFor(ReferralType.Medical, Utc(2026, 3, 6, 9), null, "CF");

        Assert.Equal(Utc(2026, 6, 8, 7), plan[2].DueAtUtc);
    }

    [Fact]
    public void An_urgent_check_keeps_its_time_outside_working_hours()
    {
        // Sent Friday 16:30 local; the prophylaxis check at 20:30 local is not pushed to Monday.
        var plan = Policy.PlanFor(ReferralType.Medical, Utc(2026, 3, 6, 15, 30), new DateOnly(2026, 3, 5), "CF");

        Assert.Equal(Utc(2026, 3, 6, 19, 30), plan.Single(p => p.IsUrgent).DueAtUtc);
    }

    [Theory]
    [InlineData(ReferralType.Medical, FollowUpKind.MedicalCheck, 4)]
    [InlineData(ReferralType.Psychosocial, FollowUpKind.PsychosocialCheck, 3)]
    [InlineData(ReferralType.Legal, FollowUpKind.LegalCheck, 3)]
    [InlineData(ReferralType.PaternityAndChildSupport, FollowUpKind.PaternityAndChildSupportCheck, 3)]
    [InlineData(ReferralType.SkillsTrainingOrLivelihood, FollowUpKind.LivelihoodCheck, 3)]
    [InlineData(ReferralType.Education, FollowUpKind.EducationCheck, 2)]
    [InlineData(ReferralType.MaterialAssistance, FollowUpKind.MaterialAssistanceCheck, 2)]
    [InlineData(ReferralType.SafetyAndProtection, FollowUpKind.SafetyCheck, 2)]
    public void Every_referral_type_has_a_schedule(ReferralType type, FollowUpKind kind, int checks)
    {
        var plan = Policy.PlanFor(type, Utc(2026, 3, 3, 9), null, "SS");

        Assert.Equal(checks, plan.Count);
        Assert.All(plan, p => Assert.Equal(kind, p.Kind));
        Assert.Equal(plan.OrderBy(p => p.DueAtUtc), plan);
    }

    [Fact]
    public void A_safety_referral_is_checked_the_next_day()
    {
        var plan = Policy.PlanFor(ReferralType.SafetyAndProtection, Utc(2026, 3, 3, 9), null, "CF");

        Assert.Equal(Utc(2026, 3, 4, 9), plan[0].DueAtUtc);
    }

    [Fact]
    public void Acceptance_is_due_three_working_days_later_across_a_weekend_in_Bangui()
    {
        // Thursday 15:00 local → Tuesday 15:00 local.
        var due = Policy.AcceptanceDueAt("CF", Utc(2026, 3, 5, 14), ReferralUrgency.Routine);

        Assert.Equal(Utc(2026, 3, 10, 14), due);
        Assert.Equal(due, Policy.AddWorkingDays("CF", Utc(2026, 3, 5, 14), 3));
    }

    [Fact]
    public void Acceptance_is_due_three_working_days_later_across_a_weekend_in_Port_au_Prince()
    {
        // Thursday 5 February 15:00 EST → Tuesday 10 February 15:00 EST.
        Assert.Equal(Utc(2026, 2, 10, 20), Policy.AcceptanceDueAt("HT", Utc(2026, 2, 5, 20), ReferralUrgency.Routine));
    }

    [Fact]
    public void Acceptance_keeps_the_local_hour_across_the_daylight_saving_change_in_Port_au_Prince()
    {
        // Friday 6 March 10:00 EST → Wednesday 11 March 10:00 EDT, which is an hour earlier in UTC.
        Assert.Equal(Utc(2026, 3, 11, 14), Policy.AcceptanceDueAt("HT", Utc(2026, 3, 6, 15), ReferralUrgency.Routine));
    }

    [Fact]
    public void A_referral_sent_on_friday_evening_is_due_at_closing_time_three_working_days_after_monday_opening()
    {
        // Friday 18:00 local → clock starts Monday 08:00 → due Wednesday 17:00 local.
        Assert.Equal(Utc(2026, 3, 11, 16), Policy.AcceptanceDueAt("CF", Utc(2026, 3, 6, 17), ReferralUrgency.Routine));
    }

    [Fact]
    public void Urgent_referrals_are_due_in_one_working_day_and_emergencies_in_four_hours()
    {
        Assert.Equal(Utc(2026, 3, 4, 9), Policy.AcceptanceDueAt("CD", Utc(2026, 3, 3, 9), ReferralUrgency.Urgent));
        Assert.Equal(Utc(2026, 3, 7, 2), Policy.AcceptanceDueAt("CD", Utc(2026, 3, 6, 22), ReferralUrgency.Emergency));
    }

    [Fact]
    public void Friday_18_00_in_Port_au_Prince_waits_for_monday_08_00()
    {
        Assert.Equal(Utc(2026, 2, 9, 13), Policy.NextWorkingMoment("America/Port-au-Prince", Utc(2026, 2, 6, 23)));
    }

    [Fact]
    public void Monday_08_00_in_Port_au_Prince_after_the_switch_to_daylight_saving_is_an_hour_earlier_in_UTC()
    {
        Assert.Equal(Utc(2026, 3, 9, 12), Policy.NextWorkingMoment("America/Port-au-Prince", Utc(2026, 3, 6, 23)));
    }

    [Fact]
    public void Inside_working_hours_the_moment_is_kept_and_before_opening_it_waits_for_opening()
    {
        Assert.Equal(Utc(2026, 3, 10, 15, 17), Policy.NextWorkingMoment("America/Port-au-Prince", Utc(2026, 3, 10, 15, 17)));
        Assert.Equal(Utc(2026, 3, 10, 12), Policy.NextWorkingMoment("America/Port-au-Prince", Utc(2026, 3, 10, 10)));
    }

    [Fact]
    public void Reminders_follow_the_recipients_own_time_zone()
    {
        // 06:30 UTC is 08:30 in Lubumbashi but 07:30 in Kinshasa.
        Assert.Equal(Utc(2026, 3, 10, 6, 30), Policy.NextWorkingMoment("Africa/Lubumbashi", Utc(2026, 3, 10, 6, 30)));
        Assert.Equal(Utc(2026, 3, 10, 7), Policy.NextWorkingMoment("Africa/Kinshasa", Utc(2026, 3, 10, 6, 30)));
    }

    [Fact]
    public void Working_hours_start_at_08_00_and_end_before_17_00_on_weekdays()
    {
        Assert.True(Policy.IsWithinWorkingHours("HT", Utc(2026, 3, 9, 12)));
        Assert.True(Policy.IsWithinWorkingHours("HT", Utc(2026, 3, 9, 20, 59)));
        Assert.False(Policy.IsWithinWorkingHours("HT", Utc(2026, 3, 9, 21)));
        Assert.False(Policy.IsWithinWorkingHours("HT", Utc(2026, 3, 9, 11, 59)));
        Assert.False(Policy.IsWithinWorkingHours("HT", Utc(2026, 3, 7, 15)));
    }

    [Fact]
    public void The_Congo_uses_Kinshasa_as_its_reference_zone()
    {
        Assert.Equal("Africa/Kinshasa", Policy.WorkingHoursFor("CD").TimeZoneId);
    }

    [Fact]
    public void An_unclaimed_intake_escalates_after_24_hours_even_at_the_weekend()
    {
        Assert.Equal(Utc(2026, 3, 7, 20), Policy.UnclaimedIntakeEscalatesAt(Utc(2026, 3, 6, 20)));
    }

    [Fact]
    public void An_overdue_follow_up_escalates_after_two_working_days_of_grace()
    {
        var followUp = FollowUp.FromPlan(Guid.NewGuid(), null, new PlannedFollowUp(FollowUpKind.MedicalCheck, Utc(2026, 3, 6, 9), false));

        // Friday 10:00 local → Tuesday 10:00 local.
        Assert.Equal(Utc(2026, 3, 10, 9), Policy.EscalationDueForFollowUp("CF", followUp));
    }

    [Fact]
    public void A_country_without_working_hours_is_reported()
    {
        var ex = Assert.Throws<DomainException>(() => Policy.AcceptanceDueAt("FR", Utc(2026, 3, 3, 9), ReferralUrgency.Routine));

        Assert.Equal(ErrorCodes.NoWorkingHours, ex.Code);
    }

    [Fact]
    public void A_policy_built_from_stored_countries_covers_a_newly_added_country()
    {
        var colombia = Country.Create("CO", "Colombia", ["America/Bogota"], ["es"], isFieldCountry: false);

        var policy = ReminderPolicy.ForCountries([.. Countries.Defaults, colombia]);

        Assert.Equal("America/Bogota", policy.WorkingHoursFor("CO").TimeZoneId);
    }

    [Fact]
    public void Timings_are_configurable()
    {
        var policy = new ReminderPolicy
        {
            WorkingHours = Policy.WorkingHours,
            AcceptanceWorkingDays = 5,
            UnclaimedIntakeEscalatesAfter = TimeSpan.FromHours(12),
            Schedules = new Dictionary<ReferralType, IReadOnlyList<FollowUpOffset>> { [ReferralType.Medical] = [FollowUpOffset.FromDays(7)] },
        };

        Assert.Equal(Utc(2026, 3, 10, 9), policy.AcceptanceDueAt("CF", Utc(2026, 3, 3, 9), ReferralUrgency.Routine));
        Assert.Equal(Utc(2026, 3, 3, 21), policy.UnclaimedIntakeEscalatesAt(Utc(2026, 3, 3, 9)));
        Assert.Equal(Utc(2026, 3, 10, 9), Assert.Single(policy.PlanFor(ReferralType.Medical, Utc(2026, 3, 3, 9), null, "CF")).DueAtUtc);
    }

    [Fact]
    public void Working_hours_must_be_coherent()
    {
        Assert.Throws<DomainException>(() => new CountryWorkingHours("Africa/Bangui", new TimeOnly(17, 0), new TimeOnly(8, 0), [DayOfWeek.Monday]));
        Assert.Throws<DomainException>(() => new CountryWorkingHours("Africa/Bangui", new TimeOnly(8, 0), new TimeOnly(17, 0), []));
        Assert.Equal(
            ErrorCodes.UnknownTimeZone,
            Assert.Throws<DomainException>(() => CountryWorkingHours.Standard("Africa/Atlantis")).Code);
    }

    [Fact]
    public void An_opening_hour_inside_the_spring_forward_gap_does_not_fail()
    {
        // On 8 March 2026 Port-au-Prince jumps from 02:00 to 03:00, so 02:30 does not exist that day.
        var hours = new CountryWorkingHours("America/Port-au-Prince", new TimeOnly(2, 30), new TimeOnly(17, 0), Enum.GetValues<DayOfWeek>());

        Assert.Equal(Utc(2026, 3, 8, 7, 30), hours.NextWorkingMoment(Utc(2026, 3, 8, 6)));
    }

    [Fact]
    public void Local_times_are_refused_where_utc_is_expected()
    {
        Assert.Throws<ArgumentException>(() => Policy.UnclaimedIntakeEscalatesAt(new DateTime(2026, 3, 3, 9, 0, 0, DateTimeKind.Local)));
    }
}
