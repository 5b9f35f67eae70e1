using Microsoft.Data.Sqlite;
using Npgsql;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Tells a database that is busy (another writer holds it, a lock wait or a command timed out, the pool is exhausted)
/// from one that refused the change. Busy is retryable: nothing was written, and the same command may well succeed in
/// a moment. Pages say so in the person's language and keep what was typed; never present it as a lost race or a
/// conflict. <c>catch (Exception ex) when (DatabaseBusy.Is(ex))</c>, before any handler of <c>DbUpdateException</c>
/// (a busy SQLite save arrives wrapped in one), answering a command with <see cref="Code"/>.
/// </summary>
public static class DatabaseBusy
{
    /// <summary>The code of a command result refused because the database was busy; pages show their "Error_database.busy".</summary>
    public const string Code = "database.busy";

    // lock_not_available, serialization_failure, deadlock_detected, query_canceled (statement or lock timeout),
    // too_many_connections, cannot_connect_now.
    private static readonly HashSet<string> PostgresBusyStates = ["55P03", "40001", "40P01", "57014", "53300", "57P03"];

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>True when this exception, or one it wraps (EF's DbUpdateException, an AggregateException), is a busy database.</summary>
    public static bool Is(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SqliteException sqlite when sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked:
                case PostgresException postgres when PostgresBusyStates.Contains(postgres.SqlState):
                case NpgsqlException { InnerException: TimeoutException }:
                case TimeoutException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(Is):
                    return true;
            }
        }

        return false;
    }
}
