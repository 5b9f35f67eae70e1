using Portal.Domain.Common;

namespace Portal.Domain.Reminders;

/// <summary>
/// When an office works, in its own time zone. All arithmetic is done on the local wall clock and converted back,
/// so deadlines stay at the same local hour across daylight-saving changes (Port-au-Prince observes DST).
/// Public holidays are not modelled.
/// </summary>
public sealed class CountryWorkingHours
{
    private static readonly DayOfWeek[] MondayToFriday =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    private readonly TimeZoneInfo _zone;
    private readonly HashSet<DayOfWeek> _workingDays;

    public CountryWorkingHours(string timeZoneId, TimeOnly start, TimeOnly end, IEnumerable<DayOfWeek> workingDays)
    {
        _zone = TimeZones.Find(timeZoneId);
        _workingDays = workingDays.Select(d => Guard.Defined(d, "Working day")).ToHashSet();
        if (_workingDays.Count == 0)
        {
            throw new DomainException(ErrorCodes.Required, $"Working hours in {timeZoneId} need at least one working day.");
        }

        if (end <= start)
        {
            throw new DomainException(
                ErrorCodes.DateOrder,
                $"Working hours in {timeZoneId} must end after they start; got {start:HH\\:mm}–{end:HH\\:mm}.");
        }

        TimeZoneId = timeZoneId;
        Start = start;
        End = end;
    }

    public string TimeZoneId { get; }

    public TimeZoneInfo TimeZone => _zone;

    public TimeOnly Start { get; }

    public TimeOnly End { get; }

    public IReadOnlySet<DayOfWeek> WorkingDays => _workingDays;

    /// <summary>08:00–17:00, Monday to Friday.</summary>
    public static CountryWorkingHours Standard(string timeZoneId) =>
        new(timeZoneId, new TimeOnly(8, 0), new TimeOnly(17, 0), MondayToFriday);

    public bool IsWithinWorkingHours(DateTime utc)
    {
        var local = ToLocal(utc);
        var time = TimeOnly.FromDateTime(local);
        return _workingDays.Contains(local.DayOfWeek) && time >= Start && time < End;
    }

    /// <summary>The instant itself if the office is working then, otherwise the next opening.</summary>
    public DateTime NextWorkingMoment(DateTime utc)
    {
        var instant = Guard.Utc(utc, nameof(utc));
        if (IsWithinWorkingHours(instant))
        {
            return instant;
        }

        var local = ToLocal(instant);
        var date = DateOnly.FromDateTime(local);
        var opensToday = _workingDays.Contains(local.DayOfWeek) && TimeOnly.FromDateTime(local) < Start;
        return ToUtc((opensToday ? date : NextWorkingDay(date)).ToDateTime(Start));
    }

    /// <summary>
    /// Adds working time: <paramref name="days"/> full working days of office hours, counted from the next working
    /// moment. A referral sent on Thursday at 15:00 is due on Tuesday at 15:00; one sent on Friday evening is due on
    /// Wednesday at closing time.
    /// </summary>
    public DateTime AddWorkingDays(DateTime fromUtc, int days)
    {
        if (days < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, "Working days to add cannot be negative.");
        }

        var cursor = ToLocal(NextWorkingMoment(fromUtc));
        var remaining = (End - Start) * days;
        while (true)
        {
            var date = DateOnly.FromDateTime(cursor);
            var available = date.ToDateTime(End) - cursor;
            if (remaining <= available)
            {
                return ToUtc(cursor + remaining);
            }

            remaining -= available;
            cursor = NextWorkingDay(date).ToDateTime(Start);
        }
    }

    private DateOnly NextWorkingDay(DateOnly date)
    {
        var next = date.AddDays(1);
        while (!_workingDays.Contains(next.DayOfWeek))
        {
            next = next.AddDays(1);
        }

        return next;
    }

    private DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(Guard.Utc(utc, nameof(utc)), _zone);

    private DateTime ToUtc(DateTime local) => TimeZones.ToUtc(local, _zone);
}
