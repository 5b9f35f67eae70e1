using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Features.Queues;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Jobs;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>Every refusal of a signed-in staff member is in the audit trail, like the refusals of cases are.</summary>
public sealed partial class SecurityRefusalAuditTests(SecurityRefusalAuditTests.Factory factory) : IClassFixture<SecurityRefusalAuditTests.Factory>
{
    /// <summary>The app with its recurring reminder scan registered, as in production.</summary>
    public sealed class Factory : SecurityAppFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Portal:Reminders:ScanEnabled"] = "true",
        };
    }

    [Theory]
    [InlineData(Roles.Advocate, "/dashboard")]
    [InlineData(Roles.Advocate, "/dashboard/wall")]
    [InlineData(Roles.Advocate, "/reports/annual")]
    [InlineData(Roles.Coordinator, "/admin/users")]
    [InlineData(Roles.Coordinator, "/admin/audit")]
    [InlineData(Roles.Advocate, "/admin/providers")]
    public async Task A_page_refused_to_a_signed_in_user_is_audited(string role, string path)
    {
        var user = await StaffAccounts.CreateAsync(factory.Services, role, role == Roles.Advocate ? ["CF"] : null);
        var client = await factory.SignInAsync(user);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(AccountPaths.AccessDenied, response.LocalLocation(), StringComparison.Ordinal);
        var refusal = Assert.Single(await RefusalsOfAsync(user));
        Assert.Equal((PageRefusals.RecordType, path), (refusal.RecordType, refusal.RecordId));
    }

    [Fact]
    public async Task The_job_dashboard_refused_to_an_Advocate_is_audited()
    {
        var advocate = await StaffAccounts.CreateAsync(factory.Services, Roles.Advocate, ["CF"]);
        var client = await factory.SignInAsync(advocate);

        using var response = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var refusal = Assert.Single(await RefusalsOfAsync(advocate));
        Assert.Equal((StaffDashboardAuthorization.RecordType, "view the job dashboard"), (refusal.RecordType, refusal.Detail));
    }

    [Fact]
    public async Task A_Coordinator_s_job_command_is_refused_and_audited_while_the_statistics_answer()
    {
        var coordinator = await StaffAccounts.CreateAsync(factory.Services, Roles.Coordinator);
        var client = await factory.SignInAsync(coordinator);
        var page = await client.GetStringAsync(new Uri("/hangfire/recurring", UriKind.Relative));
        var header = CsrfHeader().Match(page).Groups[1].Value;
        var token = WebUtility.HtmlDecode(CsrfToken().Match(page).Groups[1].Value);

        using var stats = await PostAsync(client, "/hangfire/stats", "metrics[]=recurring:count", header, token);
        using var trigger = await PostAsync(client, "/hangfire/recurring/trigger", "jobs[]=" + Portal.Features.Reminders.ReminderOptions.ScanJobId, header, token);

        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, trigger.StatusCode);
        var refusal = Assert.Single(await RefusalsOfAsync(coordinator));
        Assert.Equal((StaffDashboardAuthorization.RecordType, "act on jobs"), (refusal.RecordType, refusal.Detail));
    }

    [Fact]
    public async Task Another_user_s_saved_queue_is_not_found_and_the_attempt_audited()
    {
        var owner = await StaffAccounts.SignedInScopeAsync(factory.Services, Roles.Advocate, "CF");
        var other = await StaffAccounts.SignedInScopeAsync(factory.Services, Roles.Advocate, "CF");
        var (saved, _) = await ServicesAs.Create<SavedQueueService>(factory.Services, new TestCurrentUser(owner)).SaveAsync(owner, "High risk", QueueFilter.None);
        var service = ServicesAs.Create<SavedQueueService>(factory.Services, new TestCurrentUser(other));

        Assert.Null(await service.FindAsync(other, saved!.Id));
        Assert.False(await service.DeleteAsync(other, saved.Id));

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var refusals = await db.Set<AuditEntry>().Where(e => e.UserId == other.UserId && e.Action == AuditAction.AccessDenied).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["use another user's saved queue", "delete another user's saved queue"], refusals.Select(e => e.Detail));
        Assert.All(refusals, e => Assert.Equal((SavedQueueService.RecordType, saved.Id.ToString()), (e.RecordType, e.RecordId)));
        Assert.NotNull(await ServicesAs.Create<SavedQueueService>(factory.Services, new TestCurrentUser(owner)).FindAsync(owner, saved.Id));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body, string header, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.Add(header, token);
        return await client.SendAsync(request);
    }

    private async Task<List<AuditEntry>> RefusalsOfAsync(TestStaffUser user)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<AuditEntry>().Where(e => e.UserId == user.Id && e.Action == AuditAction.AccessDenied).ToListAsync();
    }

    [GeneratedRegex("<meta name=\"csrf-header\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfHeader();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
