using Microsoft.Data.Sqlite;

namespace Portal.Features.Operations.Backup;

/// <summary>SQLite files copied with SQLite's own online backup API, and checked.</summary>
public static class SqliteSnapshot
{
    /// <summary>
    /// A consistent copy of a live database: SQLite's backup copies every page in one step under a read transaction, so
    /// writers carry on (WAL) and the copy holds exactly the transactions committed when it began.
    /// </summary>
    public static async Task CopyAsync(string source, string destination, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var from = new SqliteConnection(Connection(source, SqliteOpenMode.ReadWrite));
                await using var to = new SqliteConnection(Connection(destination, SqliteOpenMode.ReadWriteCreate));
                await from.OpenAsync(cancellationToken);
                await to.OpenAsync(cancellationToken);
                from.BackupDatabase(to);

                // The copy took the live file's WAL mode: back to a rollback journal, so that it is one self-contained
                // file and reading it (the integrity check) leaves no -wal or -shm beside it in the backup. A start on
                // the restored file turns WAL on again.
                await using var journal = to.CreateCommand();
                journal.CommandText = "PRAGMA journal_mode = DELETE";
                await journal.ExecuteScalarAsync(cancellationToken);
                return;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6 && attempt < 10)
            {
                // SQLITE_BUSY or SQLITE_LOCKED: a checkpoint held the file for a moment; the copy starts again.
                File.Delete(destination);
            }
        }
    }

    /// <summary>The result of PRAGMA integrity_check: "ok" for a sound file.</summary>
    public static async Task<string> CheckAsync(string path, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(Connection(path, SqliteOpenMode.ReadOnly));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("; ", lines);
    }

    /// <summary>Rows per table, and the last applied EF migration.</summary>
    public static async Task<(SortedDictionary<string, long> Rows, IReadOnlyList<string> Migrations)> DescribeAsync(string path, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(Connection(path, SqliteOpenMode.ReadOnly));
        await connection.OpenAsync(cancellationToken);
        var tables = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            rows[table] = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        var migrations = new List<string>();
        if (tables.Contains("__EFMigrationsHistory"))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT MigrationId FROM \"__EFMigrationsHistory\" ORDER BY MigrationId";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                migrations.Add(reader.GetString(0));
            }
        }

        return (rows, migrations);
    }

    private static string Connection(string path, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = 30 }.ToString();
}
