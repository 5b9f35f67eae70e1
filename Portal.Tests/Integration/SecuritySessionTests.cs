using System.Net;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

public sealed class SecurityIdleTimeoutTests : IClassFixture<SecurityIdleTimeoutTests.ShortIdleFactory>
{
    private readonly ShortIdleFactory _factory;

    public SecurityIdleTimeoutTests(ShortIdleFactory factory) => _factory = factory;

    [Fact]
    public async Task A_session_without_activity_for_the_idle_timeout_ends()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services, Roles.Coordinator);
        using var client = await _factory.SignInAsync(user);
        using (var fresh = await client.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        await Task.Delay(TimeSpan.FromSeconds(4.5));

        using var idle = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
        Assert.StartsWith(AccountPaths.Login, idle.LocalLocation(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reported_activity_keeps_the_session_open_and_circuit_connections_do_not_count_as_activity()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services, Roles.Coordinator);
        using var client = await _factory.SignInAsync(user);

        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            using var activity = new HttpRequestMessage(HttpMethod.Post, AccountPaths.Activity);
            activity.Headers.Add(AccountPaths.ActivityHeader, "1");
            using var reported = await client.SendAsync(activity);
            Assert.Equal(HttpStatusCode.NoContent, reported.StatusCode);
        }

        using (var active = await client.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, active.StatusCode); // 8 s after sign-in, idle timeout 4 s
        }

        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            using var circuitTraffic = await client.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
        }

        using var idle = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
    }

    public sealed class ShortIdleFactory : SecurityAppFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Portal:Security:IdleTimeout"] = "00:00:04",
        };
    }
}

public sealed class SecurityAbsoluteLimitTests : IClassFixture<SecurityAbsoluteLimitTests.ShortSessionFactory>
{
    private readonly ShortSessionFactory _factory;

    public SecurityAbsoluteLimitTests(ShortSessionFactory factory) => _factory = factory;

    [Fact]
    public async Task A_session_ends_at_the_absolute_limit_however_active()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services, Roles.Coordinator);
        using var client = await _factory.SignInAsync(user);

        HttpStatusCode status = HttpStatusCode.OK;
        for (var i = 0; i < 14 && status == HttpStatusCode.OK; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(0.5));
            using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
            status = response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Redirect, status);
    }

    public sealed class ShortSessionFactory : SecurityAppFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Portal:Security:AbsoluteSessionLimit"] = "00:00:04",
        };
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
