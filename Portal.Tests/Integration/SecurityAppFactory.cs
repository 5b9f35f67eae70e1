using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>
/// The real app (Testing environment: two-factor required, secure cookies) with security settings a test
/// class can change. Rate limits are high unless a test is about them, so sign-ins of one class don't collide.
/// </summary>
public class SecurityAppFactory : PortalAppFactory
{
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var settings = new Dictionary<string, string>
        {
            ["Portal:Security:LoginRateLimit:PerAddressPermitLimit"] = "10000",
            ["Portal:Security:SignInMinimumDuration"] = "00:00:00.300",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        // An endpoint that fails, appended after the app's own pipeline, to see what an error shows; and the connection's
        // address from a test header, since the in-memory test server has none.
        builder.ConfigureServices(services =>
        {
            services.AddTransient<IStartupFilter, ThrowingEndpointFilter>();
            services.AddTransient<IStartupFilter, PeerAddressFilter>();
        });
    }

    private sealed class ThrowingEndpointFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map("/test/throw", branch => branch.Run(_ => throw new InvalidOperationException("Secret detail: survivor Jane Doe at 12 Rue X")));
        };
    }
}

/// <summary>Sets the connection's remote address from <see cref="Header"/>, before the app's pipeline: what a TCP peer would be.</summary>
public sealed class PeerAddressFilter : IStartupFilter
{
    public const string Header = "X-Test-Peer-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var peer) && System.Net.IPAddress.TryParse(peer, out var address))
            {
                context.Connection.RemoteIpAddress = address;
                context.Request.Headers.Remove(Header);
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
