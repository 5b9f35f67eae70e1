using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// The one place that turns <c>Portal:Jobs:Storage</c> into a Hangfire storage. Tests and benchmarks that want a
/// storage of their own (in memory) replace the <see cref="JobStorage"/> singleton instead.
/// </summary>
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

                // Workers, the scheduler and lock heartbeats write at once: WAL lets readers carry on meanwhile.
                JournalMode = SQLiteStorageOptions.JournalModes.WAL,
            }),

        // Scaled out: every node's workers take jobs from one queue in the shared database (schema "hangfire"). The
        // recurring scheduler enqueues each occurrence once across nodes under Hangfire's distributed lock; a lock
        // left by a node that died is taken over after DistributedLockTimeout.
        JobStorageKind.Postgres => new PostgreSqlStorage(
            new NpgsqlConnectionFactory(
                options.PostgresConnectionString ?? throw new InvalidOperationException(
                    "Portal:Jobs:Storage is Postgres but there is no connection string: set Portal:Jobs:PostgresConnectionString, " +
                    "or ConnectionStrings:Portal with Portal:Database:Provider=Postgres."),
                PostgresOptions(options)),
            PostgresOptions(options)),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Storage, "Unknown Portal:Jobs:Storage."),
    };

    private static PostgreSqlStorageOptions PostgresOptions(JobsOptions options) => new()
    {
        SchemaName = "hangfire",
        PrepareSchemaIfNecessary = true,
        QueuePollInterval = options.QueuePollInterval,
        InvisibilityTimeout = options.InvisibilityTimeout,
        DistributedLockTimeout = options.DistributedLockTimeout,
    };
}
