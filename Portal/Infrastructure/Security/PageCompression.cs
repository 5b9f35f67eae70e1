using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Portal.Infrastructure.Security;

/// <summary>
/// Pages (HTML) go compressed to the browser that asked for them itself: most of a page's weight on a slow field link.
/// Compressing a secret together with text an attacker chose leaks the secret through the response's length (BREACH), so
/// only requests no other site can have made are compressed: Sec-Fetch-Site "same-origin" (the portal's own links, forms
/// and redirects) or "none" (an address typed or bookmarked). A request another page made, even from a sibling host of the
/// same site (which the SameSite=Strict cookie does not stop), or from a browser that does not say, is answered uncompressed.
/// Static files come precompressed by MapStaticAssets; the circuit's WebSocket compresses its own frames.
/// </summary>
public static class PageCompression
{
    public static IServiceCollection AddPortalPageCompression(this IServiceCollection services)
    {
        // The providers' default is their fastest level, which leaves a page noticeably larger; a page's HTML is small
        // enough to compress well cheaply, and every KB is felt on a field link.
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        return services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.MimeTypes = ["text/html"];
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });
    }

    public static IApplicationBuilder UsePortalPageCompression(this IApplicationBuilder app) =>
        app.UseWhen(context => IsOwnRequest(context.Request), branch => branch.UseResponseCompression());

    internal static bool IsOwnRequest(HttpRequest request) =>
        request.Headers["Sec-Fetch-Site"].ToString() is "same-origin" or "none";
}
