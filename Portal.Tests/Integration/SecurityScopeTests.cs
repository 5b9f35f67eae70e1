using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

public sealed class SecurityScopeTests : IClassFixture<SecurityAppFactory>, IDisposable
{
    private readonly SecurityAppFactory _factory;
    private readonly TempDirectory _folder = new("portal-scope");

    public SecurityScopeTests(SecurityAppFactory factory) => _factory = factory;

    [Fact]
    public void An_advocate_sees_only_their_countries_a_coordinator_and_an_administrator_all_and_a_user_without_role_nothing()
    {
        var things = Things();

        Assert.Equal(["CD", "CF"], Filter(things, TestCurrentUser.Advocate("CD", "CF")));
        Assert.Equal(["CD", "CF", "HT", "SS"], Filter(things, TestCurrentUser.Coordinator()));
        Assert.Equal(["CD", "CF", "HT", "SS"], Filter(things, TestCurrentUser.Administrator()));
        Assert.Empty(Filter(things, new UserScope("x", "x", "x", [], ["CD"])));
        Assert.True(TestCurrentUser.Advocate("CD").CanSee("CD"));
        Assert.False(TestCurrentUser.Advocate("CD").CanSee("SS"));
        Assert.False(TestCurrentUser.Advocate("CD").CanSee(null));
    }

    [Fact]
    public async Task The_country_filter_runs_in_the_database()
    {
        await using var db = await ThingsAsync();

        var advocate = await db.Things.InScope(TestCurrentUser.Advocate("SS"), t => t.CountryCode).Select(t => t.CountryCode).ToListAsync();
        var coordinator = await db.Things.InScope(TestCurrentUser.Coordinator(), t => t.CountryCode).CountAsync();
        var sql = db.Things.InScope(TestCurrentUser.Advocate("SS", "HT"), t => t.CountryCode).ToQueryString();

        Assert.Equal(["SS"], advocate);
        Assert.Equal(4, coordinator);
        Assert.Contains("WHERE", sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_case_out_of_scope_answers_like_a_missing_one_and_the_attempt_is_audited()
    {
        var services = _factory.Services;
        var advocate = await StaffAccounts.SignedInScopeAsync(services, Roles.Advocate, "CD");
        var cases = ServicesAs.Create<CaseScope>(services, new TestCurrentUser(advocate));
        var inCountry = await NewCaseAsync("CD");
        var elsewhere = await NewCaseAsync("SS");
        var auditBefore = await AuditCountAsync(AuditAction.AccessDenied);
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

        var inScope = await cases.FindCaseAsync(db, advocate, inCountry.Id);
        var outOfScope = await cases.FindCaseAsync(db, advocate, elsewhere.Id);
        var byNumber = await cases.FindCaseAsync(db, advocate, elsewhere.Number);
        var missing = await cases.FindCaseAsync(db, advocate, Guid.NewGuid());

        Assert.Equal(inCountry.Id, inScope?.Id);
        Assert.Null(outOfScope);
        Assert.Null(byNumber);
        Assert.Null(missing);
        Assert.Equal(auditBefore + 2, await AuditCountAsync(AuditAction.AccessDenied)); // the two out-of-scope looks, not the missing one
        var denied = await db.Set<AuditEntry>().Where(e => e.Action == AuditAction.AccessDenied && e.UserId == advocate.UserId).ToListAsync();
        Assert.All(denied, e => Assert.Equal(("Case", elsewhere.Id.ToString(), Roles.Advocate, "192.0.2.10"), (e.RecordType, e.RecordId, e.Role, e.IpAddress)));
    }

    [Fact]
    public async Task Nobody_signed_in_or_a_session_that_has_ended_means_no_scope_at_all()
    {
        var services = _factory.Services;
        var guard = ServicesAs.Create<ScopeGuard>(services, new TestCurrentUser(null));
        var advocate = await StaffAccounts.SignedInScopeAsync(services, Roles.Advocate, "CD");
        var cases = ServicesAs.Create<CaseScope>(services, new TestCurrentUser(advocate));
        var inCountry = await NewCaseAsync("CD");
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var whileSignedIn = await cases.FindCaseAsync(db, advocate, inCountry.Id);

        await services.GetRequiredService<SessionStore>().EndAsync(advocate.SessionId!, SessionEndReason.SignedOut);
        var afterSignOut = await cases.FindCaseAsync(db, advocate, inCountry.Id);
        var withoutSession = await cases.FindCaseAsync(db, new UserScope(advocate.UserId, advocate.UserName, advocate.DisplayName, [Roles.Advocate], ["CD"]), inCountry.Id);

        await Assert.ThrowsAsync<NotSignedInException>(() => guard.RequireRoleAsync("ListProviders", default, Roles.Administrator));
        Assert.NotNull(whileSignedIn);
        Assert.Null(afterSignOut);
        Assert.Null(withoutSession);
    }

    [Fact]
    public async Task A_missing_role_is_refused_and_audited()
    {
        var guard = ServicesAs.ScopeGuard(_factory.Services, new TestCurrentUser(TestCurrentUser.Advocate("CD")));
        var before = await AuditCountAsync(AuditAction.AccessDenied);

        await Assert.ThrowsAsync<AccessDeniedException>(() => guard.RequireRoleAsync("ApproveClosure", default, Roles.Coordinator));

        Assert.Equal(before + 1, await AuditCountAsync(AuditAction.AccessDenied));
    }

    private async Task<Case> NewCaseAsync(string country)
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var number = await _factory.Services.GetRequiredService<CaseNumbers>().NextAsync(db, country, TimeProvider.System);
        var survivorCase = Case.OpenFromIntake(number, country, RiskLevel.Medium, "fr", null, TimeProvider.System);
        db.Add(survivorCase);
        await db.SaveChangesAsync();
        return survivorCase;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    /// <summary>A small entity with a country code in a SQLite file of its own, as a case table would be.</summary>
    private async Task<ThingsDb> ThingsAsync()
    {
        var options = new DbContextOptionsBuilder<ThingsDb>().UseSqlite($"Data Source={Path.Combine(_folder.Path, Guid.NewGuid().ToString("N") + ".db")};Pooling=false").Options;
        var db = new ThingsDb(options);
        await db.Database.EnsureCreatedAsync();
        db.Things.AddRange(Things());
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return db;
    }

    private static List<Thing> Things() =>
    [
        new() { Id = 1, CountryCode = "CD" },
        new() { Id = 2, CountryCode = "CF" },
        new() { Id = 3, CountryCode = "SS" },
        new() { Id = 4, CountryCode = "HT" },
    ];

    private static List<string> Filter(IEnumerable<Thing> things, UserScope scope) =>
        [.. things.AsQueryable().InScope(scope, t => t.CountryCode).Select(t => t.CountryCode).Order()];

    private async Task<int> AuditCountAsync(AuditAction action)
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<AuditEntry>().CountAsync(e => e.Action == action);
    }

    public sealed class Thing
    {
        public int Id { get; set; }

        public string CountryCode { get; set; } = "";
    }

    private sealed class ThingsDb(DbContextOptions<ThingsDb> options) : DbContext(options)
    {
        public DbSet<Thing> Things => Set<Thing>();
    }
}
