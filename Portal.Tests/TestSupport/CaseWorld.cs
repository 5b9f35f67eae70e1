using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Cases;
using Portal.Infrastructure.Audit;
using Portal.Features.Cases;
using Portal.Features.Queues;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Tests.TestSupport;

/// <summary>
/// Staff and cases on a real SQLite file, and the case services as a given user sees them. Users are real
/// StaffUser rows (assignee names come from them); scopes are built as sign-in builds them.
/// </summary>
public sealed class CaseWorld(TestDatabase database)
{
    public TestDatabase Database { get; } = database;

    public InProcessLiveEvents LiveEvents { get; } = new(NullLogger<InProcessLiveEvents>.Instance);

    public TimeProvider Clock => TimeProvider.System;

    public async Task<UserScope> StaffAsync(string role, params string[] countries)
    {
        var id = Guid.NewGuid().ToString();
        var name = $"{role} {id[..6]}";
        await using var db = Database.NewContext();
        db.Users.Add(new StaffUser
        {
            Id = id,
            UserName = $"{id}@test.example",
            NormalizedUserName = $"{id}@TEST.EXAMPLE",
            Email = $"{id}@test.example",
            DisplayName = name,
            Countries = [.. countries],
            SecurityStamp = Guid.NewGuid().ToString(),
        });
        var roleId = db.Roles.Where(r => r.Name == role).Select(r => r.Id).FirstOrDefault();
        if (roleId is null)
        {
            var created = new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() };
            db.Roles.Add(created);
            roleId = created.Id;
        }

        db.UserRoles.Add(new IdentityUserRole<string> { UserId = id, RoleId = roleId });
        await db.SaveChangesAsync();
        return new UserScope(id, $"{id}@test.example", name, [role], countries);
    }

    public async Task<Case> NewIntakeAsync(string country = "CF", RiskLevel risk = RiskLevel.Medium)
    {
        await using var db = Database.NewContext();
        var number = await Database.Service<CaseNumbers>().NextAsync(db, country, Clock);
        var survivorCase = Case.OpenFromIntake(number, country, risk, "fr", null, Clock);
        db.Add(survivorCase);
        await db.SaveChangesAsync();
        return survivorCase;
    }

    public CaseService CasesFor(UserScope scope) =>
        new(Database.Contexts, Clock, LiveEvents, AuditFor(scope));

    public IAuditLog AuditFor(UserScope scope) =>
        new AuditLog(Database.Service<AuditAppender>(), new FixedUser(scope), Database.Contexts);

    public QueueService Queues => new(Database.Contexts, Clock);

    public sealed class FixedUser(UserScope scope) : ICurrentUser
    {
        public string? RemoteAddress => "127.0.0.1";

        public Task<UserScope?> FindAsync(CancellationToken cancellationToken = default) => Task.FromResult<UserScope?>(scope);

        public Task<UserScope> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(scope);
    }
}
