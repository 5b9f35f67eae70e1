using Npgsql;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Named locks shared by every node of one database, for work that must not run on two nodes at once (the reminder
/// scan). On PostgreSQL a session-level advisory lock on a connection of its own: a node that dies loses its connection,
/// and with it the lock, at once; nothing waits for a timeout. With SQLite there is one node, and the caller's
/// in-process gate is the whole story, so the lock is always granted.
/// </summary>
public sealed class DatabaseLocks(DatabaseSettings database)
{
    /// <summary>The lock, to dispose when the work is done; null when another node holds it now.</summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!database.IsPostgres)
        {
            return Granted.Instance;
        }

        // Not pooled: closing ends the session, which releases the lock even if the unlock were never sent.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT pg_try_advisory_lock(hashtext(@name))";
            command.Parameters.AddWithValue("name", "portal:" + name);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new Held(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    private sealed class Held(NpgsqlConnection connection) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }

    private sealed class Granted : IAsyncDisposable
    {
        public static readonly Granted Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
