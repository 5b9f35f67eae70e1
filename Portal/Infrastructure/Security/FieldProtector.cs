using Microsoft.AspNetCore.DataProtection;

namespace Portal.Infrastructure.Security;

/// <summary>
/// Encrypts single identifying fields (names, phone numbers, addresses, contact details) before they reach the
/// database, so that the database file alone never reveals who a survivor is.
/// </summary>
public sealed class FieldProtector(IDataProtectionProvider provider)
{
    // Changing the purpose makes every stored value unreadable; it is versioned for that reason.
    private readonly IDataProtector _protector = provider.CreateProtector("Portal.IdentifyingField.v1");

    public string? Protect(string? plaintext) => plaintext is null ? null : _protector.Protect(plaintext);

    public string? Unprotect(string? ciphertext) => ciphertext is null ? null : _protector.Unprotect(ciphertext);
}
