using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Configuration;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Security;

public sealed record DemoAccount(string UserName, string DisplayName, string Language, string TimeZoneId, string Role, IReadOnlyList<string> Countries);

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
        foreach (var account in All.Where(a => !present.Contains(a.UserName.ToUpperInvariant())))
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
