using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Portal.Features.Intake;

/// <summary>
/// Contact details are encrypted at rest with Data Protection (keys in the data folder) and decrypted only
/// where an authorised, audited "reveal" asks for them.
/// </summary>
public sealed class ContactProtector(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Portal.Intake.ContactDetails.v1");

    public string Protect(ContactDetails contact) => _protector.Protect(JsonSerializer.Serialize(contact));

    public ContactDetails Unprotect(string protectedContact) =>
        JsonSerializer.Deserialize<ContactDetails>(_protector.Unprotect(protectedContact))
        ?? throw new InvalidOperationException("The stored contact details are empty.");
}
