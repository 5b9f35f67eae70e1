using Npgsql;
using Portal.Infrastructure.Data;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.ScaledOut;

/// <summary>The lock that keeps the reminder scan to one node at a time, on the test PostgreSQL.</summary>
public sealed class DatabaseLocksTests
{
    private static DatabaseSettings Server() =>
        new(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(TestPostgres.Server) { Database = "postgres" }.ConnectionString);

    [Fact]
    public async Task While_one_node_holds_the_lock_another_is_refused_and_gets_it_once_released()
    {
        var name = $"test-{Guid.NewGuid():N}";
        var nodeA = new DatabaseLocks(Server());
        var nodeB = new DatabaseLocks(Server());

        var held = await nodeA.TryAcquireAsync(name);
        Assert.NotNull(held);
        Assert.Null(await nodeB.TryAcquireAsync(name));
        Assert.NotNull(await nodeB.TryAcquireAsync(name + "-other"));

        await held.DisposeAsync();
        var taken = await nodeB.TryAcquireAsync(name);
        Assert.NotNull(taken);
        await taken.DisposeAsync();
    }

    [Fact]
    public async Task A_holder_whose_connection_dies_loses_the_lock_at_once()
    {
        var name = $"test-{Guid.NewGuid():N}";
        var nodeA = new DatabaseLocks(Server());
        var nodeB = new DatabaseLocks(Server());
        var held = await nodeA.TryAcquireAsync(name);
        Assert.NotNull(held);

        // What a killed process leaves: its session ended by the server, no unlock ever sent. With a timeout the call
        // returns once the session has really ended (without one it returns when the signal is sent, and under load
        // the session could still hold the lock a moment later).
        await using (var admin = new NpgsqlConnection(Server().ConnectionString))
        {
            await admin.OpenAsync();
            await using var command = admin.CreateCommand();
            command.CommandText = "SELECT pg_terminate_backend(pid, 30000) FROM pg_locks WHERE locktype = 'advisory' AND objid = hashtext(@name)::oid";
            command.Parameters.AddWithValue("name", "portal:" + name);
            Assert.Equal(true, await command.ExecuteScalarAsync());
        }

        var taken = await nodeB.TryAcquireAsync(name);
        Assert.NotNull(taken);
        await taken.DisposeAsync();
        await held.DisposeAsync(); // closing a connection the server already ended is harmless
    }

    [Fact]
    public async Task With_sqlite_the_one_node_always_gets_the_lock()
    {
        var locks = new DatabaseLocks(new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=unused.db"));
        await using var first = await locks.TryAcquireAsync("scan");
        await using var second = await locks.TryAcquireAsync("scan");
        Assert.NotNull(first);
        Assert.NotNull(second);
    }
}
