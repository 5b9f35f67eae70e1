using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Jobs;

namespace Portal.Features.Operations.Backup;

/// <summary>
/// Where this installation keeps what a backup holds, all under the data folder: the SQLite databases of the portal and
/// of the jobs (embedded mode), the Data Protection key ring (<c>keys/</c>; in the database with PostgreSQL) and the files
/// under <c>documents/</c> (those still being written, *.part or *.tmp, are left out). The documents attached to cases are
/// rows of the portal database, so its copy holds them.
/// </summary>
public sealed record BackupSources(string DataDirectory, DatabaseProvider Provider, string? PortalDatabase, string? JobsDatabase, string? KeysDirectory)
{
    public const string KeysFolder = "keys";
    public const string DocumentsFolder = "documents";

    public string DocumentsDirectory => Path.Combine(DataDirectory, DocumentsFolder);

    public static BackupSources From(IServiceProvider services)
    {
        var data = services.GetRequiredService<PortalDataLocation>().Directory;
        var database = services.GetRequiredService<DatabaseSettings>();
        var jobs = services.GetRequiredService<IOptions<JobsOptions>>().Value;
        if (database.IsPostgres)
        {
            return new BackupSources(data, database.Provider, null, null, null);
        }

        var portal = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        var jobsFile = jobs.Storage == JobStorageKind.Sqlite ? Path.Combine(data, jobs.SqliteFile) : null;
        return new BackupSources(data, database.Provider, portal, jobsFile, Path.Combine(data, KeysFolder));
    }

    /// <summary>A path under the data folder, as the manifest names it.</summary>
    public string Relative(string path) => Path.GetRelativePath(DataDirectory, path).Replace(Path.DirectorySeparatorChar, '/');

    public string Absolute(string relative) => Path.GetFullPath(Path.Combine(DataDirectory, relative.Replace('/', Path.DirectorySeparatorChar)));
}

/// <summary>A refusal the console explains: a resource key of <see cref="OperationsText"/> and its arguments.</summary>
public sealed class OperationRefusedException(string key, params object[] arguments) : Exception(key)
{
    public string Key { get; } = key;

    public object[] Arguments { get; } = arguments;
}
