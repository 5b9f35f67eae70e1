using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Features.Admin;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

public sealed class SecurityAdministrationTests : IClassFixture<SecurityAppFactory>
{
    private readonly SecurityAppFactory _factory;

    public SecurityAdministrationTests(SecurityAppFactory factory) => _factory = factory;

    private IServiceProvider Services => _factory.Services;

    [Theory]
    [InlineData(Roles.Advocate)]
    [InlineData(Roles.Coordinator)]
    public async Task The_service_refuses_everyone_but_administrators_whatever_the_page_shows(string role)
    {
        var target = await StaffAccounts.CreateAsync(Services, Roles.Advocate, ["CD"]);
        var service = ServicesAs.Create<UserAdministrationService>(Services, new TestCurrentUser(new UserScope(Guid.NewGuid().ToString(), "x@example.org", "X", [role], ["CD"])));

        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ListAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.CreateAsync(new NewStaffUser("new@example.org", "New", "en", [Roles.Administrator], [])));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.SetDisabledAsync(target.Id, true));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.SetAccessAsync(target.Id, [Roles.Administrator], []));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ResetTwoFactorAsync(target.Id));
        await Assert.ThrowsAsync<NotSignedInException>(() => ServicesAs.Create<UserAdministrationService>(Services, new TestCurrentUser(null)).ListAsync());

        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var unchanged = (await users.FindByIdAsync(target.Id))!;
        Assert.False(unchanged.IsDisabled);
        Assert.Equal([Roles.Advocate], await users.GetRolesAsync(unchanged));
        Assert.Null(await users.FindByNameAsync("new@example.org"));
    }

    [Fact]
    public async Task The_admin_pages_answer_access_denied_to_a_signed_in_non_administrator()
    {
        var coordinator = await StaffAccounts.CreateAsync(Services, Roles.Coordinator);
        using var client = await _factory.SignInAsync(coordinator);

        using var response = await client.GetAsync(new Uri("/admin/users", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(AccountPaths.AccessDenied, response.LocalLocation(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_creates_an_account_which_must_enrol_two_factor_at_first_sign_in()
    {
        var admin = ServicesAs.Create<UserAdministrationService>(Services, new TestCurrentUser(TestCurrentUser.Administrator()));

        var result = await admin.CreateAsync(new NewStaffUser("new.advocate@example.org", "New Advocate", "fr", [Roles.Advocate], ["CF", "CD"]));

        Assert.True(result.Succeeded, string.Join(";", result.Errors));
        Assert.Equal(20, result.InitialPassword!.Length);
        var listed = Assert.Single(await admin.ListAsync(), u => u.UserName == "new.advocate@example.org");
        Assert.Equal(["Advocate"], listed.Roles);
        Assert.Equal(["CD", "CF"], listed.Countries);
        Assert.False(listed.TwoFactorEnabled);
        using var client = _factory.CreateBrowserClient();
        using var signIn = await client.SubmitPasswordAsync("new.advocate@example.org", result.InitialPassword);
        Assert.StartsWith(AccountPaths.TwoFactorSetup, signIn.LocalLocation(), StringComparison.Ordinal);

        Assert.False((await admin.CreateAsync(new NewStaffUser("bad@example.org", "Bad", "en", [Roles.Advocate], []))).Succeeded, "an advocate needs a country");
        Assert.False((await admin.CreateAsync(new NewStaffUser("bad@example.org", "Bad", "en", [Roles.Advocate], ["XX"]))).Succeeded, "unknown country");
    }

    [Fact]
    public async Task Disabling_or_changing_a_user_ends_their_sessions_at_once()
    {
        var advocate = await StaffAccounts.CreateAsync(Services, Roles.Advocate, ["CD"]);
        var coordinator = await StaffAccounts.CreateAsync(Services, Roles.Coordinator);
        using var advocateClient = await _factory.SignInAsync(advocate);
        using var coordinatorClient = await _factory.SignInAsync(coordinator);
        var admin = ServicesAs.Create<UserAdministrationService>(Services, new TestCurrentUser(TestCurrentUser.Administrator()));

        Assert.True((await admin.SetDisabledAsync(advocate.Id, true)).Succeeded);
        Assert.True((await admin.SetAccessAsync(coordinator.Id, [Roles.Advocate], ["HT"])).Succeeded);

        using var afterDisable = await advocateClient.GetAsync(new Uri("/", UriKind.Relative));
        using var afterChange = await coordinatorClient.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, afterDisable.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, afterChange.StatusCode);
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.Set<StaffSession>().Where(s => (s.UserId == advocate.Id || s.UserId == coordinator.Id) && s.EndedUtc == null).ToListAsync());
        Assert.Equal(2, await db.Set<AuditEntry>().CountAsync(e => e.Action == AuditAction.UserChanged && (e.RecordId == advocate.Id || e.RecordId == coordinator.Id)));
    }

    [Fact]
    public async Task An_administrator_cannot_lock_themselves_out()
    {
        var self = await StaffAccounts.CreateAsync(Services, Roles.Administrator);
        var admin = ServicesAs.Create<UserAdministrationService>(Services, new TestCurrentUser(TestCurrentUser.Administrator(self.Id)));

        Assert.False((await admin.SetDisabledAsync(self.Id, true)).Succeeded);
        Assert.False((await admin.SetAccessAsync(self.Id, [Roles.Coordinator], [])).Succeeded);
    }

    [Fact]
    public async Task Resetting_two_factor_makes_the_user_enrol_again()
    {
        var user = await StaffAccounts.CreateAsync(Services, Roles.Coordinator);
        var admin = ServicesAs.Create<UserAdministrationService>(Services, new TestCurrentUser(TestCurrentUser.Administrator()));

        Assert.True((await admin.ResetTwoFactorAsync(user.Id)).Succeeded);

        using var client = _factory.CreateBrowserClient();
        using var signIn = await client.SubmitPasswordAsync(user.UserName, user.Password);
        Assert.StartsWith(AccountPaths.TwoFactorSetup, signIn.LocalLocation(), StringComparison.Ordinal);
    }
}
