using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Configuration;
using Portal.Infrastructure.Data;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

public sealed class SkeletonTests : IClassFixture<PortalAppFactory>
{
    private readonly PortalAppFactory _factory;

    public SkeletonTests(PortalAppFactory factory) => _factory = factory;

    [Fact]
    [Trait(TestPostgres.DatabaseTrait, TestPostgres.SqliteOnly)] // the SQLite file and its pragmas
    public async Task Health_reports_the_migrated_database_as_healthy()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(_factory.DataDirectory, "portal.db")), "the SQLite file lives in the configured data folder");
    }

    [Fact]
    [Trait(TestPostgres.DatabaseTrait, TestPostgres.SqliteOnly)] // the SQLite file and its pragmas
    public async Task Migrations_are_applied_and_connections_use_wal_full_sync_and_a_busy_timeout()
    {
        _ = _factory.Server; // starts the app, which migrates
        var factory = _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal("wal", await Scalar(db, "PRAGMA journal_mode"));
        Assert.Equal("2", await Scalar(db, "PRAGMA synchronous")); // 2 = FULL
        Assert.Equal(((long)DatabaseSettings.DefaultBusyTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture), await Scalar(db, "PRAGMA busy_timeout"));
    }

    [Fact]
    public async Task Home_page_renders_the_shell_in_the_language_of_the_culture_cookie()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services, Portal.Infrastructure.Security.Roles.Coordinator);
        using var client = await _factory.SignInAsync(user);

        var english = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        using (await client.GetAsync(new Uri("/culture/set?culture=fr&redirectUri=%2F", UriKind.Relative)))
        {
        }

        var french = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("Victims&#x27; Rights Portal", english, StringComparison.Ordinal);
        Assert.Contains("_content/MudBlazor/MudBlazor.min.", english, StringComparison.Ordinal);
        Assert.Contains("Portail des droits des victimes", french, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"fr\"", french, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task Language_switch_never_redirects_off_site(string redirectUri)
    {
        using var client = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://portal.example.org"), AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri($"/culture/set?culture=fr&redirectUri={Uri.EscapeDataString(redirectUri)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Language_switch_sets_the_culture_cookie_and_returns_to_the_page()
    {
        using var client = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://portal.example.org"), AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("/culture/set?culture=fr&redirectUri=%2Fnot-found", UriKind.Relative));

        Assert.Equal("/not-found", response.Headers.Location?.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Dfr%7Cuic%3Dfr", StringComparison.Ordinal));
    }

    private static async Task<string> Scalar(DbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}

public sealed class DevelopmentConfigurationTests : IClassFixture<DevelopmentConfigurationTests.DevelopmentFactory>
{
    private readonly DevelopmentFactory _factory;

    public DevelopmentConfigurationTests(DevelopmentFactory factory) => _factory = factory;

    [Fact]
    public void Development_reads_the_one_settings_file_at_the_repository_root()
    {
        Assert.False(File.Exists(Path.Combine(RepositoryPaths.PortalProject, "appsettings.Development.json")), "there is no second copy inside Portal/");
        var options = _factory.Services.GetRequiredService<IOptions<PortalOptions>>().Value;

        Assert.True(options.SeedDemoData, "SeedDemoData comes from the root appsettings.Development.json");
    }

    /// <summary>Development, without the ~1,800 demo cases: seeding them is most of a Development start, and this is about the settings file.</summary>
    public sealed class DevelopmentFactory : PortalAppFactory
    {
        protected override string EnvironmentName => "Development";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Portal:SeedDemoCases", "false");
        }
    }
}
