using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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

public sealed class SecurityRateLimitTests : IClassFixture<SecurityRateLimitTests.TightLimitsFactory>
{
    private readonly TightLimitsFactory _factory;

    public SecurityRateLimitTests(TightLimitsFactory factory) => _factory = factory;

    [Fact]
    public async Task Sign_in_posts_are_limited_per_user_name_and_per_address_with_a_readable_429_page()
    {
        using var client = _factory.CreateBrowserClient();

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.SubmitPasswordAsync("target@example.org", "guess-number-" + i);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var perName = await client.SubmitPasswordAsync("TARGET@example.org", "guess-number-3");
        Assert.Equal(HttpStatusCode.TooManyRequests, perName.StatusCode);
        Assert.True(perName.Headers.RetryAfter is not null, "429 says when to try again");
        var page = await perName.Content.ReadAsStringAsync();
        Assert.Contains("Too many attempts", page, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", string.Join(",", perName.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);

        using var otherName = await client.SubmitPasswordAsync("someone.else@example.org", "guess");
        Assert.Equal(HttpStatusCode.OK, otherName.StatusCode);

        // Fresh names each time: only the per-address window can stop these.
        var status = HttpStatusCode.OK;
        for (var i = 0; i < 6 && status == HttpStatusCode.OK; i++)
        {
            using var fresh = await client.SubmitPasswordAsync($"fresh.{i}@example.org", "guess");
            status = fresh.StatusCode;
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, status);

        using var stillReadable = await client.GetAsync(new Uri(AccountPaths.Login, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, stillReadable.StatusCode); // only the posts are limited
    }

    public sealed class TightLimitsFactory : SecurityAppFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Portal:Security:LoginRateLimit:PerAddressPermitLimit"] = "6",
            ["Portal:Security:LoginRateLimit:PerUserNamePermitLimit"] = "3",
            ["Portal:Security:SignInMinimumDuration"] = "00:00:00",
        };
    }
}
