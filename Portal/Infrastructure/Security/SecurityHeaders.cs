using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Net.Http.Headers;

namespace Portal.Infrastructure.Security;

/// <summary>
/// Headers on every response. The Content-Security-Policy allows scripts only from the portal itself plus
/// the one inline script Blazor renders (the import map), which carries this request's nonce. Styles allow
/// inline because MudBlazor sets style attributes and its theme as a style element; style cannot run code.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceItem = "portal:csp-nonce";

    /// <summary>The nonce of this request's policy, for the &lt;ImportMap nonce="..."&gt; in App.razor.</summary>
    public static string GetNonce(HttpContext context)
    {
        if (context.Items[NonceItem] is not string nonce)
        {
            // Hex needs no HTML or header escaping.
            nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceItem] = nonce;
        }

        return nonce;
    }

    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    public static IApplicationBuilder UsePortalSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy(GetNonce(context));
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                if (MustNotBeStored(context))
                {
                    headers.CacheControl = "no-store";
                    headers.Pragma = "no-cache";
                    headers.Remove(HeaderNames.ETag);
                    headers.Remove(HeaderNames.LastModified);
                }

                return Task.CompletedTask;
            });
            await next(context);
        });

    /// <summary>
    /// Anything shown to a signed-in user, and every account page, stays out of browser and proxy caches;
    /// the fingerprinted static files (the same for everyone) keep their long caching.
    /// </summary>
    private static bool MustNotBeStored(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is not null)
        {
            return false;
        }

        return context.User.Identity?.IsAuthenticated == true
            || context.Request.Path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase)
            || context.Response.Headers.SetCookie.Count > 0;
    }
}
