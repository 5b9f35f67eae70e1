using Portal.Domain.FollowUps;

namespace Portal.Domain.Reminders;

/// <summary>A check the policy wants, before it becomes a <see cref="FollowUp"/>.</summary>
public sealed record PlannedFollowUp(FollowUpKind Kind, DateTime DueAtUtc, bool IsUrgent);

/// <summary>How long after sending a referral a check falls due. Months are calendar months.</summary>
public readonly record struct FollowUpOffset(int Months, int Days, int Hours)
{
    public static FollowUpOffset FromHours(int hours) => new(0, 0, hours);

    public static FollowUpOffset FromDays(int days) => new(0, days, 0);

    public static FollowUpOffset FromWeeks(int weeks) => new(0, weeks * 7, 0);

    public static FollowUpOffset FromMonths(int months) => new(months, 0, 0);

    public DateTime ApplyTo(DateTime utc) => utc.AddMonths(Months).AddDays(Days).AddHours(Hours);
}
