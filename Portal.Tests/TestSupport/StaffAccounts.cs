using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Portal.Infrastructure.Security;

namespace Portal.Tests.TestSupport;

/// <summary>A staff account made for a test; <see cref="AuthenticatorKey"/> is null until the account has enrolled.</summary>
public sealed record TestStaffUser(string Id, string UserName, string Password)
{
    public string? AuthenticatorKey { get; set; }
}

/// <summary>
/// Creates staff accounts in a test app and signs them in through the real forms, antiforgery token and
/// authenticator code included. Codes come from Otp.NET; the portal accepts each time step once, so this
/// hands out a step no earlier than the last one used for the same account.
/// </summary>
public static partial class StaffAccounts
{
    public const string DefaultPassword = "a-long-test-passphrase-42";

    private static readonly ConcurrentDictionary<string, long> LastStep = new();

    /// <summary>Creates an account; with <paramref name="enrolled"/> it already has an authenticator and two-factor on.</summary>
    public static async Task<TestStaffUser> CreateAsync(IServiceProvider services, string role, IReadOnlyList<string>? countries = null, bool enrolled = true, string? userName = null)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = new StaffUser
        {
            UserName = userName ?? $"{role.ToLowerInvariant()}.{Guid.NewGuid():N}@example.org",
            DisplayName = $"Test {role}",
            Countries = [.. countries ?? []],
        };
        Check(await users.CreateAsync(user, DefaultPassword));
        Check(await users.AddToRoleAsync(user, role));
        var created = new TestStaffUser(user.Id, user.UserName, DefaultPassword);
        if (enrolled)
        {
            Check(await users.ResetAuthenticatorKeyAsync(user));
            Check(await users.SetTwoFactorEnabledAsync(user, true));
            created.AuthenticatorKey = await users.GetAuthenticatorKeyAsync(user);
        }

        return created;
    }

    /// <summary>
    /// A new account signed in as far as the services see it: a scope made as sign-in makes it, with an open server-side
    /// session, for calling feature services directly.
    /// </summary>
    public static async Task<UserScope> SignedInScopeAsync(IServiceProvider services, string role, params string[] countries)
    {
        var user = await CreateAsync(services, role, countries, enrolled: false);
        var session = await services.GetRequiredService<SessionStore>().StartAsync(user.Id);
        return new UserScope(user.Id, user.UserName, $"Test {role}", [role], countries, session);
    }

    /// <summary>A client for https://portal.example.org (the session cookie is Secure) that keeps cookies and does not follow redirects.</summary>
    public static HttpClient CreateBrowserClient(this WebApplicationFactory<Program> factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://portal.example.org"), AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A client signed in as the user, through the password and authenticator steps.</summary>
    public static async Task<HttpClient> SignInAsync(this WebApplicationFactory<Program> factory, TestStaffUser user) =>
        (await factory.SignInWithCookieAsync(user)).Client;

    /// <summary>As <see cref="SignInAsync"/>, also returning the session cookie ("name=value") the server set.</summary>
    public static async Task<(HttpClient Client, string SessionCookie)> SignInWithCookieAsync(this WebApplicationFactory<Program> factory, TestStaffUser user)
    {
        // Disposed in the finally block unless handed to the caller.
        HttpClient? client = factory.CreateBrowserClient();
        HttpResponseMessage? second = null;
        try
        {
            using var response = await client.SubmitPasswordAsync(user.UserName, user.Password);
            var location = response.LocalLocation();
            var final = response;
            if (location.StartsWith(AccountPaths.LoginTwoFactor, StringComparison.Ordinal))
            {
                var now = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
                second = await client.SubmitFormAsync(location, new() { ["Input.Code"] = NextCode(user, now) });
                final = second;
                location = second.LocalLocation();
            }

            Assert.True(final.StatusCode == HttpStatusCode.Redirect && !location.StartsWith("/account/", StringComparison.Ordinal), $"sign-in of {user.UserName} ended at {final.StatusCode} {location}");
            var cookie = final.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(".Portal.Session=", StringComparison.Ordinal));
            var signedIn = client;
            client = null;
            return (signedIn, cookie.Split(';')[0]);
        }
        finally
        {
            second?.Dispose();
            client?.Dispose();
        }
    }

    /// <summary>The redirect target as a local path and query, whether the server wrote it absolute or relative.</summary>
    public static string LocalLocation(this HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? "" : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    /// <summary>GETs the login page and posts the user name and password, as the browser would.</summary>
    public static Task<HttpResponseMessage> SubmitPasswordAsync(this HttpClient client, string userName, string password) =>
        client.SubmitFormAsync(AccountPaths.Login, new() { ["Input.UserName"] = userName, ["Input.Password"] = password });

    /// <summary>GETs a page with a static form, then posts the form with its antiforgery token and handler name.</summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(this HttpClient client, string url, Dictionary<string, string> fields, string? handler = null)
    {
        var page = await client.GetStringAsync(new Uri(url, UriKind.Relative));
        return await client.PostFormAsync(url, page, fields, handler);
    }

    /// <summary>Posts a form found in <paramref name="page"/> (the first one, or the one with <paramref name="handler"/>).</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, string page, Dictionary<string, string> fields, string? handler = null)
    {
        var values = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
            ["_handler"] = handler ?? HandlerName().Match(page).Groups[1].Value,
        };
        using var content = new FormUrlEncodedContent(values);
        return await client.PostAsync(new Uri(url, UriKind.Relative), content);
    }

    public static string AntiforgeryToken(string page) =>
        TokenField().Match(page) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("The page has no antiforgery token:\n" + page);

    /// <summary>
    /// The authenticator code of the user at <paramref name="utcNow"/> (the app's clock; now by default), never one of
    /// a time step already used.
    /// </summary>
    public static string NextCode(TestStaffUser user, DateTime? utcNow = null)
    {
        var totp = new Totp(Base32Encoding.ToBytes(user.AuthenticatorKey ?? throw new InvalidOperationException($"{user.UserName} has no authenticator.")));
        var now = utcNow ?? DateTime.UtcNow;
        var step = (long)Math.Floor((now - DateTime.UnixEpoch).TotalSeconds / 30);
        var chosen = LastStep.AddOrUpdate(user.Id, step, (_, last) => Math.Max(step, last + 1));
        if (chosen > step + 1)
        {
            throw new InvalidOperationException("More than two sign-ins of one account within 30 seconds; the portal refuses replayed codes.");
        }

        return totp.ComputeTotp(DateTime.UnixEpoch.AddSeconds(chosen * 30));
    }

    private static void Check(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("name=\"_handler\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex HandlerName();
}
