using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Portal.Domain.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>
/// Guessing is held back per account and address, never by locking the account: whoever fails from one address
/// cannot keep the person out from another, and guesses spread over many addresses learn nothing.
/// </summary>
public sealed class SecuritySignInThrottleTests : IClassFixture<SecuritySignInThrottleTests.ThrottleAppFactory>
{
    private const int AccountFailures = 8;
    private readonly ThrottleAppFactory _factory;

    public SecuritySignInThrottleTests(ThrottleAppFactory factory) => _factory = factory;

    [Fact]
    public async Task An_address_failing_many_times_is_locked_out_of_the_account_while_the_person_signs_in_from_another()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services, Roles.Advocate, ["CD"]);
        using var attacker = ClientAt("203.0.113.66");
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await attacker.SubmitPasswordAsync(user.UserName, "a guess, number " + i);
            Assert.Contains("data-testid=\"login-error\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var rightFromAttacker = await attacker.SubmitPasswordAsync(user.UserName, user.Password);
        Assert.Equal(HttpStatusCode.OK, rightFromAttacker.StatusCode); // the address is locked: even the right password fails
        Assert.Contains("data-testid=\"login-error\"", await rightFromAttacker.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var person = ClientAt("198.51.100.20");
        await SignInAsync(person, user, user.Password);

        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        Assert.False(await users.IsLockedOutAsync((await users.FindByIdAsync(user.Id))!));
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var entries = await db.Set<AuditEntry>().Where(e => e.RecordId == user.Id).OrderBy(e => e.Id).Select(e => new { e.Action, e.IpAddress }).ToListAsync();
        Assert.Contains(entries, e => e.Action == AuditAction.LockedOut && e.IpAddress == "203.0.113.66");
        Assert.Equal("198.51.100.20", entries.Last(e => e.Action == AuditAction.SignedIn).IpAddress);
    }

    [Fact]
    public async Task Guesses_spread_over_many_addresses_learn_nothing_and_only_the_right_password_with_its_code_gets_in()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services, Roles.Coordinator);
        for (var i = 0; i < AccountFailures; i++)
        {
            using var guesser = ClientAt($"192.0.2.{i + 1}");
            using var wrong = await guesser.SubmitPasswordAsync(user.UserName, "a guess, number " + i);
            Assert.Contains("data-testid=\"login-error\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // From now on a wrong password is answered as the right one is, with the code step...
        using var next = ClientAt("192.0.2.100");
        using var wrongAgain = await next.SubmitPasswordAsync(user.UserName, "yet another guess");
        Assert.Equal(HttpStatusCode.Redirect, wrongAgain.StatusCode);
        Assert.StartsWith(AccountPaths.LoginTwoFactor, wrongAgain.LocalLocation(), StringComparison.Ordinal);
        using var rightPassword = ClientAt("192.0.2.101");
        using var right = await rightPassword.SubmitPasswordAsync(user.UserName, user.Password);
        Assert.Equal((HttpStatusCode.Redirect, wrongAgain.LocalLocation()), (right.StatusCode, right.LocalLocation()));

        // ...where even the right code does not complete a wrong password.
        var now = _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var code = new Totp(Base32Encoding.ToBytes(user.AuthenticatorKey!)).ComputeTotp(now);
        using var codeAfterWrong = await next.SubmitFormAsync(wrongAgain.LocalLocation(), new() { ["Input.Code"] = code });
        Assert.Equal(HttpStatusCode.OK, codeAfterWrong.StatusCode);
        Assert.Contains("data-testid=\"two-factor-error\"", await codeAfterWrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The person, with the right password and the right code, gets in.
        using var codeAfterRight = await rightPassword.SubmitFormAsync(right.LocalLocation(), new() { ["Input.Code"] = StaffAccounts.NextCode(user, now) });
        Assert.Equal(HttpStatusCode.Redirect, codeAfterRight.StatusCode);
        Assert.Equal("/", codeAfterRight.LocalLocation());
    }

    private HttpClient ClientAt(string address)
    {
        var client = _factory.CreateBrowserClient();
        client.DefaultRequestHeaders.Add(PeerAddressFilter.Header, address);
        return client;
    }

    private async Task SignInAsync(HttpClient client, TestStaffUser user, string password)
    {
        using var step1 = await client.SubmitPasswordAsync(user.UserName, password);
        Assert.StartsWith(AccountPaths.LoginTwoFactor, step1.LocalLocation(), StringComparison.Ordinal);
        var now = _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        using var step2 = await client.SubmitFormAsync(step1.LocalLocation(), new() { ["Input.Code"] = StaffAccounts.NextCode(user, now) });
        Assert.Equal(HttpStatusCode.Redirect, step2.StatusCode);
        Assert.Equal("/", step2.LocalLocation());
    }

    public sealed class ThrottleAppFactory : SecurityAppFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Portal:Security:MaxFailedAccessAttempts"] = "5",
            ["Portal:Security:AccountFailuresBeforeCodeProof"] = AccountFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Portal:Security:SignInMinimumDuration"] = "00:00:00",
        };
    }
}
