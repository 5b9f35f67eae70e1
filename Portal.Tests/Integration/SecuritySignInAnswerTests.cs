using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>
/// The password step cannot tell an unknown user name from a wrong password, a disabled account or a right password by
/// its answer: the same page for every failure, the same work (one password hash verified by the app's own hasher,
/// against a stand-in hash of the same kind when there is no account to check), and every failure held until the app's
/// clock, a fake one here, has moved by the minimum duration. How evenly the answers are timed on a busy machine is for
/// the benchmarks to measure; this test asserts what holds whatever the load.
/// </summary>
public sealed partial class SecuritySignInAnswerTests(SecuritySignInAnswerTests.AnswerFactory factory) : IClassFixture<SecuritySignInAnswerTests.AnswerFactory>
{
    private const string Unknown = "nobody.here@example.org";
    private static readonly TimeSpan Floor = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task Unknown_names_wrong_passwords_and_disabled_accounts_get_the_same_page_after_the_same_work_and_the_same_minimum_time()
    {
        var user = await StaffAccounts.CreateAsync(factory.Services, Roles.Advocate, ["HT"]);
        var disabled = await StaffAccounts.CreateAsync(factory.Services, Roles.Advocate, ["HT"]);
        await DisableAsync(disabled);
        using var client = factory.CreateBrowserClient();

        var wrongPassword = await AttemptAsync(client, user.UserName, "wrong-password-attempt");
        var unknownName = await AttemptAsync(client, Unknown, "wrong-password-attempt");
        var disabledAccount = await AttemptAsync(client, disabled.UserName, disabled.Password);
        var rightPassword = await AttemptAsync(client, user.UserName, user.Password, held: false);

        // The same page, whatever the name: only per-answer tokens and nonces differ.
        Assert.Equal(HttpStatusCode.OK, wrongPassword.Status);
        Assert.Contains("data-testid=\"login-error\"", wrongPassword.Page, StringComparison.Ordinal);
        Assert.Equal(Normalize(wrongPassword.Page, user.UserName), Normalize(unknownName.Page, Unknown));
        Assert.Equal(Normalize(wrongPassword.Page, user.UserName), Normalize(disabledAccount.Page, disabled.UserName));
        Assert.Equal(HttpStatusCode.Redirect, rightPassword.Status); // on to the authenticator step, without the failures' wait

        // The same work: one hash verified by the app's hasher each time; the stand-in has the account hashes' algorithm
        // and iteration count, so verifying it costs what a real check costs.
        var accountHash = Assert.Single(wrongPassword.Verified);
        Assert.Equal(accountHash, Assert.Single(rightPassword.Verified));
        var standIn = Assert.Single(unknownName.Verified);
        Assert.NotEqual(accountHash, standIn);
        Assert.Equal(Parameters(accountHash), Parameters(standIn));
        Assert.Equal(standIn, Assert.Single(disabledAccount.Verified));
    }

    /// <param name="held">A failure: the answer waits for the minimum duration. A right password answers at once: its answer
    /// says it was right whatever its timing.</param>
    private async Task<Attempt> AttemptAsync(HttpClient client, string userName, string password, bool held = true)
    {
        var form = await client.GetStringAsync(new Uri(AccountPaths.Login, UriKind.Relative));
        factory.Hasher.Verified.Clear();
        var posting = client.PostFormAsync(AccountPaths.Login, form, new() { ["Input.UserName"] = userName, ["Input.Password"] = password });

        if (held)
        {
            // The fake clock stands still while the step works, so the answer must wait for the whole minimum duration.
            await factory.Clock.WaitStartedAsync(Floor);
            factory.Clock.Advance(Floor - Tick);
            Assert.False(posting.IsCompleted, $"the answer for {userName} came before the minimum duration");
            factory.Clock.Advance(Tick);
        }

        // The fake clock does not move for a right password: its answer comes without it.
        using var response = await posting.WaitAsync(TimeSpan.FromSeconds(30));
        return new Attempt(response.StatusCode, await response.Content.ReadAsStringAsync(), [.. factory.Hasher.Verified]);
    }

    private async Task DisableAsync(TestStaffUser user)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var entity = (await users.FindByIdAsync(user.Id))!;
        entity.IsDisabled = true;
        await users.UpdateAsync(entity);
    }

    /// <summary>An Identity v3 hash's format marker, pseudo-random function, iteration count and salt size.</summary>
    private static string Parameters(string hash) => Convert.ToHexString(Convert.FromBase64String(hash).AsSpan(0, 13));

    // Tokens, nonces and the encrypted component state differ on every answer by design; so does the name typed.
    private static string Normalize(string page, string userName) =>
        ComponentState().Replace(TokenValue().Replace(NonceValue().Replace(page.Replace(userName, "USER", StringComparison.Ordinal), "nonce=\"N\""), "value=\"T\""), "<!--state-->");

    [GeneratedRegex("nonce=\"[^\"]+\"")]
    private static partial Regex NonceValue();

    [GeneratedRegex("<!--Blazor-Server-Component-State:[^>]*-->")]
    private static partial Regex ComponentState();

    [GeneratedRegex("value=\"CfDJ8[^\"]+\"")]
    private static partial Regex TokenValue();

    private sealed record Attempt(HttpStatusCode Status, string Page, List<string> Verified);

    /// <summary>The app's password hasher, counting the hashes it verifies.</summary>
    public sealed class CountingHasher(IOptions<PasswordHasherOptions> options) : IPasswordHasher<StaffUser>
    {
        private readonly PasswordHasher<StaffUser> _inner = new(options);

        public ConcurrentQueue<string> Verified { get; } = new();

        public string HashPassword(StaffUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(StaffUser user, string hashedPassword, string providedPassword)
        {
            Verified.Enqueue(hashedPassword);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    /// <summary>The sign-in's minimum answer time on a fake clock, and the counting hasher.</summary>
    public sealed class AnswerFactory : SecurityAppFactory
    {
        public WatchedClock Clock { get; } = new(DateTimeOffset.UtcNow);

        public CountingHasher Hasher => (CountingHasher)Services.GetRequiredService<IPasswordHasher<StaffUser>>();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                services.RemoveAll<IPasswordHasher<StaffUser>>();
                services.AddSingleton<IPasswordHasher<StaffUser>, CountingHasher>();
            });
        }
    }
}
