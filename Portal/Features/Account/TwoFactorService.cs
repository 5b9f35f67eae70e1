using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Portal.Domain.Audit;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Security;
using QRCoder;

namespace Portal.Features.Account;

public sealed record AuthenticatorSetup(string SharedKey, string QrCodeDataUri);

/// <summary>
/// Authenticator enrolment and recovery codes, for a signed-in user and for a user who has passed the
/// password step and must enrol before being signed in.
/// </summary>
public sealed class TwoFactorService(UserManager<StaffUser> users, PortalSignInManager signInManager, IHttpContextAccessor http, IAuditLog audit)
{
    public const int RecoveryCodeCount = 10;
    private const string Issuer = "Victims' Rights Portal";

    /// <summary>The signed-in user, else the user in the enrolment state, else null.</summary>
    public async Task<(StaffUser? User, bool SignedIn)> FindUserAsync()
    {
        var principal = http.HttpContext?.User;
        if (principal is not null && UserScope.FromPrincipal(principal) is not null)
        {
            return (await users.GetUserAsync(principal), true);
        }

        var enrolling = await signInManager.GetEnrolmentUserAsync();
        return enrolling is not null && !await users.IsLockedOutAsync(enrolling) ? (enrolling, false) : (null, false);
    }

    public async Task<AuthenticatorSetup> GetSetupAsync(StaffUser user, bool signedIn)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("No authenticator key was generated.");
            if (signedIn)
            {
                // A new key changes the security stamp, which would end this very session.
                await signInManager.RefreshSignInAsync(user);
            }
        }

        var uri = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(user.UserName ?? "")}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6");
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        using var qrCode = new PngByteQRCode(data);
        var png = qrCode.GetGraphic(6);
        return new AuthenticatorSetup(FormatKey(key), "data:image/png;base64," + Convert.ToBase64String(png));
    }

    /// <summary>Turns two-factor on when the code is right, signs the user in, and returns the new recovery codes (null for a wrong code).</summary>
    public async Task<IReadOnlyList<string>?> EnableAsync(StaffUser user, string code, bool signedIn)
    {
        var valid = await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code);
        if (!valid)
        {
            await users.AccessFailedAsync(user);
            return null;
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await audit.RecordAsAsync(new AuditActor(user.Id, user.UserName, null, null), AuditAction.UserChanged, nameof(StaffUser), user.Id, "authenticator enrolled");
        await users.ResetAccessFailedCountAsync(user);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        if (signedIn)
        {
            await signInManager.RefreshSignInAsync(user);
        }
        else
        {
            await signInManager.CompleteEnrolmentSignInAsync(user);
            await audit.RecordAsAsync(new AuditActor(user.Id, user.UserName, null, null), AuditAction.SignedIn, nameof(StaffUser), user.Id, "authenticator enrolment");
        }

        return codes;
    }

    public async Task<IReadOnlyList<string>> RegenerateRecoveryCodesAsync(StaffUser user)
    {
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        await audit.RecordAsync(AuditAction.UserChanged, nameof(StaffUser), user.Id, "recovery codes regenerated");
        return codes;
    }

    public Task<int> RecoveryCodesLeftAsync(StaffUser user) => users.CountRecoveryCodesAsync(user);

    private static string FormatKey(string key)
    {
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return result.ToString().TrimEnd().ToLowerInvariant();
    }
}
