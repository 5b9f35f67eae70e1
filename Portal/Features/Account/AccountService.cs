using Microsoft.AspNetCore.Identity;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Security;

namespace Portal.Features.Account;

/// <summary>What a signed-in staff member does to their own account.</summary>
public sealed class AccountService(UserManager<StaffUser> users, PortalSignInManager signInManager, SessionStore sessions, IHttpContextAccessor http, IAuditLog audit, Microsoft.Extensions.Localization.IStringLocalizer<AccountText> text)
{
    /// <summary>Changes the password; returns the reasons it was refused (none on success).</summary>
    public async Task<IReadOnlyList<string>> ChangePasswordAsync(string currentPassword, string newPassword, string confirmation)
    {
        var principal = http.HttpContext?.User;
        var user = principal is null ? null : await users.GetUserAsync(principal);
        if (user is null)
        {
            return [text["ChangePassword_NotSignedIn"]];
        }

        if (!string.Equals(newPassword, confirmation, StringComparison.Ordinal))
        {
            return [text["ChangePassword_Mismatch"]];
        }

        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!result.Succeeded)
        {
            return [.. result.Errors.Select(e => e.Description).Distinct()];
        }

        await audit.RecordAsync(Portal.Domain.Audit.AuditAction.UserChanged, nameof(StaffUser), user.Id, "password changed");

        // Whoever else holds a session of this user (a stolen password, a forgotten computer) is out at once, on every
        // node; this browser continues as a new session.
        var oldSession = principal!.FindFirst(PortalClaimTypes.SessionId)?.Value;
        await sessions.EndAllForUserAsync(user.Id, SessionEndReason.AccountChanged, exceptSessionId: oldSession);
        await signInManager.RefreshSignInAsync(user);
        if (oldSession is not null)
        {
            await sessions.EndAsync(oldSession, SessionEndReason.Replaced);
        }

        return [];
    }
}
