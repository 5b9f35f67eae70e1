using System.Linq.Expressions;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.Countries;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;

namespace Portal.Domain.Reminders;

/// <summary>
/// When follow-ups fall due and when silence escalates to coordinators. Defaults follow published guidance:
/// post-exposure prophylaxis is only effective within 72 hours of an incident, medical checks at about 2 weeks,
/// 1, 3 and 6 months, a referral accepted within 3 working days, an unclaimed intake escalated after 24 hours.
/// Every value can be replaced (object initialiser) from configuration.
/// </summary>
public sealed class ReminderPolicy
{
    private static readonly IReadOnlyDictionary<ReferralType, IReadOnlyList<FollowUpOffset>> DefaultSchedules =
        new Dictionary<ReferralType, IReadOnlyList<FollowUpOffset>>
        {
            [ReferralType.Medical] =
                [FollowUpOffset.FromDays(14), FollowUpOffset.FromMonths(1), FollowUpOffset.FromMonths(3), FollowUpOffset.FromMonths(6)],
            [ReferralType.Psychosocial] = [FollowUpOffset.FromWeeks(1), FollowUpOffset.FromMonths(1), FollowUpOffset.FromMonths(3)],
            [ReferralType.Legal] = [FollowUpOffset.FromWeeks(2), FollowUpOffset.FromMonths(1), FollowUpOffset.FromMonths(3)],
            [ReferralType.PaternityAndChildSupport] = [FollowUpOffset.FromMonths(1), FollowUpOffset.FromMonths(3), FollowUpOffset.FromMonths(6)],
            [ReferralType.SkillsTrainingOrLivelihood] = [FollowUpOffset.FromMonths(1), FollowUpOffset.FromMonths(3), FollowUpOffset.FromMonths(6)],
            [ReferralType.Education] = [FollowUpOffset.FromMonths(1), FollowUpOffset.FromMonths(3)],
            [ReferralType.MaterialAssistance] = [FollowUpOffset.FromWeeks(1), FollowUpOffset.FromMonths(1)],
            [ReferralType.SafetyAndProtection] = [FollowUpOffset.FromHours(24), FollowUpOffset.FromWeeks(1)],
        };

    private static readonly IReadOnlyDictionary<ReferralType, FollowUpKind> CheckKinds =
        new Dictionary<ReferralType, FollowUpKind>
        {
            [ReferralType.Medical] = FollowUpKind.MedicalCheck,
            [ReferralType.Psychosocial] = FollowUpKind.PsychosocialCheck,
            [ReferralType.Legal] = FollowUpKind.LegalCheck,
            [ReferralType.PaternityAndChildSupport] = FollowUpKind.PaternityAndChildSupportCheck,
            [ReferralType.SkillsTrainingOrLivelihood] = FollowUpKind.LivelihoodCheck,
            [ReferralType.Education] = FollowUpKind.EducationCheck,
            [ReferralType.MaterialAssistance] = FollowUpKind.MaterialAssistanceCheck,
            [ReferralType.SafetyAndProtection] = FollowUpKind.SafetyCheck,
        };

    /// <summary>Working hours per country code; see <see cref="ForCountries"/>.</summary>
    public required IReadOnlyDictionary<string, CountryWorkingHours> WorkingHours { get; init; }

    public IReadOnlyDictionary<ReferralType, IReadOnlyList<FollowUpOffset>> Schedules { get; init; } = DefaultSchedules;

    public TimeSpan PostExposureProphylaxisWindow { get; init; } = TimeSpan.FromHours(72);

    /// <summary>How soon after sending a medical referral someone checks that prophylaxis was actually given.</summary>
    public TimeSpan PostExposureProphylaxisCheckAfter { get; init; } = TimeSpan.FromHours(4);

    public int AcceptanceWorkingDays { get; init; } = 3;

    public int UrgentAcceptanceWorkingDays { get; init; } = 1;

    /// <summary>Emergencies are not left to office hours: calendar time.</summary>
    public TimeSpan EmergencyAcceptanceWithin { get; init; } = TimeSpan.FromHours(4);

    /// <summary>Calendar time: a person waiting for a first contact does not stop waiting at weekends.</summary>
    public TimeSpan UnclaimedIntakeEscalatesAfter { get; init; } = TimeSpan.FromHours(24);

    public int FollowUpEscalationGraceWorkingDays { get; init; } = 2;

    /// <summary>What the person wrote and nobody working the case has read for this long (working days of the case's country) is reminded to its advocate.</summary>
    public int UnreadFromPersonRemindAfterWorkingDays { get; init; } = 1;

    /// <summary>A paternity claim under way that has not moved for this long is flagged (Portal:Paternity:StaleAfterDays).</summary>
    public TimeSpan PaternityClaimStaleAfter { get; init; } = DefaultPaternityClaimStaleAfter;

    public static TimeSpan DefaultPaternityClaimStaleAfter { get; } = TimeSpan.FromDays(180);

    /// <summary>The default policy for the default countries.</summary>
    public static ReminderPolicy Default { get; } = ForCountries(Countries.Countries.Defaults);

    /// <summary>
    /// Default timings with standard office hours in each country's reference time zone (the first listed; for the
    /// DR Congo, Kinshasa). Build it from the stored countries so a country added by an administrator is covered.
    /// </summary>
    public static ReminderPolicy ForCountries(IEnumerable<Country> countries) =>
        new()
        {
            WorkingHours = countries.ToDictionary(c => c.Code, c => CountryWorkingHours.Standard(c.PrimaryTimeZoneId), StringComparer.OrdinalIgnoreCase),
        };

    public CountryWorkingHours WorkingHoursFor(string countryCode) =>
        WorkingHours.TryGetValue(countryCode, out var hours)
            ? hours
            : throw new DomainException(ErrorCodes.NoWorkingHours, $"No working hours are configured for country {countryCode}.");

    /// <summary>
    /// The checks to plan when a referral is sent. Routine checks that would land outside the country's working
    /// hours move to the next opening; urgent ones (prophylaxis) keep their time.
    /// </summary>
    public IReadOnlyList<PlannedFollowUp> PlanFor(ReferralType type, DateTime sentAtUtc, DateOnly? incidentDate, string countryCode)
    {
        var sent = Guard.Utc(sentAtUtc, nameof(sentAtUtc));
        var hours = WorkingHoursFor(countryCode);
        var planned = new List<PlannedFollowUp>();

        if (type == ReferralType.Medical && incidentDate is { } incident && sent < PostExposureProphylaxisDeadline(incident, hours))
        {
            planned.Add(new PlannedFollowUp(FollowUpKind.PostExposureProphylaxisCheck, sent + PostExposureProphylaxisCheckAfter, IsUrgent: true));
        }

        var kind = CheckKinds[type];
        var offsets = Schedules.TryGetValue(type, out var configured) ? configured : [];
        planned.AddRange(offsets.Select(offset => new PlannedFollowUp(kind, hours.NextWorkingMoment(offset.ApplyTo(sent)), IsUrgent: false)));
        return planned.OrderBy(p => p.DueAtUtc).ToList();
    }

    public DateTime AcceptanceDueAt(string countryCode, DateTime sentAtUtc, ReferralUrgency urgency) => urgency switch
    {
        ReferralUrgency.Emergency => Guard.Utc(sentAtUtc, nameof(sentAtUtc)) + EmergencyAcceptanceWithin,
        ReferralUrgency.Urgent => AddWorkingDays(countryCode, sentAtUtc, UrgentAcceptanceWorkingDays),
        _ => AddWorkingDays(countryCode, sentAtUtc, AcceptanceWorkingDays),
    };

    public DateTime AddWorkingDays(string countryCode, DateTime fromUtc, int days) =>
        WorkingHoursFor(countryCode).AddWorkingDays(fromUtc, days);

    public bool IsWithinWorkingHours(string countryCode, DateTime utc) =>
        WorkingHoursFor(countryCode).IsWithinWorkingHours(utc);

    /// <summary>
    /// When to deliver a reminder to someone in <paramref name="timeZoneId"/>: now if it is working time there,
    /// otherwise at the next opening. Uses the hours of a country in that zone if one is configured, else standard hours.
    /// </summary>
    public DateTime NextWorkingMoment(string timeZoneId, DateTime utc)
    {
        var hours = WorkingHours.Values.FirstOrDefault(h => h.TimeZoneId == timeZoneId) ?? CountryWorkingHours.Standard(timeZoneId);
        return hours.NextWorkingMoment(utc);
    }

    /// <summary>An open follow-up left undone this many working days after it fell due goes to coordinators.</summary>
    public DateTime EscalationDueForFollowUp(string countryCode, FollowUp followUp) =>
        AddWorkingDays(countryCode, followUp.EffectiveDueAtUtc, FollowUpEscalationGraceWorkingDays);

    public DateTime UnclaimedIntakeEscalatesAt(DateTime createdUtc) =>
        Guard.Utc(createdUtc, nameof(createdUtc)) + UnclaimedIntakeEscalatesAfter;

    /// <summary>Stale paternity claims, for a query: under way and without movement for <see cref="PaternityClaimStaleAfter"/>.</summary>
    public Expression<Func<PaternityClaim, bool>> StaleClaims(DateTime utcNow) => PaternityClaimRules.NoMovementSince.For(utcNow - PaternityClaimStaleAfter);

    /// <summary>The same rule as <see cref="StaleClaims"/>, for one claim in memory.</summary>
    public bool IsStale(PaternityClaim claim, DateTime utcNow) => PaternityClaimRules.NoMovementSince.IsMetBy(claim, utcNow - PaternityClaimStaleAfter);

    /// <summary>
    /// The incident date has no time, so assume the latest possible moment (the end of that day, local time):
    /// better to check once too often than to miss a window that is still open.
    /// </summary>
    private DateTime PostExposureProphylaxisDeadline(DateOnly incidentDate, CountryWorkingHours hours)
    {
        var endOfDayLocal = incidentDate.AddDays(1).ToDateTime(TimeOnly.MinValue);
        return TimeZones.ToUtc(endOfDayLocal, hours.TimeZone) + PostExposureProphylaxisWindow;
    }
}
