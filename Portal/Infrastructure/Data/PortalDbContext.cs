using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Portal.Infrastructure.Security;

namespace Portal.Infrastructure.Data;

/// <summary>One database for staff accounts and case data; each entity's mapping lives in Configurations/.</summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options, FieldProtector fieldProtector)
    : IdentityDbContext<StaffUser>(options)
{
    /// <summary>Encrypts identifying columns; the model's value converters are built with it.</summary>
    public FieldProtector FieldProtector { get; } = fieldProtector;

    /// <summary>The user on whose behalf this unit of work runs; stamped on what it creates and changes.</summary>
    public string? ActorId { get; set; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly, t => t.GetConstructor(Type.EmptyTypes) is not null);
        Configurations.ProtectedColumns.Apply(builder, FieldProtector);
    }
}

/// <summary>
/// The model holds value converters bound to one app's key ring; several apps in one process (tests, nodes)
/// must not share a cached model built with another app's keys.
/// </summary>
public sealed class PortalModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is PortalDbContext portal ? (context.GetType(), portal.FieldProtector, designTime) : (context.GetType(), designTime);
}
