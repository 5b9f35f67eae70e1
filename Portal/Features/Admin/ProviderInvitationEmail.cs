using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Domain.Common;
using Portal.Features.Account;
using Portal.Features.Reminders;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Security;
using Portal.Resources;

namespace Portal.Features.Admin;

/// <summary>
/// The e-mail that invites a provider's staff member, in their language, with their one-time enrolment link. Handed to
/// the mail system at once rather than queued as a notification: the link's secret is stored nowhere, so a job could not
/// write the message later.
/// </summary>
public sealed class ProviderInvitationEmail(IEmailTransport transport, IStringLocalizer<AdminText> text, IOptions<ReminderOptions> portal, IOptions<EmailOptions> email)
{
    public async Task SendAsync(StaffUser user, string providerName, string token, DateTimeOffset validUntil, CancellationToken cancellationToken = default)
    {
        // Each invitation is a new delivery: the pickup folder would take a second send under the same key for a repeat.
        var deliveryKey = $"invitation-{Guid.NewGuid():N}";
        using var message = Compose(user, providerName, EnrolmentLinkService.Link(portal.Value.PublicBaseUrl, token), validUntil);
        message.MessageId = MessageIds.For(deliveryKey, portal.Value.MessageIdDomain);
        await transport.SendAsync(message, deliveryKey, cancellationToken);
    }

    private MimeMessage Compose(StaffUser user, string providerName, string link, DateTimeOffset validUntil)
    {
        using var _ = new UiCulture(user.PreferredLanguage);
        var body = new StringBuilder()
            .AppendLine(text["Invitation_Greeting", user.DisplayName]).AppendLine()
            .AppendLine(text["Invitation_Intro", providerName]).AppendLine()
            .AppendLine(text["Invitation_Link"])
            .AppendLine(link).AppendLine()
            .AppendLine(text["Invitation_Expires", TimeZones.Describe(validUntil.UtcDateTime, user.TimeZoneId)]).AppendLine()
            .AppendLine(text["Invitation_Ignore"]);

        return PortalMail.Compose(
            email.Value,
            user.DisplayName,
            user.Email ?? throw new InvalidOperationException("The invited account has no e-mail address."),
            text["Invitation_Subject"],
            body.ToString());
    }
}
