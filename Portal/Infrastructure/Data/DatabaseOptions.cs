using Microsoft.Data.Sqlite;
using Portal.Infrastructure.Configuration;

namespace Portal.Infrastructure.Data;

public enum DatabaseProvider
{
    /// <summary>Embedded: one file in the data folder, one node.</summary>
    Sqlite,

    /// <summary>Scaled out: a PostgreSQL server shared by every node (<c>ConnectionStrings:Portal</c>).</summary>
    Postgres,
}

/// <summary>The <c>Portal:Database</c> section and the <c>Portal</c> connection string, checked once at start-up.</summary>
/// <param name="BusyTimeout">
/// SQLite (<c>Portal:Database:BusyTimeout</c>): how long a statement waits for another writer before it fails as busy
/// (<see cref="DatabaseBusy"/>), which pages report as "try again in a moment".
/// </param>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, TimeSpan BusyTimeout)
{
    public const string Section = "Portal:Database";
    public const string ConnectionStringName = "Portal";

    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    public DatabaseSettings(DatabaseProvider provider, string connectionString)
        : this(provider, connectionString, DefaultBusyTimeout)
    {
    }

    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    public static DatabaseSettings From(IConfiguration configuration, string contentRoot)
    {
        var providerName = configuration[$"{Section}:Provider"];
        var provider = DatabaseProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerName) && !Enum.TryParse(providerName, ignoreCase: true, out provider))
        {
            throw new InvalidOperationException(
                $"{Section}:Provider is '{providerName}'; it must be Sqlite (the default) or Postgres.");
        }

        if (provider == DatabaseProvider.Postgres)
        {
            var connectionString = configuration.GetConnectionString(ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    $"{Section}:Provider is Postgres but ConnectionStrings:{ConnectionStringName} is empty; set it " +
                    "(for example ConnectionStrings__Portal=\"Host=db;Database=portal;Username=portal;Password=...\").");
            }

            return new DatabaseSettings(provider, connectionString);
        }

        var options = configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        var dataDirectory = options.ResolveDataDirectory(contentRoot);
        var busy = configuration.GetValue($"{Section}:BusyTimeout", DefaultBusyTimeout);
        if (busy <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:BusyTimeout is {busy}; it must be positive (for example 00:00:30).");
        }

        // The driver retries a busy statement until its command timeout: both bound the wait.
        return new DatabaseSettings(provider, new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "portal.db"),
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(busy.TotalSeconds),
        }.ToString(), busy);
    }
}
