using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace Portal.Infrastructure.Security;

/// <summary>
/// Authenticator-app codes (RFC 6238, 30-second steps, one step of clock drift either way). Unlike Identity's
/// own provider, a code is accepted once only: the matched time step is stored and older or equal steps are
/// refused, so a code seen over a shoulder or in a log cannot be replayed.
/// </summary>
public sealed class AuthenticatorTokenProvider(TimeProvider time) : IUserTwoFactorTokenProvider<StaffUser>
{
    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<StaffUser> manager, StaffUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    // The app on the user's phone generates codes; the server never sends one.
    public Task<string> GenerateAsync(string purpose, UserManager<StaffUser> manager, StaffUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<StaffUser> manager, StaffUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        var code = new string((token ?? "").Where(char.IsDigit).ToArray());
        if (string.IsNullOrWhiteSpace(key) || code.Length != 6)
        {
            return false;
        }

        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code, out var step, VerificationWindow.RfcSpecifiedNetworkDelay)
            || step <= (user.LastTotpTimeStep ?? long.MinValue))
        {
            return false;
        }

        user.LastTotpTimeStep = step;
        return (await manager.UpdateAsync(user)).Succeeded;
    }
}
