using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Data;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Persistence;

/// <summary>The portal with a one-second busy timeout (SQLite), so that a held database answers within a second.</summary>
public sealed class BusyDatabaseApp : PortalAppFactory
{
    public BusyDatabaseApp() => _ = Server;

    public PortalDbContext NewContext() => Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:Database:BusyTimeout", "00:00:01");
    }
}

/// <summary>
/// <see cref="DatabaseBusy"/> on both engines, as the portal's own contexts raise it: a write that waits out another
/// writer's lock is busy (retryable, nothing written); a change the database refuses is not, so a page never tells a
/// person "try again" for a change that can never succeed, nor "someone else was faster" for a busy database.
/// </summary>
public sealed class DatabaseBusyTests : IClassFixture<BusyDatabaseApp>
{
    private readonly BusyDatabaseApp _app;

    public DatabaseBusyTests(BusyDatabaseApp app) => _app = app;

    [Fact]
    public async Task A_write_that_waits_out_another_writers_lock_is_busy_and_writes_nothing()
    {
        var node = $"busy-{Guid.NewGuid():N}";
        // Now, to the second: the running portal's heartbeat prunes rows older than a day.
        var now = DateTime.UtcNow;
        var before = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        await using (var db = _app.NewContext())
        {
            db.Add(new NodeHeartbeatRow { Node = node, AtUtc = before });
            await db.SaveChangesAsync();
        }

        Exception? failure;
        await using (var holder = _app.NewContext())
        {
            // Another writer, in the middle of its own transaction: SQLite's write lock, PostgreSQL's lock on the row.
            await using var held = await holder.Database.BeginTransactionAsync();
            await holder.Database.ExecuteSqlAsync($"""UPDATE "NodeHeartbeats" SET "AtUtc" = {before.AddDays(1)} WHERE "Node" = {node}""");

            await using var db = _app.NewContext();
            var row = await db.Set<NodeHeartbeatRow>().SingleAsync(h => h.Node == node);
            row.AtUtc = before.AddDays(2);
            failure = await Record.ExceptionAsync(async () =>
            {
                if (_app.IsPostgres)
                {
                    // PostgreSQL waits for a row lock without end by default; the portal's statements are bounded by their
                    // command timeout, this one by a lock timeout of its own, which fails the same way sooner.
                    await using var transaction = await db.Database.BeginTransactionAsync();
                    await db.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '300ms'");
                    await db.SaveChangesAsync();
                    await transaction.CommitAsync();
                }
                else
                {
                    await db.SaveChangesAsync(); // waits Portal:Database:BusyTimeout, then fails
                }
            });
        }

        Assert.NotNull(failure);
        Assert.True(DatabaseBusy.Is(failure), $"not seen as busy: {failure}");
        await using var check = _app.NewContext();
        Assert.Equal(TestPostgres.AsStored(before), (await check.Set<NodeHeartbeatRow>().AsNoTracking().SingleAsync(h => h.Node == node)).AtUtc);
    }

    [Fact]
    public async Task A_change_the_database_refuses_is_not_busy()
    {
        var node = $"refused-{Guid.NewGuid():N}";
        await using (var db = _app.NewContext())
        {
            db.Add(new NodeHeartbeatRow { Node = node, AtUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        await using var again = _app.NewContext();
        again.Add(new NodeHeartbeatRow { Node = node, AtUtc = DateTime.UtcNow });
        var refusal = await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync());

        Assert.False(DatabaseBusy.Is(refusal), $"a duplicate key was taken for a busy database: {refusal}");
    }
}
