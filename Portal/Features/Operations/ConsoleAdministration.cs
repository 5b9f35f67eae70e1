using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Features.Account;
using Portal.Features.Admin;
using Portal.Features.Reminders;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Security;

namespace Portal.Features.Operations;

public sealed record AdministratorSummary(string UserName, string DisplayName, bool AuthenticatorEnrolled, bool LockedOut, bool Disabled, DateTimeOffset? LinkValidUntil);

public sealed record IssuedLink(string UserName, string DisplayName, string Link, DateTimeOffset ValidUntil);

/// <summary>
/// Account rescue from the server's console, for whoever can run the portal's own binary with its configuration: the
/// first Administrator, a lost authenticator, a locked account. Every action is audited as the console's (user name
/// "console:" and the operating-system account, address "console"); nothing here prints or logs a password.
/// </summary>
public sealed class ConsoleAdministration(
    UserManager<StaffUser> users,
    EnrolmentLinkService links,
    SessionStore sessions,
    AuditAppender audit,
    DemoAccounts roles,
    IOptions<ReminderOptions> reminders,
    TimeProvider clock)
{
    public static AuditActor Actor { get; } = new(null, "console:" + Environment.UserName, "Operator", "console");

    public string PublicBaseUrl => reminders.Value.PublicBaseUrl;

    /// <summary>A new Administrator without a password, and the link where they choose one and enrol their authenticator.</summary>
    public async Task<ConsoleResult<IssuedLink>> CreateAdministratorAsync(string email, string displayName, string language, TimeSpan linkLifetime)
    {
        email = email.Trim();
        displayName = displayName.Trim();
        if (displayName.Length == 0)
        {
            return ConsoleResult<IssuedLink>.Refused("Admin_NameRequired");
        }

        if (await users.FindByNameAsync(email) is not null)
        {
            return ConsoleResult<IssuedLink>.Refused("Admin_Exists", email);
        }

        await roles.EnsureRolesAsync();
        var user = new StaffUser
        {
            UserName = email,
            Email = email,
            DisplayName = displayName,
            PreferredLanguage = language,
        };
        var result = await users.CreateAsync(user);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, Roles.Administrator);
        }

        if (!result.Succeeded)
        {
            return ConsoleResult<IssuedLink>.Refused("Admin_Invalid", string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        await audit.AppendAsync(Actor, AuditAction.Created, nameof(StaffUser), user.Id, $"roles: {Roles.Administrator}; countries: ; from the server console");
        return ConsoleResult<IssuedLink>.Done(await IssueAsync(user, linkLifetime));
    }

    /// <summary>A new one-time link for an existing account (the first one expired, or the person lost their password).</summary>
    public async Task<ConsoleResult<IssuedLink>> IssueLinkAsync(string email, TimeSpan linkLifetime)
    {
        var user = await users.FindByNameAsync(email.Trim());
        if (user is null)
        {
            return ConsoleResult<IssuedLink>.Refused("Admin_NotFound", email);
        }

        if (user.IsDisabled)
        {
            return ConsoleResult<IssuedLink>.Refused("Admin_Disabled", email);
        }

        return ConsoleResult<IssuedLink>.Done(await IssueAsync(user, linkLifetime));
    }

    /// <summary>Turns the second factor off; the person sets up their authenticator again at the next sign-in.</summary>
    public async Task<ConsoleResult<string>> ResetTwoFactorAsync(string email)
    {
        var user = await users.FindByNameAsync(email.Trim());
        if (user is null)
        {
            return ConsoleResult<string>.Refused("Admin_NotFound", email);
        }

        var result = await UserAdministrationService.ResetTwoFactorAsync(users, user);
        if (!result.Succeeded)
        {
            return ConsoleResult<string>.Refused("Admin_Invalid", string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        await sessions.EndAllForUserAsync(user.Id, SessionEndReason.AccountChanged);
        await audit.AppendAsync(Actor, AuditAction.UserChanged, nameof(StaffUser), user.Id, "two-factor reset from the server console");
        return ConsoleResult<string>.Done(user.UserName!);
    }

    /// <summary>
    /// Ends a lockout after failed passwords or codes: Identity's lockout of the account, and the running portal's count of
    /// failures per address (it reads the stamp from the account's row). A disabled account stays disabled: that is an
    /// Administrator's decision.
    /// </summary>
    public async Task<ConsoleResult<StaffUser>> UnlockAsync(string email)
    {
        var user = await users.FindByNameAsync(email.Trim());
        if (user is null)
        {
            return ConsoleResult<StaffUser>.Refused("Admin_NotFound", email);
        }

        user.SignInFailuresForgivenUtc = clock.GetUtcNow();
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
        await audit.AppendAsync(Actor, AuditAction.UserChanged, nameof(StaffUser), user.Id, "unlocked from the server console");
        return ConsoleResult<StaffUser>.Done(user);
    }

    public async Task<IReadOnlyList<AdministratorSummary>> ListAdministratorsAsync()
    {
        var administrators = await users.GetUsersInRoleAsync(Roles.Administrator);
        var now = clock.GetUtcNow();
        var list = new List<AdministratorSummary>();
        foreach (var user in administrators.OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase))
        {
            var linkUntil = await links.PendingUntilAsync(user);
            list.Add(new AdministratorSummary(user.UserName ?? "", user.DisplayName, user.TwoFactorEnabled, user.LockoutEnd > now, user.IsDisabled, linkUntil > now ? linkUntil : null));
        }

        await audit.AppendAsync(Actor, AuditAction.ListedUsers, nameof(StaffUser), null, "Administrators, from the server console");
        return list;
    }

    /// <summary>Whether the database exists and is at this version's schema; the console never creates or migrates it.</summary>
    public static async Task<bool> DatabaseReadyAsync(Portal.Infrastructure.Data.PortalDbContext db) =>
        await db.Database.CanConnectAsync() && !(await db.Database.GetPendingMigrationsAsync()).Any();

    private async Task<IssuedLink> IssueAsync(StaffUser user, TimeSpan lifetime)
    {
        var token = await links.IssueAsync(user, lifetime);
        var validUntil = clock.GetUtcNow() + lifetime;
        await audit.AppendAsync(Actor, AuditAction.UserChanged, nameof(StaffUser), user.Id, $"enrolment link issued from the server console, valid until {validUntil:yyyy-MM-dd HH:mm} UTC");
        return new IssuedLink(user.UserName!, user.DisplayName, EnrolmentLinkService.Link(PublicBaseUrl, token), validUntil);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}

/// <summary>What a console action did, or the resource key (and arguments) of why it refused.</summary>
public sealed record ConsoleResult<T>(T? Value, string? Refusal, object[] Arguments)
{
    public static ConsoleResult<T> Done(T value) => new(value, null, []);

    public static ConsoleResult<T> Refused(string key, params object[] arguments) => new(default, key, arguments);
}
