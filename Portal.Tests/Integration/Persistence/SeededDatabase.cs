using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data.Seeding;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Persistence;

/// <summary>
/// A database seeded with the demo data, twice (the second run must add nothing). Before seeding it holds staff
/// accounts as the demo accounts would: advocates for CD and CF, a disabled one for SS, and a coordinator; the seeder
/// reads them itself. The other countries have no advocate, so their cases stay unassigned.
/// </summary>
public sealed class SeededDatabase : IAsyncLifetime
{
    public const string CdAdvocate = "seed-test-advocate-cd";
    public const string CfAdvocate = "seed-test-advocate-cf";
    public const string DisabledSsAdvocate = "seed-test-advocate-ss-disabled";
    public const string CoordinatorId = "seed-test-coordinator";
    public const string ProviderStaffId = "seed-test-provider-staff";

    public TestDatabase Database { get; } = new();

    public DemoSeedResult First { get; private set; } = null!;

    public DemoSeedResult Second { get; private set; } = null!;

    public DateTime SeededAtUtc { get; private set; }

    public async Task InitializeAsync()
    {
        await AddStaffAsync();
        var seeder = Database.Service<DemoDataSeeder>();
        SeededAtUtc = DateTime.UtcNow;
        First = await seeder.SeedAsync();
        Second = await seeder.SeedAsync();
    }

    public Task DisposeAsync()
    {
        Database.Dispose();
        return Task.CompletedTask;
    }

    private async Task AddStaffAsync()
    {
        await using var db = Database.NewContext();
        async Task<string> RoleAsync(string name)
        {
            var existing = await db.Roles.FirstOrDefaultAsync(r => r.Name == name);
            if (existing is not null)
            {
                return existing.Id;
            }

            var role = new IdentityRole(name) { NormalizedName = name.ToUpperInvariant() };
            db.Roles.Add(role);
            return role.Id;
        }

        var advocateRole = await RoleAsync(Roles.Advocate);
        var coordinatorRole = await RoleAsync(Roles.Coordinator);
        void User(string id, string role, bool disabled, params string[] countries)
        {
            db.Users.Add(new StaffUser
            {
                Id = id,
                UserName = id + "@example.org",
                NormalizedUserName = (id + "@example.org").ToUpperInvariant(),
                DisplayName = id,
                Countries = [.. countries],
                IsDisabled = disabled,
            });
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = id, RoleId = role });
        }

        User(CdAdvocate, advocateRole, false, "CD");
        User(CfAdvocate, advocateRole, false, "CF");
        User(DisabledSsAdvocate, advocateRole, true, "SS");
        User(CoordinatorId, coordinatorRole, false);

        // The demo provider account as the demo accounts leave it on a new database, before any provider exists.
        var providerAccount = DemoAccounts.All.First(a => a.Role == Roles.Provider);
        db.Users.Add(new StaffUser
        {
            Id = ProviderStaffId,
            UserName = providerAccount.UserName,
            NormalizedUserName = providerAccount.UserName.ToUpperInvariant(),
            DisplayName = providerAccount.DisplayName,
        });
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = ProviderStaffId, RoleId = await RoleAsync(Roles.Provider) });
        await db.SaveChangesAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SeededDatabaseCollection : ICollectionFixture<SeededDatabase>
{
    public const string Name = "Seeded demo database";
}
