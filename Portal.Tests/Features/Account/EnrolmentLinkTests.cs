using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Features.Account;
using Portal.Infrastructure.Security;
using Portal.Tests.Integration;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Account;

/// <summary>The one-time enrolment link the console prints: it opens its account until it expires (24 hours by default), and never after.</summary>
public sealed class EnrolmentLinkTests : IClassFixture<SecurityAppFactory>
{
    private readonly SecurityAppFactory _factory;

    public EnrolmentLinkTests(SecurityAppFactory factory) => _factory = factory;

    [Fact]
    public async Task A_link_opens_its_account_for_24_hours_by_default_and_not_a_moment_longer()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var account = await StaffAccounts.CreateAsync(_factory.Services, Roles.Administrator, enrolled: false);
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var links = new EnrolmentLinkService(users, clock);
        var user = await users.FindByIdAsync(account.Id);
        var token = await links.IssueAsync(user!, EnrolmentLinkService.DefaultLifetime);

        Assert.Equal(account.Id, (await links.FindAsync(token))?.Id);
        clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.Equal(account.Id, (await links.FindAsync(token))?.Id);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await links.FindAsync(token));
        Assert.Equal(new DateTimeOffset(2030, 3, 2, 9, 0, 0, TimeSpan.Zero), await links.PendingUntilAsync(user!));
    }

    [Fact]
    public async Task A_link_with_a_changed_secret_or_another_accounts_id_opens_nothing()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var first = await StaffAccounts.CreateAsync(_factory.Services, Roles.Administrator, enrolled: false);
        var second = await StaffAccounts.CreateAsync(_factory.Services, Roles.Administrator, enrolled: false);
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var links = new EnrolmentLinkService(users, clock);
        var token = await links.IssueAsync((await users.FindByIdAsync(first.Id))!, TimeSpan.FromHours(1));
        await links.IssueAsync((await users.FindByIdAsync(second.Id))!, TimeSpan.FromHours(1));
        var secret = token.Split('.')[1];

        Assert.Null(await links.FindAsync(second.Id + "." + secret));
        Assert.Null(await links.FindAsync(first.Id + "." + (secret[0] == 'A' ? 'B' : 'A') + secret[1..]));
        Assert.Null(await links.FindAsync(first.Id + ".not base64 !"));
        Assert.Equal(first.Id, (await links.FindAsync(token))?.Id);
    }
}
