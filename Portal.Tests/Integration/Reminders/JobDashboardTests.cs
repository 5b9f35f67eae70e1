using System.Net;
using System.Text.Json;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Reminders;

/// <summary>The Hangfire dashboard through the real pipeline and sign-in: Administrators in, Coordinators read-only, everyone else out.</summary>
public sealed class JobDashboardTests(JobDashboardTests.ScheduledScanFactory factory) : IClassFixture<JobDashboardTests.ScheduledScanFactory>
{
    /// <summary>The app with its recurring reminder scan registered, as in production.</summary>
    public sealed class ScheduledScanFactory : SecurityAppFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Portal:Reminders:ScanEnabled"] = "true",
        };
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_and_never_see_the_dashboard()
    {
        using var client = factory.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.LocalLocation(), StringComparison.Ordinal);
        using var stats = await client.GetAsync(new Uri("/hangfire/stats", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, stats.StatusCode);
    }

    [Fact]
    public async Task Advocates_are_refused()
    {
        var advocate = await StaffAccounts.CreateAsync(factory.Services, Roles.Advocate, ["CF"]);
        var client = await factory.SignInAsync(advocate);

        using var response = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("Hangfire", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Administrators_see_the_dashboard_with_the_recurring_scan()
    {
        var admin = await StaffAccounts.CreateAsync(factory.Services, Roles.Administrator);
        var client = await factory.SignInAsync(admin);

        using var response = await client.GetAsync(new Uri("/hangfire/recurring", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Portal.Features.Reminders.ReminderOptions.ScanJobId, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coordinators_may_look_but_not_act()
    {
        var coordinator = await StaffAccounts.CreateAsync(factory.Services, Roles.Coordinator);
        var client = await factory.SignInAsync(coordinator);

        using var page = await client.GetAsync(new Uri("/hangfire/recurring", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = Portal.Features.Reminders.ReminderOptions.ScanJobId });
        using var trigger = await client.PostAsync(new Uri("/hangfire/recurring/trigger", UriKind.Relative), form);
        Assert.NotEqual(HttpStatusCode.NoContent, trigger.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, trigger.StatusCode);
    }

    [Fact]
    public async Task Health_reports_the_job_storage()
    {
        using var client = factory.CreateBrowserClient();

        var health = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health", UriKind.Relative)));

        var jobs = health.RootElement.GetProperty("checks").GetProperty("jobs");
        Assert.Contains(jobs.GetProperty("status").GetString(), new[] { "Healthy", "Degraded" });
        Assert.Contains("Job storage answers", jobs.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
