using System.Diagnostics.CodeAnalysis;
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
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "Every path disposes the connection in the finally or hands it to Held; the analyzer does not follow an awaited DisposeAsync there.")]
    public async Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!database.IsPostgres)
        {
            return Granted.Instance;
        }

        // Not pooled: closing ends the session, which releases the lock even if the unlock were never sent.
        // Disposed here unless the lock was taken; then the lock owns the connection.
        NpgsqlConnection? opening = null;
        try
        {
            opening = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
            var connection = opening;
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT pg_try_advisory_lock(hashtext(@name))";
            command.Parameters.AddWithValue("name", "portal:" + name);
            if (await command.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return null;
            }

            // The lock lives as long as its session: the connection now belongs to the lock.
            var held = new Held(connection);
            opening = null;
            return held;
        }
        finally
        {
            if (opening is not null)
            {
                await opening.DisposeAsync();
            }
        }
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
