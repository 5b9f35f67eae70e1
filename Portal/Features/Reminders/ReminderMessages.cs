using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Notifications;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Resources;
using Portal.Components.Shared;

namespace Portal.Features.Reminders;

/// <summary>Marker for the reminders' resource files (ReminderText.resx, ReminderText.fr.resx).</summary>
public sealed class ReminderText;

/// <summary>
/// The words of a notification, in a given language. Built only from the kind, enum values, the case number, dates
/// and the recipient's own name: never a survivor's name, contact details or any free text from the case.
/// </summary>
public sealed class ReminderMessages(
    IStringLocalizer<ReminderText> text,
    IStringLocalizer<SharedResource> shared,
    ReminderPolicy policy,
    TimeProvider clock,
    IOptions<ReminderOptions> options,
    IOptions<EmailOptions> email)
{
    public const int DigestLineLimit = 200;

    /// <summary>The one-line title, in the current UI culture.</summary>
    public string Title(NotificationKind kind, FollowUpKind? followUpKind, ReferralType? referralType, int? itemCount) => kind switch
    {
        NotificationKind.FollowUpDue => text["Title_FollowUpDue", KindLabel(followUpKind)],
        NotificationKind.FollowUpOverdue => text["Title_FollowUpOverdue", KindLabel(followUpKind)],
        NotificationKind.ReferralNotAccepted => text["Title_ReferralNotAccepted", TypeLabel(referralType)],
        NotificationKind.ReferralNotAcceptedEscalation => text["Title_ReferralNotAcceptedEscalation", TypeLabel(referralType)],
        NotificationKind.IntakeUnclaimed => text["Title_IntakeUnclaimed"],
        NotificationKind.PaternityClaimsDigest => text["Title_PaternityClaimsDigest", itemCount ?? 0],
        NotificationKind.PersonWrote => text["Title_PersonWrote"],
        NotificationKind.PersonWroteUnread => text["Title_PersonWroteUnread"],
        NotificationKind.BacklogDigest => text["Title_BacklogDigest", itemCount ?? 0, (int)options.Value.InitialLookback.TotalDays],
        _ => kind.ToString(),
    };

    public string Title(Notification n) => Title(n.Kind, n.FollowUpKind, n.ReferralType, n.ItemCount);

    public string KindLabel(FollowUpKind? kind) => kind is { } k ? text[$"FollowUpKind_{k}"] : "";

    public string TypeLabel(ReferralType? type) => type is { } t ? text[$"ReferralType_{t}"] : "";

    internal async Task<MimeMessage> ComposeEmailAsync(PortalDbContext db, Notification notification, Recipient recipient, CancellationToken cancellationToken)
    {
        var digest = notification.Kind == NotificationKind.PaternityClaimsDigest ? await StaleClaimsAsync(db, cancellationToken) : [];
        using var _ = new UiCulture(recipient.PreferredLanguage);
        var title = Title(notification);
        var body = new StringBuilder();
        body.AppendLine(text["Email_Greeting", recipient.DisplayName]).AppendLine();
        if (notification.IsUrgent)
        {
            body.AppendLine(text["Email_Urgent"]);
        }

        body.AppendLine(title);
        if (notification.CaseNumber is { } number)
        {
            body.AppendLine(text["Email_Case", number]);
            body.AppendLine(text["Email_Due", TimeZones.Describe(notification.DueAtUtc, recipient.TimeZoneId)]);
            if (notification.IsEscalation && notification.Kind is NotificationKind.FollowUpDue or NotificationKind.ReferralNotAccepted)
            {
                body.AppendLine(text["Email_Unassigned"]);
            }

            body.AppendLine().AppendLine(text["Email_Open", options.Value.CaseLink(number)]);
        }
        else
        {
            body.AppendLine();
            if (notification.Kind == NotificationKind.BacklogDigest)
            {
                body.AppendLine(text["Email_BacklogDigest"]);
            }

            foreach (var line in digest)
            {
                body.AppendLine(text["Email_DigestLine", line.CaseNumber, shared.Of(line.Status), line.DaysWithoutMovement]);
                body.AppendLine("  " + options.Value.CaseLink(line.CaseNumber));
            }

            body.AppendLine().AppendLine(text["Email_OpenNotifications", options.Value.NotificationsLink()]);
        }

        body.AppendLine().AppendLine(text["Email_Footer"]);

        return PortalMail.Compose(
            email.Value,
            recipient.DisplayName,
            recipient.EmailAddress ?? throw new InvalidOperationException("The recipient has no e-mail address."),
            notification.CaseNumber is { } caseNumber ? $"[{caseNumber}] {title}" : title,
            body.ToString(),
            message =>
            {
                message.MessageId = MessageIds.For(notification.DeliveryKey, options.Value.MessageIdDomain);
                message.Date = new DateTimeOffset(notification.DeliverAfterUtc, TimeSpan.Zero);
            });
    }

    private async Task<List<DigestLine>> StaleClaimsAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcDateTime();
        var claims = await db.PaternityClaims.AsNoTracking()
            .Where(policy.StaleClaims(now))
            .OrderBy(p => p.LastMovementAtUtc)
            .Take(DigestLineLimit)
            .Join(db.Cases, p => p.CaseId, c => c.Id, (p, c) => new { c.Number, p.Status, p.LastMovementAtUtc })
            .ToListAsync(cancellationToken);
        return claims.Select(c => new DigestLine(c.Number, c.Status, (int)(now - c.LastMovementAtUtc).TotalDays)).ToList();
    }

    private sealed record DigestLine(string CaseNumber, PaternityClaimStatus Status, int DaysWithoutMovement);
}
