using System.Globalization;
using MimeKit;

namespace Portal.Infrastructure.Email;

/// <summary>How every e-mail the portal writes is put together: plain text, from the configured sender, marked as sent by a machine, in the current UI language.</summary>
public static class PortalMail
{
    /// <param name="complete">Anything the kind of message adds (an id, a date) before it is handed over.</param>
    /// <returns>The message; the caller owns and disposes it.</returns>
    public static MimeMessage Compose(EmailOptions options, string toName, string toAddress, string subject, string body, Action<MimeMessage>? complete = null)
    {
        var message = new MimeMessage();
        try
        {
            message.Subject = subject;
            message.Body = new TextPart("plain") { Text = body };
            message.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
            message.To.Add(new MailboxAddress(toName, toAddress));
            message.Headers.Add("Auto-Submitted", "auto-generated");
            message.Headers.Add("Content-Language", CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);
            complete?.Invoke(message);
            return message;
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }
}
