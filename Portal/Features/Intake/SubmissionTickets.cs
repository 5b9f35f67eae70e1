using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Portal.Features.Intake;

/// <summary>The submission id and passphrase a "Get help now" form will be received with, chosen when it is shown.</summary>
public sealed record SubmissionTicket(Guid SubmissionId, string Passphrase);

/// <summary>
/// The form carries its ticket sealed (Data Protection: only the server can read or make one), so that the same form
/// sent again, after a crash between the commit and the reply, or a reply lost on a bad line, is known as the same
/// submission: it gets the same receipt, reference code and passphrase, and no second case. Nothing recoverable about
/// the passphrase is stored; only the form that was shown to the person holds it.
/// </summary>
public sealed class SubmissionTickets(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Portal.Intake.SubmissionTicket.v1");

    public string Issue() => Seal(New());

    public static SubmissionTicket New() => new(Guid.CreateVersion7(), IntakeSecrets.NewPassphrase());

    /// <summary>The ticket a form carried; null when it carried none, or one the server did not make.</summary>
    public SubmissionTicket? Read(string? sealedTicket)
    {
        if (string.IsNullOrEmpty(sealedTicket))
        {
            return null;
        }

        try
        {
            var parts = _protector.Unprotect(sealedTicket).Split('|');
            return parts.Length == 2 && Guid.TryParseExact(parts[0], "N", out var id) && id != Guid.Empty ? new SubmissionTicket(id, parts[1]) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private string Seal(SubmissionTicket ticket) => _protector.Protect($"{ticket.SubmissionId:N}|{ticket.Passphrase}");
}
