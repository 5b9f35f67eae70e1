using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Portal.Tests.TestSupport;

/// <summary>The real app in-process on a temporary SQLite file of its own.</summary>
public class PortalAppFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _data = new("portal-it");

    public string DataDirectory => _data.Path;

    protected virtual string EnvironmentName => "Testing";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("Portal:DataDirectory", _data.Path);

        // Jobs in memory: nothing to clean up, and a small worker pool, since many test apps run at once.
        builder.UseSetting("Portal:Jobs:Storage", "InMemory");
        builder.UseSetting("Portal:Jobs:WorkerCount", "2");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _data.Dispose();
        }
    }
}
