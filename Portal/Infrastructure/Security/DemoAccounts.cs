using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Configuration;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Seeding;

namespace Portal.Infrastructure.Security;

/// <param name="Provider">For a Provider account, the name of the demo service provider it works for.</param>
public sealed record DemoAccount(string UserName, string DisplayName, string Language, string TimeZoneId, string Role, IReadOnlyList<string> Countries, string? Provider = null);

/// <summary>
/// The roles in every environment, and in Development the demo accounts listed in README.md. Seeding is
/// idempotent and costs one query when everything is already there, so a normal start is not slowed.
/// </summary>
public sealed class DemoAccounts(IServiceScopeFactory scopes, ILogger<DemoAccounts> logger)
{
    /// <summary>The one development password of every demo account (Development only; never a real deployment).</summary>
    public const string Password = "demo-portal-password-2026";

    public static readonly IReadOnlyList<DemoAccount> All =
    [
        new("advocate.cf@example.org", "Amina Ndakala", "fr", "Africa/Bangui", Roles.Advocate, ["CF"]),
        // A second advocate in the Central African Republic (field office), so two people can work one queue.
        new("advocate2.cf@example.org", "Didier Yakité", "fr", "Africa/Bangui", Roles.Advocate, ["CF"]),
        new("advocate.cd@example.org", "Jean-Paul Mukendi", "fr", "Africa/Kinshasa", Roles.Advocate, ["CD"]),
        new("advocate.ss@example.org", "Grace Lado", "en", "Africa/Juba", Roles.Advocate, ["SS"]),
        new("advocate.ht@example.org", "Marie-Claire Joseph", "en", "America/Port-au-Prince", Roles.Advocate, ["HT"]),
        new("coordinator@example.org", "Sam Okafor", "en", "UTC", Roles.Coordinator, []),
        new("admin@example.org", "Alex Morgan", "en", "UTC", Roles.Administrator, []),
        new("provider.cf@example.org", "Odette Mbaïkoua", "fr", "Africa/Bangui", Roles.Provider, [], DemoProviders.LegalAidBangui),
        new("provider2.cf@example.org", "Honoré Yangba", "fr", "Africa/Bangui", Roles.Provider, [], DemoProviders.HealthCentreBangui),
    ];

    public async Task EnsureRolesAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
        await using (db)
        {
            var present = await db.Roles.Select(r => r.Name).ToListAsync(cancellationToken);
            if (Roles.All.All(present.Contains))
            {
                return;
            }
        }

        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var names = All.Select(a => a.UserName.ToUpperInvariant()).ToList();
        var present = await users.Users.Where(u => names.Contains(u.NormalizedUserName!)).Select(u => u.NormalizedUserName).ToListAsync(cancellationToken);
        var missing = All.Where(a => !present.Contains(a.UserName.ToUpperInvariant())).ToList();
        foreach (var account in missing)
        {
            var user = new StaffUser
            {
                UserName = account.UserName,
                Email = account.UserName,
                EmailConfirmed = true,
                DisplayName = account.DisplayName,
                PreferredLanguage = account.Language,
                TimeZoneId = account.TimeZoneId,
                Countries = [.. account.Countries],
            };
            var created = await users.CreateAsync(user, Password);
            if (created.Succeeded)
            {
                created = await users.AddToRoleAsync(user, account.Role);
            }

            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Demo account {account.UserName} could not be created: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            }

            logger.LogInformation("Seeded demo account {UserName}.", account.UserName);
        }

        if (missing.Any(a => a.Provider is not null))
        {
            await TieToProvidersAsync(scope.ServiceProvider.GetRequiredService<PortalDbContext>(), cancellationToken);
        }
    }

    /// <summary>
    /// Ties each demo Provider account to its demo service provider, whichever of the two was seeded first: the accounts
    /// are seeded before the demo data on a new database, and after it on one seeded before the account was listed.
    /// </summary>
    internal static async Task TieToProvidersAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        foreach (var account in All.Where(a => a.Provider is not null))
        {
            var providerId = await db.ServiceProviders.Where(p => p.Name == account.Provider).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
            var normalizedUserName = account.UserName.ToUpperInvariant();
            if (providerId is not null)
            {
                await db.Users.Where(u => u.NormalizedUserName == normalizedUserName && u.ProviderId == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(x => x.ProviderId, providerId), cancellationToken);
            }
        }
    }
}

public static class DemoAccountExtensions
{
    /// <summary>Roles always; demo accounts in Development when Portal:SeedDemoData is on.</summary>
    public static async Task SeedPortalAccountsAsync(this WebApplication app)
    {
        var accounts = app.Services.GetRequiredService<DemoAccounts>();
        await accounts.EnsureRolesAsync();
        if (app.Environment.IsDevelopment() && app.Services.GetRequiredService<IOptions<PortalOptions>>().Value.SeedDemoData)
        {
            await accounts.SeedAsync();
        }
    }
}
