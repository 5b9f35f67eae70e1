using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Security;

namespace Portal.Infrastructure.Data.Seeding;

/// <summary>
/// Who the demo cases belong to. <see cref="AdvocateFor"/> gives the advocate who works a country's cases, or null
/// when nobody does: those cases are still worked (by <see cref="DemoDataSeeder.StandInAdvocate"/>, so their history
/// is complete) but released back to the country queue, unassigned. Closures are approved by
/// <see cref="CoordinatorId"/>, or by a stand-in when there is none.
/// </summary>
public sealed record DemoStaff(Func<string, string?> AdvocateFor, string? CoordinatorId)
{
    /// <summary>No staff accounts: every case is left unassigned.</summary>
    public static DemoStaff None { get; } = new(_ => null, null);

    /// <summary>
    /// From the staff accounts in the database: per country the first enabled Advocate (by user name) whose countries
    /// include it, and the first enabled Coordinator. Without role assignments, any enabled user listing the country.
    /// </summary>
    public static async Task<DemoStaff> FromDatabaseAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        var users = await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled)
            .Select(u => new { u.Id, u.UserName, u.Countries })
            .ToListAsync(cancellationToken);
        var roles = await db.UserRoles.AsNoTracking()
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);

        bool InRole(string userId, string role) => roles.Any(r => r.UserId == userId && r.Name == role);
        var ordered = users.OrderBy(u => u.UserName, StringComparer.Ordinal).ToList();
        var advocates = roles.Count == 0 ? ordered : ordered.Where(u => InRole(u.Id, Roles.Advocate)).ToList();
        var byCountry = advocates
            .SelectMany(u => u.Countries.Select(c => (Country: c.ToUpperInvariant(), u.Id)))
            .GroupBy(x => x.Country)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var coordinator = ordered.FirstOrDefault(u => InRole(u.Id, Roles.Coordinator))?.Id;
        return new DemoStaff(country => byCountry.GetValueOrDefault(country), coordinator);
    }
}
