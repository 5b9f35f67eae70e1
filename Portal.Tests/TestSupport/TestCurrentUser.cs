using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Audit;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
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

    /// <summary>
    /// A feature service whose current user, scope guard, audit log, scope loading and command path are the test's; other
    /// dependencies come from the app.
    /// </summary>
    public static T Create<T>(IServiceProvider services, ICurrentUser user)
    {
        // The scope must outlive this method: the service keeps what it resolves, for as long as the test's app runs.
#pragma warning disable CA2000
        var scoped = services.CreateScope().ServiceProvider;
#pragma warning restore CA2000
        var audit = AuditLog(services, user);
        var guard = new ScopeGuard(user, audit);
        var cases = new CaseScope(services.GetRequiredService<SessionStore>(), audit);
        var path = new CommandPath(services.GetRequiredService<IDbContextFactory<PortalDbContext>>(), cases, audit, services.GetRequiredService<ILiveEvents>());
        var constructor = typeof(T).GetConstructors().Single();
        var arguments = constructor.GetParameters().Select(p =>
            p.ParameterType == typeof(ICurrentUser) ? user
            : p.ParameterType == typeof(IAuditLog) ? audit
            : p.ParameterType == typeof(ScopeGuard) ? guard
            : p.ParameterType == typeof(CaseScope) ? cases
            : p.ParameterType == typeof(CommandPath) ? path
            : scoped.GetRequiredService(p.ParameterType)).ToArray();
        return (T)constructor.Invoke(arguments);
    }
}
