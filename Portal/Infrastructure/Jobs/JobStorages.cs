using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage.SQLite;

namespace Portal.Infrastructure.Jobs;

/// <summary>The one place that turns <c>Portal:Jobs:Storage</c> into a Hangfire storage.</summary>
public static class JobStorages
{
    public static JobStorage Create(JobsOptions options, string dataDirectory) => options.Storage switch
    {
        JobStorageKind.Sqlite => new SQLiteStorage(
            Path.Combine(dataDirectory, options.SqliteFile),
            new SQLiteStorageOptions
            {
                QueuePollInterval = options.QueuePollInterval,
                InvisibilityTimeout = options.InvisibilityTimeout,
            }),
        JobStorageKind.InMemory => new InMemoryStorage(new InMemoryStorageOptions()),

        // Switch point for the scaled-out mode (issue 10): reference Hangfire.PostgreSql and return
        // new PostgreSqlStorage(...) built from options.PostgresConnectionString here; nothing else changes.
        JobStorageKind.Postgres => throw new NotSupportedException(
            "Portal:Jobs:Storage is Postgres, but PostgreSQL job storage is not built into this version yet. Use Sqlite or InMemory."),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Storage, "Unknown Portal:Jobs:Storage."),
    };
}
