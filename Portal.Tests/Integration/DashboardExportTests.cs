using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Countries;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>The download endpoint through real sign-in: it checks the role itself, escapes, and audits every export.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class DashboardExportTests : IAsyncLifetime
{
    private readonly PortalAppFactory _app = new();

    public async Task InitializeAsync()
    {
        _ = _app.Server;
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        await using (db)
        {
            // An administrator-editable name is the one free text in an export: a hostile one must arrive inert.
            db.Countries.Add(Country.Create("XZ", "=HYPERLINK(\"http://evil.example\",\"Click\")", ["UTC"], ["en"], isFieldCountry: false));
            await db.SaveChangesAsync();
        }
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_coordinator_downloads_escaped_figures_for_every_country_and_the_export_is_audited()
    {
        var coordinator = await StaffAccounts.CreateAsync(_app.Services, Roles.Coordinator);
        using var client = await _app.SignInAsync(coordinator);

        using var response = await client.GetAsync(new Uri("/reports/export?format=csv&period=Year&year=2025", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var csv = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("ALL,All countries,2025-01-01,2025-12-31,Now,Open cases,Total,0", csv, StringComparison.Ordinal);
        Assert.Contains("XZ,\"'=HYPERLINK(", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",\"=HYPERLINK", csv, StringComparison.Ordinal);
        Assert.Equal(1, await CountAuditAsync(coordinator.Id, AuditAction.Exported));

        using var xlsx = await client.GetAsync(new Uri("/reports/export?format=xlsx&country=CD", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("PK", Encoding.ASCII.GetString((await xlsx.Content.ReadAsByteArrayAsync())[..2]));
        Assert.Equal(2, await CountAuditAsync(coordinator.Id, AuditAction.Exported));
    }

    [Fact]
    public async Task An_export_comes_in_the_requesters_language_with_readable_labels_and_no_code_names()
    {
        var coordinator = await StaffAccounts.CreateAsync(_app.Services, Roles.Coordinator);
        using var client = await _app.SignInAsync(coordinator);

        using var response = await client.GetAsync(new Uri("/reports/export?format=csv&period=Year&year=2025&culture=fr&ui-culture=fr", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csv = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"{Fr(Dashboard, "Export_Col_CountryCode")},{Fr(Dashboard, "Filter_Country")},", lines[0], StringComparison.Ordinal);
        Assert.Contains($"ALL,{Fr(Dashboard, "AllCountries")},2025-01-01,2025-12-31,{Fr(Dashboard, "Export_Now")},{Fr(Dashboard, "Tile_Open")},{Fr(Shared, "Enum_CaseStatus_ActionPlan")},0", csv, StringComparison.Ordinal);
        Assert.Contains($",{Fr(Shared, "Enum_PaternityClaimStatus_DnaSampleRequested")},", csv, StringComparison.Ordinal);
        foreach (var codeName in new[] { "ActionPlan", "DnaSampleRequested", "PaternityAndChildSupport", "Open cases", "Now" })
        {
            Assert.DoesNotContain($",{codeName},", csv, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_annual_pages_download_is_the_annual_table()
    {
        var coordinator = await StaffAccounts.CreateAsync(_app.Services, Roles.Coordinator);
        using var client = await _app.SignInAsync(coordinator);

        using var response = await client.GetAsync(new Uri("/reports/export?format=csv&report=annual&period=Year&year=2025&country=CD&culture=en&ui-culture=en", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("vrp-annual-cd-2025-01-01-2025-12-31.csv", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var csv = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains($"CD,", csv, StringComparison.Ordinal);
        Assert.Contains($",{En(Dashboard, "Annual_Cases")},{En(Dashboard, "Annual_Opened")},,0", csv, StringComparison.Ordinal);
        Assert.Contains($",{En(Dashboard, "Annual_Children")},{En(Dashboard, "Annual_ChildrenRegistered")},,0", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(En(Dashboard, "Tile_Open"), csv, StringComparison.Ordinal); // the dashboard's figures are another download

        using var withoutYear = await client.GetAsync(new Uri("/reports/export?format=csv&report=annual", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, withoutYear.StatusCode);
    }

    private const string Dashboard = "Portal/Features/Dashboard/DashboardText";
    private const string Shared = "Portal/Resources/SharedResource";

    private static string Fr(string resource, string key) => ResourceFiles.Text(resource, key, "fr");

    private static string En(string resource, string key) => ResourceFiles.Text(resource, key, "en");

    [Fact]
    public async Task An_advocate_is_refused_and_the_attempt_is_audited()
    {
        var advocate = await StaffAccounts.CreateAsync(_app.Services, Roles.Advocate, ["CD"]);
        using var client = await _app.SignInAsync(advocate);

        using var response = await client.GetAsync(new Uri("/reports/export?format=csv&country=CD", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("Open cases", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await CountAuditAsync(advocate.Id, AuditAction.AccessDenied));
        Assert.Equal(0, await CountAuditAsync(advocate.Id, AuditAction.Exported));
    }

    [Fact]
    public async Task Nobody_signed_in_gets_nothing_and_bad_parameters_are_explained()
    {
        using var anonymous = _app.CreateBrowserClient();
        using var response = await anonymous.GetAsync(new Uri("/reports/export?format=csv", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);

        var coordinator = await StaffAccounts.CreateAsync(_app.Services, Roles.Coordinator);
        using var client = await _app.SignInAsync(coordinator);
        using var badFormat = await client.GetAsync(new Uri("/reports/export?format=pdf&culture=fr&ui-culture=fr", UriKind.Relative));
        using var badCountry = await client.GetAsync(new Uri("/reports/export?country=QQ&culture=en&ui-culture=en", UriKind.Relative));
        using var badYear = await client.GetAsync(new Uri("/reports/export?period=Year&year=1999&culture=fr&ui-culture=fr", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
        Assert.Equal(Fr(Dashboard, "Export_Problem_Format"), await badFormat.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, badCountry.StatusCode);
        Assert.Equal(En(Dashboard, "UnknownCountry"), await badCountry.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badYear.StatusCode);
        Assert.Equal(Fr(Dashboard, "BadYear"), await badYear.Content.ReadAsStringAsync());
        Assert.Equal(0, await CountAuditAsync(coordinator.Id, AuditAction.Exported));
    }

    private async Task<int> CountAuditAsync(string userId, AuditAction action)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.CountAsync(e => e.UserId == userId && e.Action == action);
    }
}
