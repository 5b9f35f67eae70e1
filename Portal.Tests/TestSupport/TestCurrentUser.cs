using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Tests.TestSupport;

/// <summary>A current user set by the test, for calling feature services directly (no HTTP, no circuit).</summary>
public sealed class TestCurrentUser(UserScope? scope, string? remoteAddress = "192.0.2.10") : ICurrentUser
{
    public UserScope? Scope { get; set; } = scope;

    public string? RemoteAddress { get; } = remoteAddress;

    public static UserScope Advocate(params string[] countries) => new(Guid.NewGuid().ToString(), "advocate@example.org", "Test Advocate", [Roles.Advocate], countries);

    public static UserScope Coordinator() => new(Guid.NewGuid().ToString(), "coordinator@example.org", "Test Coordinator", [Roles.Coordinator], []);

    public static UserScope Administrator(string? userId = null) => new(userId ?? Guid.NewGuid().ToString(), "admin@example.org", "Test Administrator", [Roles.Administrator], []);

    public static UserScope For(TestStaffUser user, string role, params string[] countries) => new(user.Id, user.UserName, "Test", [role], countries);

    public Task<UserScope?> FindAsync(CancellationToken cancellationToken = default) => Task.FromResult(Scope);

    public Task<UserScope> GetAsync(CancellationToken cancellationToken = default) =>
        Scope is null ? throw new NotSignedInException() : Task.FromResult(Scope);
}

/// <summary>Feature services of a test app wired to a <see cref="TestCurrentUser"/>.</summary>
public static class ServicesAs
{
    public static IAuditLog AuditLog(IServiceProvider services, ICurrentUser user) =>
        new AuditLog(services.GetRequiredService<AuditAppender>(), user, services.GetRequiredService<IDbContextFactory<PortalDbContext>>());

    public static ScopeGuard ScopeGuard(IServiceProvider services, ICurrentUser user) => new(user, AuditLog(services, user));

    public static T Create<T>(IServiceProvider services, ICurrentUser user) =>
        ActivatorUtilities.CreateInstance<T>(services, ScopeGuard(services, user), AuditLog(services, user), user);
}
