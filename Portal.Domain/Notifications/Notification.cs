using System.Globalization;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;

namespace Portal.Domain.Notifications;

/// <summary>What a notification is about. Reminders go to the case's advocate; escalations and digests to coordinators.</summary>
public enum NotificationKind
{
    FollowUpDue,
    FollowUpOverdue,
    ReferralNotAccepted,
    ReferralNotAcceptedEscalation,
    IntakeUnclaimed,
    PaternityClaimsDigest,

    /// <summary>The person wrote through the status page (at once, in-app, to the case's advocate).</summary>
    PersonWrote,

    /// <summary>What the person wrote is still unread after the policy's time (working hours apply).</summary>
    PersonWroteUnread,
}

public enum NotificationChannel
{
    InApp,
    Email,
}

/// <summary>
/// Pending until delivered on its channel; Skipped when, at delivery time, it no longer makes sense (the check was
/// done, the referral answered, the recipient disabled or left without an e-mail address).
/// </summary>
public enum NotificationStatus
{
    Pending,
    Delivered,
    Skipped,
}

public enum NotificationSkipReason
{
    NoLongerDue,
    RecipientUnavailable,
    NoEmailAddress,
    CaseClosed,
}

/// <summary>
/// One message to one staff member on one channel, and the ledger entry that makes its delivery happen exactly once:
/// <see cref="DeliveryKey"/> (what, for whom, which channel, which due moment) is unique, so planning the same reminder
/// twice (overlapping scans, a retry, a restart) adds nothing, and delivering flips this row in the same transaction
/// that makes the message visible. Carries ids, enum values and the case number only, never anything that identifies
/// the person or any free text from the case.
/// </summary>
public sealed class Notification
{
    public const int DeliveryKeyMaxLength = 200;
    public const int MessageIdMaxLength = 200;
    public const int WorkerNodeMaxLength = 200;

    private Notification()
    {
    }

    public Guid Id { get; private set; }

    public string DeliveryKey { get; private set; } = string.Empty;

    public NotificationKind Kind { get; private set; }

    public NotificationChannel Channel { get; private set; }

    public string RecipientUserId { get; private set; } = string.Empty;

    /// <summary>The case it is about; null for a digest across cases.</summary>
    public Guid? CaseId { get; private set; }

    public string? CaseNumber { get; private set; }

    public string? CountryCode { get; private set; }

    /// <summary>The follow-up, referral or case whose deadline it announces.</summary>
    public Guid? SubjectId { get; private set; }

    public FollowUpKind? FollowUpKind { get; private set; }

    public ReferralType? ReferralType { get; private set; }

    /// <summary>The deadline that fell due; part of the key, so a snoozed or moved check is reminded again at its new time.</summary>
    public DateTime DueAtUtc { get; private set; }

    public bool IsUrgent { get; private set; }

    /// <summary>Not before this moment: the start of the recipient's working hours for routine messages, at once for urgent ones.</summary>
    public DateTime DeliverAfterUtc { get; private set; }

    public NotificationStatus Status { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    /// <summary>When a delivery job was last queued for it; a job lost in a crash is queued again after a while.</summary>
    public DateTime? DispatchedAtUtc { get; private set; }

    public int DispatchCount { get; private set; }

    /// <summary>
    /// The portal node that has the message in hand: the one that queued it, then the one whose worker took it up. When
    /// that node dies the message is queued again at once instead of after the redispatch delay, and its claim (below)
    /// may be taken over.
    /// </summary>
    public string? WorkerNode { get; private set; }

    /// <summary>A worker sending on a channel that cannot share our transaction (SMTP) holds the message until then.</summary>
    public DateTime? ClaimedUntilUtc { get; private set; }

    /// <summary>The node whose worker holds the claim: once that node is known to be gone, the claim may be taken over.</summary>
    public string? ClaimedBy { get; private set; }

    public DateTime? DeliveredAtUtc { get; private set; }

    public DateTime? ReadAtUtc { get; private set; }

    public NotificationSkipReason? SkipReason { get; private set; }

    /// <summary>For e-mails: the Message-ID, derived from the delivery key so that a rare duplicate is recognisable.</summary>
    public string? MessageId { get; private set; }

    /// <summary>For digests: how many items it listed.</summary>
    public int? ItemCount { get; private set; }

    /// <summary>Concurrency token: of two workers delivering the same message, exactly one commits.</summary>
    public Guid Version { get; private set; }

    /// <summary>Sent to coordinators: overdue work, an unassigned case's deadline, an unclaimed intake, the weekly digest.</summary>
    public bool IsEscalation { get; private set; }

    public bool IsUnread => Status == NotificationStatus.Delivered && ReadAtUtc is null;

    /// <summary>
    /// The unique key of one delivery: kind, subject, recipient, channel and due moment (to the second, UTC). Made of
    /// letters, digits, '-' and '_' only, so it doubles as a file name.
    /// </summary>
    public static string KeyFor(NotificationKind kind, Guid? subjectId, string recipientUserId, NotificationChannel channel, DateTime dueAtUtc)
    {
        var recipient = new string(Guard.UserId(recipientUserId, "Recipient").Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_').ToArray());
        var key = string.Join(
            '_',
            kind.ToString(),
            subjectId?.ToString("N") ?? "all",
            recipient,
            channel.ToString(),
            Guard.Utc(dueAtUtc, nameof(dueAtUtc)).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        if (key.Length > DeliveryKeyMaxLength)
        {
            throw new DomainException(ErrorCodes.InvalidValue, $"The delivery key for recipient {recipientUserId} is longer than {DeliveryKeyMaxLength} characters.");
        }

        return key;
    }

    public static Notification Plan(
        NotificationKind kind,
        NotificationChannel channel,
        string recipientUserId,
        NotificationSubject subject,
        DateTime dueAtUtc,
        bool isEscalation,
        bool isUrgent,
        DateTime deliverAfterUtc,
        TimeProvider clock) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            DeliveryKey = KeyFor(Guard.Defined(kind, "Notification kind"), subject.SubjectId, recipientUserId, Guard.Defined(channel, "Channel"), dueAtUtc),
            Kind = kind,
            Channel = channel,
            RecipientUserId = recipientUserId,
            CaseId = subject.CaseId,
            CaseNumber = subject.CaseNumber,
            CountryCode = subject.CountryCode,
            SubjectId = subject.SubjectId,
            FollowUpKind = subject.FollowUpKind,
            ReferralType = subject.ReferralType,
            ItemCount = subject.ItemCount,
            DueAtUtc = Guard.Utc(dueAtUtc, nameof(dueAtUtc)),
            IsEscalation = isEscalation,
            IsUrgent = isUrgent,
            DeliverAfterUtc = Guard.Utc(deliverAfterUtc, nameof(deliverAfterUtc)),
            Status = NotificationStatus.Pending,
            CreatedAtUtc = clock.GetUtcDateTime(),
            Version = Guid.NewGuid(),
        };

    /// <summary>
    /// Takes the message for the worker on <paramref name="workerNode"/> until <paramref name="leaseUntilUtc"/>. False when
    /// it is no longer pending or another worker holds an unexpired claim, unless the node holding it is known to be gone
    /// (<paramref name="holderGone"/>: a dead node sends nothing more). The save that follows fails for the slower of two
    /// simultaneous claims.
    /// </summary>
    public bool TryClaim(DateTime nowUtc, DateTime leaseUntilUtc, string workerNode, Func<string, bool>? holderGone = null)
    {
        var heldByOther = ClaimedUntilUtc is { } until && until > nowUtc
            && !(ClaimedBy is { } holder && holder != workerNode && holderGone?.Invoke(holder) == true);
        if (Status != NotificationStatus.Pending || heldByOther)
        {
            return false;
        }

        ClaimedUntilUtc = Guard.Utc(leaseUntilUtc, nameof(leaseUntilUtc));
        ClaimedBy = WorkerNode = Guard.Required(workerNode, "Worker node", WorkerNodeMaxLength);
        Touch();
        return true;
    }

    /// <summary>A worker on <paramref name="workerNode"/> takes the message up (it was queued by another node).</summary>
    public void HandTo(string workerNode)
    {
        EnsurePending("hand over");
        if (WorkerNode != workerNode)
        {
            WorkerNode = Guard.Required(workerNode, "Worker node", WorkerNodeMaxLength);
            Touch();
        }
    }

    /// <summary>Gives a claim back after a failed attempt, so the next one need not wait for the lease to run out.</summary>
    public void ReleaseClaim()
    {
        if (Status == NotificationStatus.Pending && ClaimedUntilUtc is not null)
        {
            ClaimedUntilUtc = null;
            ClaimedBy = null;
            Touch();
        }
    }

    public void Deliver(DateTime nowUtc, string? messageId = null)
    {
        EnsurePending("deliver");
        Status = NotificationStatus.Delivered;
        DeliveredAtUtc = Guard.Utc(nowUtc, nameof(nowUtc));
        MessageId = Guard.Optional(messageId, "Message-ID", MessageIdMaxLength);
        ClaimedUntilUtc = null;
        ClaimedBy = null;
        Touch();
    }

    public void Skip(NotificationSkipReason reason, DateTime nowUtc)
    {
        EnsurePending("skip");
        Status = NotificationStatus.Skipped;
        SkipReason = Guard.Defined(reason, "Skip reason");
        DeliveredAtUtc = null;
        ClaimedUntilUtc = null;
        ClaimedBy = null;
        _ = Guard.Utc(nowUtc, nameof(nowUtc));
        Touch();
    }

    /// <summary>Reading twice keeps the first moment; only a delivered in-app message can be read.</summary>
    public void MarkRead(DateTime nowUtc)
    {
        if (Channel != NotificationChannel.InApp || Status != NotificationStatus.Delivered)
        {
            throw new DomainException(
                ErrorCodes.NotificationNotReadable,
                $"Cannot mark the {Kind} notification as read: only a delivered in-app notification can be read; this one is {Channel}, {Status}.");
        }

        ReadAtUtc ??= Guard.Utc(nowUtc, nameof(nowUtc));
    }

    private void EnsurePending(string attempt)
    {
        if (Status != NotificationStatus.Pending)
        {
            throw new DomainException(
                ErrorCodes.NotificationNotPending,
                $"Cannot {attempt} the {Kind} notification {DeliveryKey}: it is already {Status}.");
        }
    }

    private void Touch() => Version = Guid.NewGuid();
}

/// <summary>What a notification points at; <see cref="ForDigest"/> for messages about many cases.</summary>
public sealed record NotificationSubject(
    Guid? CaseId,
    string? CaseNumber,
    string? CountryCode,
    Guid? SubjectId,
    FollowUpKind? FollowUpKind = null,
    ReferralType? ReferralType = null,
    int? ItemCount = null)
{
    public static NotificationSubject ForDigest(int itemCount) => new(null, null, null, null, ItemCount: itemCount);
}
