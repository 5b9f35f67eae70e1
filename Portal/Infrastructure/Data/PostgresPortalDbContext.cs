using Microsoft.EntityFrameworkCore;

namespace Portal.Infrastructure.Data;

/// <summary>
/// The same model on PostgreSQL. It exists as a type of its own only because EF Core finds a context's migrations by
/// its type: SQLite's are generated for <see cref="PortalDbContext"/> (Migrations/Sqlite), PostgreSQL's for this one
/// (Migrations/Postgres). Services still ask for <see cref="IDbContextFactory{PortalDbContext}"/> and get one of these.
/// </summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options)
    : PortalDbContext(options);

/// <summary>Hands out PostgreSQL contexts to services that ask for the base type.</summary>
internal sealed class PostgresContextFactory(IDbContextFactory<PostgresPortalDbContext> inner) : IDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<PortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
