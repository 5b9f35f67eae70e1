using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>
/// Idleness and the absolute limit with the production settings (15 minutes, 12 hours), on a fake clock that is the
/// app's own TimeProvider: the session store, the cookie ticket and the authenticator codes all read it, and the test
/// moves it to each boundary instead of waiting.
/// </summary>
public sealed class SecuritySessionClockTests(SecuritySessionClockTests.SessionClockFactory factory) : IClassFixture<SecuritySessionClockTests.SessionClockFactory>
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private readonly SecurityOptions _settings = factory.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;

    private WatchedClock Clock => factory.Clock;

    [Fact]
    public async Task A_session_without_activity_for_the_idle_timeout_ends_and_one_a_moment_younger_does_not()
    {
        var user = await StaffAccounts.CreateAsync(factory.Services, Roles.Coordinator);
        using var idle = await factory.SignInAsync(user);
        Assert.Equal(TimeSpan.FromMinutes(15), _settings.IdleTimeout); // the production default

        Clock.Advance(_settings.IdleTimeout - Tick);
        var colleague = await StaffAccounts.CreateAsync(factory.Services, Roles.Coordinator);
        using var younger = await factory.SignInAsync(colleague);

        Clock.Advance(Tick);
        using var ended = await idle.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.StartsWith(AccountPaths.Login, ended.LocalLocation(), StringComparison.Ordinal);
        Assert.Equal(SessionEndReason.Idle, await EndReasonAsync(user, ended: true));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(younger, "/"));
    }

    [Fact]
    public async Task Reported_activity_keeps_the_session_open_and_circuit_connections_do_not_count_as_activity()
    {
        var user = await StaffAccounts.CreateAsync(factory.Services, Roles.Coordinator);
        using var client = await factory.SignInAsync(user);

        // Activity reported every 5 minutes, for twice the idle timeout.
        for (var i = 0; i < 6; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(5));
            Assert.Equal(HttpStatusCode.NoContent, await ReportActivityAsync(client));
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/"));

        // Then only the circuit's own connection requests, every 5 minutes, for the idle timeout.
        for (var i = 0; i < 3; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(5));
            using var circuitTraffic = await client.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
        }

        Assert.Equal(HttpStatusCode.Redirect, await StatusAsync(client, "/"));
        Assert.Equal(SessionEndReason.Idle, await EndReasonAsync(user, ended: true));
    }

    [Fact]
    public async Task A_session_ends_at_the_absolute_limit_however_active()
    {
        var user = await StaffAccounts.CreateAsync(factory.Services, Roles.Coordinator);

        // The cookie keeps its expiry (the same limit) to the second: signed in on a whole second, the cookie is still
        // valid at the limit itself, so what ends the session there is the server-side check.
        Clock.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerSecond - (Clock.GetUtcNow().UtcTicks % TimeSpan.TicksPerSecond)));
        using var client = await factory.SignInAsync(user);
        Assert.Equal(TimeSpan.FromHours(12), _settings.AbsoluteSessionLimit); // the production default

        // Activity reported a minute within every idle timeout, up to a moment before the limit.
        var step = _settings.IdleTimeout - TimeSpan.FromMinutes(1);
        var used = TimeSpan.Zero;
        while (used + step < _settings.AbsoluteSessionLimit)
        {
            Clock.Advance(step);
            used += step;
            Assert.Equal(HttpStatusCode.NoContent, await ReportActivityAsync(client));
        }

        Clock.Advance(_settings.AbsoluteSessionLimit - used - Tick);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/"));

        Clock.Advance(Tick);
        Assert.Equal(HttpStatusCode.Redirect, await StatusAsync(client, "/"));
        Assert.Equal(SessionEndReason.AbsoluteLimit, await EndReasonAsync(user, ended: true));
    }

    /// <summary>What the page's activity script sends when the person types, clicks or scrolls.</summary>
    private static async Task<HttpStatusCode> ReportActivityAsync(HttpClient client)
    {
        using var activity = new HttpRequestMessage(HttpMethod.Post, AccountPaths.Activity);
        activity.Headers.Add(AccountPaths.ActivityHeader, "1");
        using var reported = await client.SendAsync(activity);
        return reported.StatusCode;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    /// <summary>Why the user's ended session ended (the user has one ended session in these tests).</summary>
    private async Task<SessionEndReason?> EndReasonAsync(TestStaffUser user, bool ended)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var sessions = await db.Set<StaffSession>().Where(s => s.UserId == user.Id && (s.EndedUtc != null) == ended).ToListAsync();
        return Assert.Single(sessions).EndReason;
    }

    /// <summary>The production session settings; no answer floor, so sign-ins need no clock movement.</summary>
    public sealed class SessionClockFactory : SecurityAppFactory
    {
        public WatchedClock Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Portal:Security:SignInMinimumDuration"] = "00:00:00",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }
}

/// <summary>
/// Sign-in posts are limited per client address only: naming a person from many addresses must not keep them out (the
/// guesses are <see cref="Portal.Features.Account.SignInThrottle"/>'s), and a flood of refused posts is one audit entry.
/// </summary>
public sealed class SecurityRateLimitTests : IClassFixture<SecurityRateLimitTests.TightLimitsFactory>
{
    private const int PerAddress = 6;
    private readonly TightLimitsFactory _factory;

    public SecurityRateLimitTests(TightLimitsFactory factory) => _factory = factory;

    [Fact]
    public async Task Sign_in_posts_are_limited_per_address_with_a_readable_429_page()
    {
        using var client = ClientAt("192.0.2.61");
        for (var i = 0; i < PerAddress; i++)
        {
            using var allowed = await client.SubmitPasswordAsync($"fresh.{i}@example.org", "guess");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await client.SubmitPasswordAsync("one.more@example.org", "guess");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null, "429 says when to try again");
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Too many attempts", page, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", string.Join(",", refused.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);

        using var stillReadable = await client.GetAsync(new Uri(AccountPaths.Login, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, stillReadable.StatusCode); // only the posts are limited

        using var elsewhere = ClientAt("192.0.2.62");
        using var otherAddress = await elsewhere.SubmitPasswordAsync("one.more@example.org", "guess");
        Assert.Equal(HttpStatusCode.OK, otherAddress.StatusCode);
    }

    [Fact]
    public async Task Posts_naming_a_person_from_many_addresses_do_not_keep_them_out_of_their_own()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services, Roles.Advocate, ["CD"]);
        for (var i = 1; i <= 25; i++)
        {
            using var stranger = ClientAt($"203.0.113.{i}");
            using var guess = await stranger.SubmitPasswordAsync(user.UserName, "a guess, number " + i);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, guess.StatusCode);
        }

        using var person = ClientAt("198.51.100.7");
        using var password = await person.SubmitPasswordAsync(user.UserName, user.Password);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith(AccountPaths.LoginTwoFactor, password.LocalLocation(), StringComparison.Ordinal);
        var now = _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        using var code = await person.SubmitFormAsync(password.LocalLocation(), new() { ["Input.Code"] = StaffAccounts.NextCode(user, now) });
        Assert.Equal((HttpStatusCode.Redirect, "/"), (code.StatusCode, code.LocalLocation()));
    }

    [Fact]
    public async Task A_flood_of_refused_posts_from_one_address_is_one_audit_entry_per_window()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services, Roles.Coordinator);
        using var flood = ClientAt("192.0.2.77");
        var refused = 0;
        for (var i = 0; i < PerAddress + 12; i++)
        {
            using var post = await flood.SubmitPasswordAsync(user.UserName, "a guess, number " + i);
            refused += post.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        using var other = ClientAt("192.0.2.78");
        for (var i = 0; i < PerAddress + 2; i++)
        {
            using var post = await other.SubmitPasswordAsync("nobody.known@example.org", "guess");
        }

        Assert.Equal(12, refused);
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var entries = await db.Set<AuditEntry>().Where(e => e.Detail == "too many attempts").Select(e => new { e.IpAddress, e.UserName }).ToListAsync();
        Assert.Equal(user.UserName, Assert.Single(entries, e => e.IpAddress == "192.0.2.77").UserName);
        Assert.Null(Assert.Single(entries, e => e.IpAddress == "192.0.2.78").UserName);
    }

    private HttpClient ClientAt(string address)
    {
        var client = _factory.CreateBrowserClient();
        client.DefaultRequestHeaders.Add(PeerAddressFilter.Header, address);
        return client;
    }

    public sealed class TightLimitsFactory : SecurityAppFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Portal:Security:LoginRateLimit:PerAddressPermitLimit"] = PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Portal:Security:SignInMinimumDuration"] = "00:00:00",
        };
    }
}
