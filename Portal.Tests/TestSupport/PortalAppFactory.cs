using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace Portal.Tests.TestSupport;

/// <summary>
/// The real app in-process on a temporary SQLite file of its own, or, when the run selects PostgreSQL
/// (<see cref="TestPostgres.IsSelected"/>), on a temporary PostgreSQL database of its own.
/// </summary>
public class PortalAppFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _data = new("portal-it");
    private readonly string? _postgres = TestPostgres.IsSelected ? TestPostgres.NewDatabase("it") : null;

    public string DataDirectory => _data.Path;

    public bool IsPostgres => _postgres is not null;

    protected virtual string EnvironmentName => "Testing";

    /// <summary>False for an app whose tests need the portal's own job storage (<c>Portal:Jobs:Storage</c>, a file by default).</summary>
    protected virtual bool JobsInMemory => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("Portal:DataDirectory", _data.Path);
        if (_postgres is not null)
        {
            builder.UseSetting("Portal:Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Portal", _postgres);
        }

        // Jobs in memory: nothing to clean up, and a small worker pool, since many test apps run at once.
        if (JobsInMemory)
        {
            builder.ConfigureTestServices(services => services.UseInMemoryJobStorage());
        }

        builder.UseSetting("Portal:Jobs:WorkerCount", "2");

        // No scheduled reminder scan: on the real clock it would run at every minute boundary against the test's
        // database and race with what the test arranges (a scan once inserted the scan mark between a test's delete
        // and insert). Tests drive the scanner themselves; JobDashboardTests turns the schedule on to see it.
        builder.UseSetting("Portal:Reminders:ScanEnabled", "false");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (_postgres is not null)
            {
                TestPostgres.Drop(_postgres);
            }

            _data.Dispose();
        }
    }
}
