using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Localization;
using Portal.Resources;

namespace Portal.Startup;

/// <summary>
/// The "Portal:Proxy" section: the TLS-terminating proxies (nginx, a load balancer) whose X-Forwarded-For, -Proto and
/// -Host headers the portal believes. Empty by default, so nobody can claim another address or HTTPS by sending the
/// headers themselves.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Portal:Proxy";

    /// <summary>Addresses of the proxies, e.g. <c>10.0.0.5</c>.</summary>
    public IReadOnlyList<IPAddress> KnownProxies { get; init; } = [];

    /// <summary>Networks of the proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public IReadOnlyList<System.Net.IPNetwork> KnownNetworks { get; init; } = [];

    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>
    /// Each list may be given as configuration array items (<c>Portal__Proxy__KnownProxies__0=10.0.0.5</c>) or as one
    /// value separated by commas or spaces (<c>Portal__Proxy__KnownProxies=10.0.0.5,10.0.0.6</c>), the easier form in an
    /// environment file. A value that is not an address stops the start with a message naming it.
    /// </summary>
    public static ProxyOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return new ProxyOptions
        {
            KnownProxies = [.. Values(section.GetSection(nameof(KnownProxies))).Select(value =>
                IPAddress.TryParse(value, out var address)
                    ? address
                    : throw new InvalidOperationException($"{Section}:{nameof(KnownProxies)} holds '{value}', which is not an IP address (for example 10.0.0.5).")),],
            KnownNetworks = [.. Values(section.GetSection(nameof(KnownNetworks))).Select(value =>
                System.Net.IPNetwork.TryParse(value, out var network)
                    ? network
                    : throw new InvalidOperationException($"{Section}:{nameof(KnownNetworks)} holds '{value}', which is not a network in CIDR notation (for example 10.0.0.0/24).")),],
        };
    }

    private static IEnumerable<string> Values(IConfigurationSection list) =>
        (list.Value is { } single ? [single] : list.GetChildren().Select(c => c.Value ?? ""))
            .SelectMany(v => v.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

public static class ProxyExtensions
{
    /// <summary>
    /// Forwarded headers from the configured proxies only. The client address, scheme and host they give become the
    /// request's own, before anything else runs, so HSTS, secure cookies, antiforgery, the rate-limit partitions and
    /// the audit's address all see the visitor rather than the proxy.
    /// </summary>
    public static WebApplicationBuilder AddPortalProxy(this WebApplicationBuilder builder)
    {
        var proxy = ProxyOptions.From(builder.Configuration);
        builder.Services.AddSingleton(proxy);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = proxy.TrustsAnyProxy
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost
                : ForwardedHeaders.None;

            // The framework trusts loopback by default; the portal trusts only what the operator names.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var address in proxy.KnownProxies)
            {
                options.KnownProxies.Add(address);
            }

            foreach (var network in proxy.KnownNetworks)
            {
                options.KnownIPNetworks.Add(network);
            }

            // Walk back through the chain while each hop is a known proxy (a CDN in front of nginx, say), and stop at the
            // first address that is not: whatever a client wrote before that is ignored.
            options.ForwardLimit = null;
        });
        return builder;
    }

    /// <summary>
    /// Call first: everything after it sees the visitor's address, scheme and host. With no proxy configured the
    /// middleware is left out altogether, because with both of its lists empty it would believe anyone.
    /// </summary>
    public static WebApplication UsePortalForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ProxyOptions>().TrustsAnyProxy)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    /// <summary>
    /// Outside Development the portal answers only HTTPS (its cookies are Secure): a plain HTTP request that no trusted
    /// proxy vouches for gets a short page in the person's language instead of an antiforgery failure deep in a page,
    /// and the operator a log line saying what to configure. /health stays open to the proxy's and monitoring's plain
    /// checks. Call after request localization.
    /// </summary>
    public static WebApplication UsePortalHttpsOnly(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            return app;
        }

        var proxy = app.Services.GetRequiredService<ProxyOptions>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProxyExtensions));
        var warned = 0;
        app.Use(async (context, next) =>
        {
            if (context.Request.IsHttps || context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            if (Interlocked.Exchange(ref warned, 1) == 0)
            {
                logger.LogError(
                    "A plain HTTP request from {Address} was refused: outside Development the portal serves HTTPS only. Behind a TLS-terminating proxy, " +
                    "name the proxy in {Section}:KnownProxies or KnownNetworks (trusted now: {Trusted}); without one, give Kestrel a certificate. See docs/operations.md.",
                    context.Connection.RemoteIpAddress, ProxyOptions.Section, proxy.TrustsAnyProxy ? string.Join(", ", [.. proxy.KnownProxies.Select(p => p.ToString()), .. proxy.KnownNetworks.Select(n => n.ToString())]) : "none");
            }

            var text = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(text["HttpsOnly"]);
        });
        return app;
    }
}
