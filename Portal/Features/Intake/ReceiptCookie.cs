using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Portal.Features.Intake;

/// <summary>
/// Carries the reference code and passphrase across Post/Redirect/Get: encrypted, limited to the confirmation
/// page's path, valid for minutes, and deleted by the first read, so a refresh or Back never shows them again.
/// </summary>
public sealed class ReceiptCookie(IDataProtectionProvider dataProtection)
{
    public const string Name = ".Portal.HelpReceipt";
    public const string PagePath = "/help/submitted";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("Portal.Intake.Receipt.v1").ToTimeLimitedDataProtector();

    public void Write(HttpContext http, IntakeReceipt receipt) =>
        http.Response.Cookies.Append(Name, _protector.Protect($"{receipt.ReferenceCode}\n{receipt.Passphrase}", Lifetime), Options(http, Lifetime));

    /// <summary>The receipt, once; null when it was already shown, expired or tampered with.</summary>
    public IntakeReceipt? Take(HttpContext http)
    {
        var value = http.Request.Cookies[Name];
        if (value is null)
        {
            return null;
        }

        http.Response.Cookies.Delete(Name, Options(http, null));
        try
        {
            var parts = _protector.Unprotect(value).Split('\n');
            return parts.Length == 2 ? new IntakeReceipt(parts[0], parts[1]) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static CookieOptions Options(HttpContext http, TimeSpan? maxAge) => new()
    {
        Path = PagePath,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        IsEssential = true,
        MaxAge = maxAge,
    };
}
