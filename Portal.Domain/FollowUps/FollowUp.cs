using Portal.Domain.Common;
using Portal.Domain.Reminders;

namespace Portal.Domain.FollowUps;

/// <summary>A record of a due date that was moved, kept so reviews can see how often a check slipped and why.</summary>
public sealed class FollowUpMove
{
    private FollowUpMove()
    {
    }

    internal FollowUpMove(int sequence, DateTime fromDueAtUtc, DateTime toDueAtUtc, string reason, string byUserId, DateTime atUtc)
    {
        Sequence = sequence;
        FromDueAtUtc = fromDueAtUtc;
        ToDueAtUtc = toDueAtUtc;
        Reason = reason;
        ByUserId = byUserId;
        AtUtc = atUtc;
    }

    public int Sequence { get; private set; }

    public DateTime FromDueAtUtc { get; private set; }

    public DateTime ToDueAtUtc { get; private set; }

    public string Reason { get; private set; } = string.Empty;

    public string ByUserId { get; private set; } = string.Empty;

    public DateTime AtUtc { get; private set; }
}

/// <summary>A dated check on a case or one of its referrals, planned by the reminder policy or set by hand.</summary>
public sealed class FollowUp : VersionedEntity
{
    public const int TitleMaxLength = 200;
    public const int ReasonMaxLength = 2000;
    public const int NoteMaxLength = 4000;

    /// <summary>An ordinary check is done on the day it falls due; it counts as overdue a day later. Urgent ones cannot wait.</summary>
    public static readonly TimeSpan OverdueAfter = TimeSpan.FromDays(1);

    private readonly List<FollowUpMove> _moves = [];

    private FollowUp()
    {
    }

    public Guid Id { get; private set; }

    public Guid CaseId { get; private set; }

    public Guid? ReferralId { get; private set; }

    public FollowUpKind Kind { get; private set; }

    /// <summary>Free text for checks set by hand; policy checks are described by their kind.</summary>
    public string? Title { get; private set; }

    public DateTime DueAtUtc { get; private set; }

    /// <summary>Urgent checks are reminded at once, even outside working hours.</summary>
    public bool IsUrgent { get; private set; }

    public FollowUpSource Source { get; private set; }

    public FollowUpStatus Status { get; private set; }

    public DateTime? SnoozedUntilUtc { get; private set; }

    public string? SnoozeReason { get; private set; }

    public string? SnoozedBy { get; private set; }

    public DateTime? DoneAtUtc { get; private set; }

    public string? DoneBy { get; private set; }

    public string? DoneNote { get; private set; }

    public DateTime? CancelledAtUtc { get; private set; }

    public string? CancelledBy { get; private set; }

    public string? CancelReason { get; private set; }

    /// <summary>In no guaranteed order once loaded; order by <see cref="FollowUpMove.Sequence"/>.</summary>
    public IReadOnlyList<FollowUpMove> MovedHistory => _moves;

    public bool IsOpen => FollowUpRules.Open.IsMetBy(this);

    /// <summary>When the check actually falls due: the end of a snooze replaces the planned date.</summary>
    public DateTime EffectiveDueAtUtc => Status == FollowUpStatus.Snoozed && SnoozedUntilUtc is { } until ? until : DueAtUtc;

    public static FollowUp FromPlan(Guid caseId, Guid? referralId, PlannedFollowUp planned) =>
        Touched(new()
        {
            Id = Guid.CreateVersion7(),
            CaseId = caseId,
            ReferralId = referralId,
            Kind = Guard.Defined(planned.Kind, "Follow-up kind"),
            DueAtUtc = Guard.Utc(planned.DueAtUtc, nameof(planned.DueAtUtc)),
            IsUrgent = planned.IsUrgent,
            Source = FollowUpSource.Policy,
            Status = FollowUpStatus.Open,
        });

    public static FollowUp CreateManual(Guid caseId, Guid? referralId, FollowUpKind kind, string? title, DateTime dueAtUtc, bool isUrgent) =>
        Touched(new()
        {
            Id = Guid.CreateVersion7(),
            CaseId = caseId,
            ReferralId = referralId,
            Kind = Guard.Defined(kind, "Follow-up kind"),
            Title = kind == FollowUpKind.General
                ? Guard.Required(title, "A title for a general follow-up", TitleMaxLength)
                : Guard.Optional(title, "Title", TitleMaxLength),
            DueAtUtc = Guard.Utc(dueAtUtc, nameof(dueAtUtc)),
            IsUrgent = isUrgent,
            Source = FollowUpSource.Manual,
            Status = FollowUpStatus.Open,
        });

    public void Complete(string by, TimeProvider clock, string? note = null)
    {
        Guard.UserId(by, "The person completing the follow-up");
        EnsureOpen("complete");
        DoneNote = Guard.Optional(note, "Note", NoteMaxLength);
        DoneBy = by;
        DoneAtUtc = clock.GetUtcDateTime();
        Status = FollowUpStatus.Done;
        ClearSnooze();
        Touch();
    }

    /// <summary>Puts a check off until later without changing its planned date; the reason is kept.</summary>
    public void Snooze(DateTime untilUtc, string reason, string by, TimeProvider clock)
    {
        Guard.UserId(by, "The person snoozing the follow-up");
        EnsureOpen("snooze");
        var text = Guard.Required(reason, "A reason for snoozing", ReasonMaxLength);
        var until = Guard.Utc(untilUtc, nameof(untilUtc));
        var now = clock.GetUtcDateTime();
        if (until <= now)
        {
            throw new DomainException(
                ErrorCodes.FollowUpSnoozeNotInFuture,
                $"Cannot snooze the {Kind} follow-up until {until:yyyy-MM-dd HH:mm} UTC: that is not in the future.");
        }

        SnoozedUntilUtc = until;
        SnoozeReason = text;
        SnoozedBy = by;
        Status = FollowUpStatus.Snoozed;
        Touch();
    }

    /// <summary>Changes the planned date itself (a new appointment, say); this ends any snooze.</summary>
    public void Move(DateTime newDueAtUtc, string reason, string by, TimeProvider clock)
    {
        Guard.UserId(by, "The person moving the follow-up");
        EnsureOpen("move");
        var text = Guard.Required(reason, "A reason for moving the follow-up", ReasonMaxLength);
        var newDue = Guard.Utc(newDueAtUtc, nameof(newDueAtUtc));
        var sequence = _moves.Count == 0 ? 1 : _moves.Max(m => m.Sequence) + 1;
        _moves.Add(new FollowUpMove(sequence, DueAtUtc, newDue, text, by, clock.GetUtcDateTime()));
        DueAtUtc = newDue;
        Status = FollowUpStatus.Open;
        ClearSnooze();
        Touch();
    }

    public void Cancel(string reason, string by, TimeProvider clock)
    {
        Guard.UserId(by, "The person cancelling the follow-up");
        EnsureOpen("cancel");
        CancelReason = Guard.Required(reason, "A reason for cancelling", ReasonMaxLength);
        CancelledBy = by;
        CancelledAtUtc = clock.GetUtcDateTime();
        Status = FollowUpStatus.Cancelled;
        ClearSnooze();
        Touch();
    }

    /// <summary>Still open and its (effective) due moment has come: time to remind.</summary>
    public bool IsDue(DateTime utcNow) => IsOpen && utcNow >= EffectiveDueAtUtc;

    public bool IsOverdue(DateTime utcNow) => FollowUpRules.Overdue.IsMetBy(this, utcNow);

    private static FollowUp Touched(FollowUp created)
    {
        created.Touch();
        return created;
    }

    private void EnsureOpen(string attempt)
    {
        if (!IsOpen)
        {
            throw new DomainException(
                ErrorCodes.FollowUpInvalidTransition,
                $"Cannot {attempt} the {Kind} follow-up due {DueAtUtc:yyyy-MM-dd}: it is {Status}; only an Open or Snoozed follow-up allows this.");
        }
    }

    private void ClearSnooze()
    {
        SnoozedUntilUtc = null;
        SnoozeReason = null;
        SnoozedBy = null;
    }
}
