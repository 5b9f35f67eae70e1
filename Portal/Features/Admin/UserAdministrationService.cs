using System.Net.Mail;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Domain.Audit;
using Portal.Features.Account;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using DomainCountries = Portal.Domain.Countries.Countries;
using Provider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Features.Admin;

public sealed record StaffUserSummary(
    string Id,
    string UserName,
    string DisplayName,
    string PreferredLanguage,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Countries,
    bool IsDisabled,
    bool TwoFactorEnabled,
    bool IsLockedOut,
    Guid? ProviderId,
    string? ProviderName,
    bool AwaitingEnrolment);

public sealed record NewStaffUser(string UserName, string DisplayName, string PreferredLanguage, IReadOnlyList<string> Roles, IReadOnlyList<string> Countries);

/// <summary>A member of a service provider's staff to invite; the e-mail address is also the user name.</summary>
public sealed record ProviderInvitation(string Email, string DisplayName, string PreferredLanguage, Guid ProviderId);

/// <summary>A provider whose staff can hold accounts: active, and answering referrals in the portal.</summary>
public sealed record InvitableProvider(Guid Id, string CountryCode, string Name);

/// <summary>The outcome of an administrative change; <see cref="InitialPassword"/> is shown once, after creating an account.</summary>
public sealed record AdminResult(bool Succeeded, IReadOnlyList<string> Errors, string? InitialPassword = null)
{
    public static AdminResult Ok(string? initialPassword = null) => new(true, [], initialPassword);

    public static AdminResult Fail(params string[] errors) => new(false, errors);
}

/// <summary>
/// Staff accounts for Administrators. Every method checks the role here, whatever the page shows, and every
/// change to access ends the user's open sessions (new security stamp), so open tabs lose access within the
/// revalidation interval.
/// </summary>
public sealed class UserAdministrationService(
    IServiceScopeFactory scopes,
    ScopeGuard guard,
    SessionStore sessions,
    IAuditLog audit,
    IStringLocalizer<AdminText> text,
    ProviderInvitationEmail invitations,
    ILogger<UserAdministrationService> logger)
{
    /// <summary>How long an invitation's link works: long enough to span a weekend at a provider with no one at a desk.</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromHours(72);

    public static IReadOnlyList<string> CountryCodes { get; } =
        [DomainCountries.CentralAfricanRepublic, DomainCountries.DemocraticRepublicOfTheCongo, DomainCountries.SouthSudan, DomainCountries.Haiti, DomainCountries.Lebanon, DomainCountries.Mali, DomainCountries.Somalia];

    public async Task<IReadOnlyList<StaffUserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await guard.RequireRoleAsync("ListUsers", cancellationToken, Roles.Administrator);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var all = await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var roles = await RolesByUserAsync(scope.ServiceProvider, cancellationToken);
        var providerIds = all.Select(u => u.ProviderId).OfType<Guid>().Distinct().ToList();
        var providerNames = providerIds.Count == 0 ? [] : await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ServiceProviders.AsNoTracking()
            .Where(p => providerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        return [.. all.Select(u => new StaffUserSummary(
            u.Id,
            u.UserName ?? "",
            u.DisplayName,
            u.PreferredLanguage,
            roles.TryGetValue(u.Id, out var r) ? r : [],
            u.Countries,
            u.IsDisabled,
            u.TwoFactorEnabled,
            u.LockoutEnd > now,
            u.ProviderId,
            u.ProviderId is { } providerId ? providerNames.GetValueOrDefault(providerId) : null,
            u.PasswordHash is null))];
    }

    public async Task<AdminResult> CreateAsync(NewStaffUser input, CancellationToken cancellationToken = default)
    {
        await guard.RequireRoleAsync("CreateUser", cancellationToken, Roles.Administrator);
        if (Validate(input.Roles, input.Countries) is { } invalid)
        {
            return invalid;
        }

        if (input.Roles.Contains(Roles.Provider))
        {
            return AdminResult.Fail(text["Error_ProviderByInvitation"]);
        }

        if (string.IsNullOrWhiteSpace(input.DisplayName))
        {
            return AdminResult.Fail(text["Error_DisplayNameRequired"]);
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var password = GeneratePassword();
        var user = new StaffUser
        {
            UserName = input.UserName.Trim(),
            Email = input.UserName.Trim().Contains('@', StringComparison.Ordinal) ? input.UserName.Trim() : null,
            DisplayName = input.DisplayName.Trim(),
            PreferredLanguage = input.PreferredLanguage is "fr" ? "fr" : "en",
            Countries = Normalize(input.Roles, input.Countries),
        };
        var result = await users.CreateAsync(user, password);
        if (result.Succeeded)
        {
            result = await users.AddToRolesAsync(user, input.Roles.Distinct());
        }

        if (!result.Succeeded)
        {
            return AdminResult.Fail([.. result.Errors.Select(e => e.Description)]);
        }

        await audit.RecordAsync(AuditAction.Created, nameof(StaffUser), user.Id, Describe(input.Roles, user.Countries), cancellationToken);
        return AdminResult.Ok(password);
    }

    /// <summary>The providers a staff member can be invited to (or moved to), by country and name.</summary>
    public async Task<IReadOnlyList<InvitableProvider>> ListInvitableProvidersAsync(CancellationToken cancellationToken = default)
    {
        await guard.RequireRoleAsync("ListInvitableProviders", cancellationToken, Roles.Administrator);
        await using var scope = scopes.CreateAsyncScope();
        var providers = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ServiceProviders.AsNoTracking()
            .Where(Provider.OpenToItsStaff.Expression)
            .Select(p => new InvitableProvider(p.Id, p.CountryCode, p.Name))
            .ToListAsync(cancellationToken);
        return [.. providers.OrderBy(p => p.CountryCode, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.CurrentCulture)];
    }

    /// <summary>
    /// An account for a provider's staff member, with no password: the e-mail it sends carries a one-time link where the
    /// person chooses their password and sets up their authenticator, so no password ever passes through the office.
    /// </summary>
    public async Task<AdminResult> InviteProviderUserAsync(ProviderInvitation input, CancellationToken cancellationToken = default)
    {
        await guard.RequireRoleAsync("InviteProviderUser", cancellationToken, Roles.Administrator);
        var email = input.Email.Trim();
        if (!MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            return AdminResult.Fail(text["Error_EmailInvalid"]);
        }

        if (string.IsNullOrWhiteSpace(input.DisplayName))
        {
            return AdminResult.Fail(text["Error_DisplayNameRequired"]);
        }

        await using var scope = scopes.CreateAsyncScope();
        if (await FindInvitableAsync(scope.ServiceProvider, input.ProviderId, cancellationToken) is not { } provider)
        {
            return AdminResult.Fail(text["Error_ProviderNotInvitable"]);
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = new StaffUser
        {
            UserName = email,
            Email = email,
            DisplayName = input.DisplayName.Trim(),
            PreferredLanguage = input.PreferredLanguage is "fr" ? "fr" : "en",
            TimeZoneId = provider.TimeZoneId,
            ProviderId = provider.Id,
        };
        var result = await users.CreateAsync(user);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, Roles.Provider);
        }

        if (!result.Succeeded)
        {
            return AdminResult.Fail([.. result.Errors.Select(e => e.Description)]);
        }

        await audit.RecordAsync(AuditAction.Created, nameof(StaffUser), user.Id, Describe([Roles.Provider], [], provider.Id), cancellationToken);
        return await SendInvitationAsync(scope.ServiceProvider, user, provider, cancellationToken);
    }

    /// <summary>A new link for a provider's staff member who has not set up their account yet; the earlier link stops working.</summary>
    public async Task<AdminResult> ResendInvitationAsync(string userId, CancellationToken cancellationToken = default)
    {
        await guard.RequireRoleAsync("ResendInvitation", cancellationToken, Roles.Administrator);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return AdminResult.Fail(text["Error_UserNotFound"]);
        }

        if (user.IsDisabled || user.ProviderId is not { } providerId || await users.HasPasswordAsync(user) || !await users.IsInRoleAsync(user, Roles.Provider))
        {
            return AdminResult.Fail(text["Error_NotAwaitingEnrolment"]);
        }

        return await FindInvitableAsync(scope.ServiceProvider, providerId, cancellationToken) is { } provider
            ? await SendInvitationAsync(scope.ServiceProvider, user, provider, cancellationToken)
            : AdminResult.Fail(text["Error_ProviderNotInvitable"]);
    }

    public async Task<AdminResult> SetDisabledAsync(string userId, bool disabled, CancellationToken cancellationToken = default)
    {
        var admin = await guard.RequireRoleAsync(disabled ? "DisableUser" : "EnableUser", cancellationToken, Roles.Administrator);
        if (disabled && userId == admin.UserId)
        {
            return AdminResult.Fail(text["Error_NotYourself"]);
        }

        return await ChangeAsync(userId, async (users, user) =>
        {
            user.IsDisabled = disabled;
            var result = await users.UpdateAsync(user);
            return (result, disabled ? "disabled" : "enabled");
        }, disabled ? SessionEndReason.Disabled : SessionEndReason.AccountChanged, cancellationToken);
    }

    /// <param name="providerId">For the Provider role, the provider the user works for (moving them to another is done here); ignored otherwise.</param>
    public async Task<AdminResult> SetAccessAsync(string userId, IReadOnlyList<string> roles, IReadOnlyList<string> countries, Guid? providerId = null, CancellationToken cancellationToken = default)
    {
        var admin = await guard.RequireRoleAsync("SetUserAccess", cancellationToken, Roles.Administrator);
        if (Validate(roles, countries) is { } invalid)
        {
            return invalid;
        }

        if (userId == admin.UserId && !roles.Contains(Roles.Administrator))
        {
            return AdminResult.Fail(text["Error_NotYourself"]);
        }

        Guid? provider = null;
        if (roles.Contains(Roles.Provider))
        {
            await using var scope = scopes.CreateAsyncScope();
            provider = providerId is { } id ? (await FindInvitableAsync(scope.ServiceProvider, id, cancellationToken))?.Id : null;
            if (provider is null)
            {
                return AdminResult.Fail(text["Error_ProviderNotInvitable"]);
            }
        }

        return await ChangeAsync(userId, async (users, user) =>
        {
            var current = await users.GetRolesAsync(user);
            var result = await users.RemoveFromRolesAsync(user, current.Except(roles));
            if (result.Succeeded)
            {
                result = await users.AddToRolesAsync(user, roles.Distinct().Except(current));
            }

            if (result.Succeeded)
            {
                user.Countries = Normalize(roles, countries);
                user.ProviderId = provider;
                result = await users.UpdateAsync(user);
            }

            return (result, Describe(roles, user.Countries, provider));
        }, SessionEndReason.AccountChanged, cancellationToken);
    }

    /// <summary>Turns two-factor off and discards the authenticator key and recovery codes; the user enrols again at next sign-in.</summary>
    public async Task<AdminResult> ResetTwoFactorAsync(string userId, CancellationToken cancellationToken = default)
    {
        await guard.RequireRoleAsync("ResetTwoFactor", cancellationToken, Roles.Administrator);
        return await ChangeAsync(userId, async (users, user) => (await ResetTwoFactorAsync(users, user), "two-factor reset"), SessionEndReason.AccountChanged, cancellationToken);
    }

    /// <summary>The reset itself, shared with the server console's <c>admin reset-2fa</c>; the caller ends the sessions and audits.</summary>
    public static async Task<IdentityResult> ResetTwoFactorAsync(UserManager<StaffUser> users, StaffUser user)
    {
        var result = await users.SetTwoFactorEnabledAsync(user, false);
        if (result.Succeeded)
        {
            result = await users.ResetAuthenticatorKeyAsync(user);
        }

        if (result.Succeeded)
        {
            await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
            user.LastTotpTimeStep = null;
            result = await users.UpdateAsync(user);
        }

        if (result.Succeeded)
        {
            result = await users.UpdateSecurityStampAsync(user);
        }

        return result;
    }

    private async Task<AdminResult> ChangeAsync(string userId, Func<UserManager<StaffUser>, StaffUser, Task<(IdentityResult Result, string Detail)>> change, SessionEndReason reason, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return AdminResult.Fail(text["Error_UserNotFound"]);
        }

        var (result, detail) = await change(users, user);
        if (result.Succeeded)
        {
            result = await users.UpdateSecurityStampAsync(user);
        }

        if (!result.Succeeded)
        {
            return AdminResult.Fail([.. result.Errors.Select(e => e.Description)]);
        }

        await sessions.EndAllForUserAsync(user.Id, reason, cancellationToken: cancellationToken);
        await audit.RecordAsync(AuditAction.UserChanged, nameof(StaffUser), user.Id, detail, cancellationToken);
        return AdminResult.Ok();
    }

    private AdminResult? Validate(IReadOnlyList<string> roles, IReadOnlyList<string> countries)
    {
        if (roles.Count == 0 || roles.Any(r => !Roles.All.Contains(r)))
        {
            return AdminResult.Fail(text["Error_RoleRequired"]);
        }

        // Provider staff see only their organisation's referrals; a second role would open the office's cases to them.
        if (roles.Contains(Roles.Provider) && roles.Distinct().Count() > 1)
        {
            return AdminResult.Fail(text["Error_ProviderExclusive"]);
        }

        if (countries.Any(c => !CountryCodes.Contains(c)))
        {
            return AdminResult.Fail(text["Error_UnknownCountry"]);
        }

        return roles.Contains(Roles.Advocate) && countries.Count == 0 ? AdminResult.Fail(text["Error_CountryRequired"]) : null;
    }

    // Coordinators and Administrators see every country; a country list only means something for an Advocate.
    private static List<string> Normalize(IReadOnlyList<string> roles, IReadOnlyList<string> countries) =>
        roles.Contains(Roles.Advocate) ? [.. countries.Distinct().Order()] : [];

    private static string Describe(IEnumerable<string> roles, IEnumerable<string> countries, Guid? providerId = null) =>
        $"roles: {string.Join(", ", roles.Distinct().Order())}; countries: {string.Join(", ", countries)}" + (providerId is { } id ? $"; provider: {id}" : "");

    private sealed record ProviderFacts(Guid Id, string Name, string TimeZoneId);

    /// <summary>The provider, if its staff can hold accounts, with its country's time zone for the account's reminders.</summary>
    private static async Task<ProviderFacts?> FindInvitableAsync(IServiceProvider services, Guid providerId, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<PortalDbContext>();
        var provider = await db.ServiceProviders.AsNoTracking()
            .Where(Provider.OpenToItsStaff.Expression).Where(p => p.Id == providerId)
            .Select(p => new { p.Id, p.Name, p.CountryCode })
            .FirstOrDefaultAsync(cancellationToken);
        if (provider is null)
        {
            return null;
        }

        var country = await db.Countries.AsNoTracking().FirstOrDefaultAsync(c => c.Code == provider.CountryCode, cancellationToken);
        return new ProviderFacts(provider.Id, provider.Name, country?.PrimaryTimeZoneId ?? "UTC");
    }

    /// <summary>
    /// Issues the account's link (replacing any earlier one) and e-mails it. A failed send is reported, not thrown: the
    /// account stands, and the administrator sends the invitation again.
    /// </summary>
    private async Task<AdminResult> SendInvitationAsync(IServiceProvider services, StaffUser user, ProviderFacts provider, CancellationToken cancellationToken)
    {
        var links = services.GetRequiredService<EnrolmentLinkService>();
        var token = await links.IssueAsync(user, InvitationLifetime);
        var validUntil = await links.PendingUntilAsync(user) ?? throw new InvalidOperationException("The enrolment link was not stored.");
        try
        {
            await invitations.SendAsync(user, provider.Name, token, validUntil, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The invitation e-mail to user {UserId} could not be sent.", user.Id);
            return AdminResult.Fail(text["Error_InvitationNotSent"]);
        }

        await audit.RecordAsync(AuditAction.UserChanged, nameof(StaffUser), user.Id, $"invitation e-mailed, link valid until {validUntil:yyyy-MM-dd HH:mm} UTC", cancellationToken);
        return AdminResult.Ok();
    }

    private static async Task<Dictionary<string, List<string>>> RolesByUserAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<Portal.Infrastructure.Data.PortalDbContext>();
        var pairs = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        return pairs.GroupBy(p => p.UserId).ToDictionary(g => g.Key, g => g.Select(p => p.Name!).Order().ToList());
    }

    /// <summary>A 20-character random password from an alphabet without look-alike characters, for the administrator to pass on.</summary>
    private static string GeneratePassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(20, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}
