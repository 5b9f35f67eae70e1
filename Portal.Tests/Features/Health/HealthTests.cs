using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Health;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Health;

/// <summary>The portal as /health sees it: its job storage on an SQLite file of its own, short write probes.</summary>
public sealed class HealthApp : PortalAppFactory
{
    public HealthApp() => _ = Server; // started before a test holds its files

    public string JobsFile => Path.Combine(DataDirectory, "jobs.db");

    /// <summary>The job storage's write probe is tested on the real jobs file.</summary>
    protected override bool JobsInMemory => false;

    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:Jobs:Storage", "Sqlite");
        builder.UseSetting("Portal:Jobs:RunServer", "false");
        builder.UseSetting("Portal:Nodes:WriteTimeout", "00:00:01");
    }
}

/// <summary>
/// /health says whether the portal can write (its database and its job storage: the latest one-row write probe, not a
/// write per call) and whether its key ring reads what the database holds (a sample stored with every key).
/// </summary>
public sealed class HealthTests : IClassFixture<HealthApp>
{
    private readonly HealthApp _app;

    public HealthTests(HealthApp app) => _app = app;

    [Fact]
    public async Task A_working_portal_reports_writes_and_its_key_ring_healthy()
    {
        await ProbeAsync();

        var (status, checks) = await HealthAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", checks["database-writes"]);
        Assert.Equal("Healthy", checks["jobs-writes"]);
        Assert.Equal("Healthy", checks["keys"]);
        await using var db = await _app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.NotEmpty(await db.Set<KeyRingCanary>().ToListAsync());
        Assert.True(await db.Set<NodeHeartbeatRow>().AnyAsync(h => h.Node == _app.Service<PortalNode>().Id));
    }

    [Fact]
    [Trait(TestPostgres.DatabaseTrait, TestPostgres.SqliteOnly)]
    public async Task While_another_writer_holds_the_database_health_says_it_cannot_be_written_and_recovers()
    {
        await using (var holder = await HoldWriteLockAsync(Path.Combine(_app.DataDirectory, "portal.db")))
        {
            var probe = await _app.Service<NodeHeartbeat>().BeatAsync();
            Assert.False(probe.Succeeded);

            var (status, checks) = await HealthAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", checks["database-writes"]);
            Assert.Equal("Healthy", checks["database"]); // it still answers: reads go on
        }

        Assert.True((await _app.Service<NodeHeartbeat>().BeatAsync()).Succeeded);
        Assert.Equal(HttpStatusCode.OK, (await HealthAsync()).Status);
    }

    [Fact]
    [Trait(TestPostgres.DatabaseTrait, TestPostgres.SqliteOnly)]
    public async Task While_another_writer_holds_the_job_storage_health_says_it_cannot_be_written_and_recovers()
    {
        await ProbeAsync();
        await using (var holder = await HoldWriteLockAsync(_app.JobsFile))
        {
            Assert.False((await _app.Service<JobStorageWriteProbe>().ProbeAsync()).Succeeded);

            var (status, checks) = await HealthAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", checks["jobs-writes"]);
        }

        Assert.True((await _app.Service<JobStorageWriteProbe>().ProbeAsync()).Succeeded);
        Assert.Equal("Healthy", (await HealthAsync()).Checks["jobs-writes"]);
    }

    [Fact]
    public async Task A_sample_the_key_ring_cannot_read_makes_health_unhealthy()
    {
        await ProbeAsync();
        var foreignKey = Guid.NewGuid();
        var foreign = new EphemeralDataProtectionProvider().CreateProtector("Portal.KeyRingCanary.v1").Protect("a sample from another key ring"u8.ToArray());
        await using (var db = await _app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlAsync($"""INSERT INTO "KeyRingCanaries" ("KeyId", "Sample", "CreatedAtUtc") VALUES ({foreignKey}, {Convert.ToBase64String(foreign)}, {DateTime.UtcNow})""");
        }

        try
        {
            var (status, checks) = await HealthAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", checks["keys"]);
            Assert.False((await _app.Service<KeyRingCheck>().CheckAsync()).CanRead);
        }
        finally
        {
            await using var db = await _app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            await db.Database.ExecuteSqlAsync($"""DELETE FROM "KeyRingCanaries" WHERE "KeyId" = {foreignKey}""");
        }

        Assert.Equal("Healthy", (await HealthAsync()).Checks["keys"]);
    }

    [Fact]
    [Trait(TestPostgres.DatabaseTrait, TestPostgres.SqliteOnly)]
    public async Task A_key_file_that_disappears_while_the_portal_runs_is_reported_before_the_next_start_fails()
    {
        await ProbeAsync();
        var keys = Path.Combine(_app.DataDirectory, "keys");
        var aside = Path.Combine(_app.DataDirectory, "keys-aside");
        Directory.Move(keys, aside);
        try
        {
            var (status, checks) = await HealthAsync();
            Assert.Equal(HttpStatusCode.OK, status); // the running portal still holds its keys in memory
            Assert.Equal("Degraded", checks["keys"]);
        }
        finally
        {
            Directory.Move(aside, keys);
        }

        Assert.Equal("Healthy", (await HealthAsync()).Checks["keys"]);
    }

    [Fact]
    [Trait(TestPostgres.DatabaseTrait, TestPostgres.SqliteOnly)]
    public async Task A_key_file_damaged_while_the_portal_runs_is_reported_before_the_next_start_fails()
    {
        await ProbeAsync();
        var keyFile = Directory.GetFiles(Path.Combine(_app.DataDirectory, "keys"), "key-*.xml").Order(StringComparer.Ordinal).First();
        var intact = await File.ReadAllTextAsync(keyFile);
        await File.WriteAllTextAsync(keyFile, intact[..120]); // cut short, as by a full disk or a bad copy
        try
        {
            using var client = _app.CreateClient();
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var keys = json.RootElement.GetProperty("checks").GetProperty("keys");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the running portal read the file before it was damaged
            Assert.Equal("Degraded", keys.GetProperty("status").GetString());
            Assert.Contains($"{Path.GetFileName(keyFile)} is damaged", keys.GetProperty("description").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await File.WriteAllTextAsync(keyFile, intact);
        }

        Assert.Equal("Healthy", (await HealthAsync()).Checks["keys"]);
    }

    private async Task ProbeAsync()
    {
        Assert.True((await _app.Service<NodeHeartbeat>().BeatAsync()).Succeeded);
        Assert.True((await _app.Service<JobStorageWriteProbe>().ProbeAsync()).Succeeded);
    }

    private async Task<(HttpStatusCode Status, Dictionary<string, string> Checks)> HealthAsync()
    {
        using var client = _app.CreateClient();
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = json.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetProperty("status").GetString()!);
        return (response.StatusCode, checks);
    }

    /// <summary>Another process's writer, as far as the portal can tell: a connection of its own holding the write lock.</summary>
    private static async Task<SqliteConnection> HoldWriteLockAsync(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }
}
