using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Security;
using Portal.Resources;

namespace Portal.Features.Account;

public enum SignInOutcome
{
    SignedIn,
    TwoFactorRequired,
    EnrolmentRequired,

    /// <summary>Wrong password, unknown user name, locked or disabled account: one answer for all.</summary>
    Failed,
}

/// <summary>
/// The sign-in steps behind the static account forms. Failures of the password step are indistinguishable: the
/// same outcome, one password hash verified by the app's own hasher either way (a stand-in hash when there is no
/// account to check against), and a minimum duration, on the app's clock, for every failure. Guessing is held back by
/// <see cref="SignInThrottle"/>, per account and address, never by locking the account itself.
/// </summary>
public sealed class SignInService(
    PortalSignInManager signInManager,
    UserManager<StaffUser> users,
    IPasswordHasher<StaffUser> hasher,
    IHttpContextAccessor http,
    IOptionsMonitor<SecurityOptions> security,
    IAuditLog audit,
    SignInThrottle throttle,
    TimeProvider time,
    ILogger<SignInService> logger)
{
    // A hash of a random password, made by the same hasher (same algorithm and iteration count) as the accounts' own,
    // and verified for unknown, disabled and locked accounts so that they cost what a real check costs.
    private static string? _standInHash;

    public async Task<SignInOutcome> PasswordAsync(string userName, string password)
    {
        var started = time.GetTimestamp();
        var (outcome, user) = await CheckPasswordAsync(userName.Trim(), password);
        if (outcome == SignInOutcome.SignedIn && user is not null)
        {
            ApplyPreferredLanguage(user);
        }

        // Only the failures share one answer, so only they wait for the floor: a right password's answer (the next step,
        // or the page) already says it was right, and a person on a slow link should not wait for nothing.
        var remaining = security.CurrentValue.SignInMinimumDuration - time.GetElapsedTime(started);
        if (outcome == SignInOutcome.Failed && remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, time);
        }

        return outcome;
    }

    public async Task<SignInOutcome> AuthenticatorCodeAsync(string code)
    {
        var user = await signInManager.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return SignInOutcome.Failed;
        }

        var result = await signInManager.TwoFactorAuthenticatorSignInAsync(Digits(code), isPersistent: false, rememberClient: false);
        return await Finish(user, result, "authenticator code");
    }

    public async Task<SignInOutcome> RecoveryCodeAsync(string code)
    {
        var user = await signInManager.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return SignInOutcome.Failed;
        }

        var result = await signInManager.TwoFactorRecoveryCodeSignInAsync(code.Replace(" ", "", StringComparison.Ordinal).Trim());
        return await Finish(user, result, "recovery code");
    }

    public async Task<bool> HasPendingTwoFactorAsync() => await signInManager.GetTwoFactorAuthenticationUserAsync() is not null;

    private async Task<(SignInOutcome, StaffUser?)> CheckPasswordAsync(string userName, string password)
    {
        var address = http.HttpContext?.Connection.RemoteIpAddress;
        var user = userName.Length is > 0 and <= 256 ? await users.FindByNameAsync(userName) : null;
        if (user is null || user.IsDisabled || await users.IsLockedOutAsync(user) || throttle.IsAddressLocked(user, address) || password.Length > PasswordPolicy.MaximumLength)
        {
            _standInHash ??= hasher.HashPassword(new StaffUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
            hasher.VerifyHashedPassword(new StaffUser(), _standInHash, password);
            var reason = user is null ? "unknown user name" : user.IsDisabled ? "account disabled" : await users.IsLockedOutAsync(user) ? "account locked"
                : throttle.IsAddressLocked(user, address) ? "address locked for this account" : "password too long";
            logger.LogInformation("Sign-in refused before the password check ({Reason}).", reason);
            // The attempted name of an unknown account is not kept: it is often a password typed in the wrong box.
            await (user is null
                ? audit.RecordAsAsync(new AuditActor(null, null, null, null), AuditAction.SignInFailed, nameof(StaffUser), null, reason)
                : audit.RecordAsAsync(await ActorAsync(user), AuditAction.SignInFailed, nameof(StaffUser), user.Id, reason));
            return (SignInOutcome.Failed, user);
        }

        // Under a guessing attack spread over many addresses, a wrong password is answered like a right one, with the
        // code step, which then fails whatever the code: only the right password and the right code get in.
        var codeProofNeeded = throttle.PasswordAloneUntrusted(user) && await users.GetTwoFactorEnabledAsync(user);
        var result = await signInManager.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false);
        var outcome = Map(result);
        if (outcome == SignInOutcome.SignedIn)
        {
            throttle.SignedIn(user, address);
            await audit.RecordAsAsync(await ActorAsync(user), AuditAction.SignedIn, nameof(StaffUser), user.Id, "password");
        }
        else if (outcome == SignInOutcome.Failed)
        {
            var locked = throttle.Failed(user, address);
            await audit.RecordAsAsync(await ActorAsync(user), locked ? AuditAction.LockedOut : AuditAction.SignInFailed, nameof(StaffUser), user.Id,
                codeProofNeeded ? "wrong password, answered with the code step" : "wrong password");
            if (codeProofNeeded && !result.IsLockedOut && !result.IsNotAllowed)
            {
                await signInManager.BeginUnprovenTwoFactorAsync(user);
                return (SignInOutcome.TwoFactorRequired, user);
            }
        }

        return (outcome, user);
    }

    private async Task<AuditActor> ActorAsync(StaffUser user)
    {
        var roles = await users.GetRolesAsync(user);
        var scope = new UserScope(user.Id, user.UserName ?? "", user.DisplayName, roles, user.Countries, providerId: user.ProviderId);
        return new AuditActor(user.Id, user.UserName, scope.PrimaryRole, null);
    }

    private async Task<SignInOutcome> Finish(StaffUser user, SignInResult result, string method)
    {
        var outcome = Map(result);
        var address = http.HttpContext?.Connection.RemoteIpAddress;
        if (outcome == SignInOutcome.SignedIn)
        {
            throttle.SignedIn(user, address);
            ApplyPreferredLanguage(user);
            await audit.RecordAsAsync(await ActorAsync(user), AuditAction.SignedIn, nameof(StaffUser), user.Id, method);
        }
        else
        {
            var locked = throttle.Failed(user, address);
            await audit.RecordAsAsync(await ActorAsync(user), result.IsLockedOut || locked ? AuditAction.LockedOut : AuditAction.SignInFailed, nameof(StaffUser), user.Id, method);
        }

        return outcome;
    }

    private static SignInOutcome Map(SignInResult result) => result switch
    {
        TwoFactorEnrolmentRequired => SignInOutcome.EnrolmentRequired,
        { Succeeded: true } => SignInOutcome.SignedIn,
        { RequiresTwoFactor: true } => SignInOutcome.TwoFactorRequired,
        _ => SignInOutcome.Failed,
    };

    /// <summary>The staff member's own language from the first page after sign-in.</summary>
    private void ApplyPreferredLanguage(StaffUser user)
    {
        if (http.HttpContext is { } context && StaffCultures.All.Contains(user.PreferredLanguage))
        {
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(user.PreferredLanguage)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = context.Request.IsHttps });
        }
    }

    private static string Digits(string code) => new([.. code.Where(char.IsDigit)]);
}
