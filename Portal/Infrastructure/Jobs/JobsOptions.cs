namespace Portal.Infrastructure.Jobs;

public enum JobStorageKind
{
    /// <summary>A SQLite file of its own in the data folder: the embedded default.</summary>
    Sqlite,

    /// <summary>The scaled-out mode (several nodes share one queue); see <see cref="JobStorages"/>.</summary>
    Postgres,
}

/// <summary>The "Portal:Jobs" configuration section: where Hangfire keeps its queue and how this node works it.</summary>
public sealed class JobsOptions
{
    public const string Section = "Portal:Jobs";

    public JobStorageKind Storage { get; set; } = JobStorageKind.Sqlite;

    /// <summary>The job storage file, relative to the data folder (Sqlite).</summary>
    public string SqliteFile { get; set; } = "jobs.db";

    /// <summary>
    /// For <see cref="JobStorageKind.Postgres"/>; when empty, the portal's own database (<c>ConnectionStrings:Portal</c>)
    /// holds the job tables too, in a schema of their own.
    /// </summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>
    /// PostgreSQL: a job-storage lock held this long is taken to be left by a node that died, and is taken over. Hangfire
    /// holds its own locks for moments; this bounds how long one dead node can hold up the others' recurring jobs.
    /// </summary>
    public TimeSpan DistributedLockTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Process jobs on this node. A node that only serves pages can leave it off; the queue is shared.</summary>
    public bool RunServer { get; set; } = true;

    public int WorkerCount { get; set; } = 4;

    /// <summary>How often this node looks for recurring and scheduled jobs that are due.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often idle workers look at the SQLite or PostgreSQL queue.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A job fetched by a node that died becomes visible again after this long (SQLite, PostgreSQL).</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
