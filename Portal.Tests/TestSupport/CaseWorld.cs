using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Reminders;
using Portal.Features.Cases;
using Portal.Features.Queues;
using Portal.Features.Reminders;
using Portal.Features.Shared;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Tests.TestSupport;

/// <summary>
/// Staff and cases on a real SQLite file, and the case services as a given user sees them. Users are real
/// StaffUser rows (assignee names come from them); scopes are built as sign-in builds them, with an open session.
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
        var session = await Database.Service<SessionStore>().StartAsync(id);
        return new UserScope(id, $"{id}@test.example", name, [role], countries, session);
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

    public CaseService CasesFor(UserScope scope, TimeProvider? clock = null) =>
        new(Database.Contexts, clock ?? Clock, ScopeFor(scope), PathFor(scope), NotificationsFor(scope), AuditFor(scope));

    public NotificationService NotificationsFor(UserScope scope) =>
        new(Database.Contexts, new FixedUser(scope), Clock, LiveEvents, ScopeFor(scope), PathFor(scope), Database.Service<NotificationOutbox>(),
            Database.Service<DeliveryJob>(), NullLogger<NotificationService>.Instance);

    /// <summary>The scope loading as the user's services use it: their audit trail, the app's sessions.</summary>
    public CaseScope ScopeFor(UserScope scope) => new(Database.Service<SessionStore>(), AuditFor(scope));

    /// <summary>The scope loading for a service that serves any viewer (its session refusals name the scope that asked).</summary>
    public CaseScope AnyViewersScope => new(Database.Service<SessionStore>(), new AuditLog(Database.Service<AuditAppender>(), new FixedUser(null), Database.Contexts));

    /// <summary>The command path as the user's services use it, publishing on this world's live events.</summary>
    public CommandPath PathFor(UserScope scope) => new(Database.Contexts, ScopeFor(scope), AuditFor(scope), LiveEvents);

    public IAuditLog AuditFor(UserScope scope) =>
        new AuditLog(Database.Service<AuditAppender>(), new FixedUser(scope), Database.Contexts);

    public QueueService Queues => new(Database.Contexts, Clock, Database.Service<ReminderPolicy>(), AnyViewersScope);

    /// <summary>A record as a page would show it now, for a command's version check.</summary>
    public async Task<Seen<T>> SeenAsync<T>(Guid id)
        where T : VersionedEntity
    {
        await using var db = Database.NewContext();
        return Seen.Of(await db.Set<T>().AsNoTracking().SingleAsync(e => EF.Property<Guid>(e, "Id") == id));
    }

    /// <summary>The user a service acts for; none for a service that serves any viewer.</summary>
    public sealed class FixedUser(UserScope? scope) : ICurrentUser
    {
        public string? RemoteAddress => "127.0.0.1";

        public Task<UserScope?> FindAsync(CancellationToken cancellationToken = default) => Task.FromResult(scope);

        public Task<UserScope> GetAsync(CancellationToken cancellationToken = default) => scope is null ? throw new NotSignedInException() : Task.FromResult(scope);
    }
}
