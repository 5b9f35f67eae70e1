using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Portal.Domain.Audit;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Security;

namespace Portal.Features.Account;

public sealed record EnrolmentResult(IReadOnlyList<string> Errors, bool AuthenticatorNeeded)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// The page behind a one-time enrolment link: the person sets their password, and then (unless the account already
/// has an authenticator) goes straight to setting up the authenticator app, which signs them in.
/// </summary>
public sealed class EnrolmentService(EnrolmentLinkService links, UserManager<StaffUser> users, PortalSignInManager signInManager, SessionStore sessions, IAuditLog audit, IStringLocalizer<AccountText> text)
{
    public async Task<EnrolmentResult> SetPasswordAsync(string? token, string password, string confirmation)
    {
        var user = await links.FindAsync(token);
        if (user is null || !await signInManager.CanSignInAsync(user))
        {
            await audit.RecordAsAsync(new AuditActor(user?.Id, user?.UserName, null, null), AuditAction.SignInFailed, nameof(StaffUser), user?.Id, "enrolment link refused");
            return new EnrolmentResult([text["Enrol_LinkInvalid"]], false);
        }

        if (!string.Equals(password, confirmation, StringComparison.Ordinal))
        {
            return new EnrolmentResult([text["ChangePassword_Mismatch"]], false);
        }

        // The link opens the account afresh: an old password goes, and the new one meets the same rules as any other.
        var errors = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password);
            errors.AddRange(check.Errors.Select(e => e.Description));
        }

        if (errors.Count > 0)
        {
            return new EnrolmentResult([.. errors.Distinct()], false);
        }

        if (await users.HasPasswordAsync(user))
        {
            Check(await users.RemovePasswordAsync(user));
        }

        Check(await users.AddPasswordAsync(user, password));
        await links.RevokeAsync(user);
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
        await sessions.EndAllForUserAsync(user.Id, SessionEndReason.AccountChanged);
        await audit.RecordAsAsync(new AuditActor(user.Id, user.UserName, null, null), AuditAction.UserChanged, nameof(StaffUser), user.Id, "password set with an enrolment link");
        if (user.TwoFactorEnabled)
        {
            return new EnrolmentResult([], false);
        }

        await signInManager.BeginEnrolmentAsync(user);
        return new EnrolmentResult([], true);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
