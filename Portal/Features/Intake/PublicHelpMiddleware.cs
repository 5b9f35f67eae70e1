using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;

namespace Portal.Features.Intake;

/// <summary>
/// Runs for every request under /help: picks the public language (its own cookie, then Accept-Language),
/// refuses oversized bodies before anything reads them, and keeps every public page out of caches and history
/// snapshots. The portal-wide security headers (same-origin-only CSP, no referrer, no framing) apply here too.
/// </summary>
public sealed class PublicHelpMiddleware(RequestDelegate next, IOptionsMonitor<IntakeOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var language = PublicCultures.Resolve(context.Request);
        CultureInfo.CurrentCulture = language.Culture;
        CultureInfo.CurrentUICulture = language.Culture;
        context.Features.Set<IRequestCultureFeature>(new RequestCultureFeature(new RequestCulture(language.Culture), provider: null));

        context.Response.OnStarting(static state =>
        {
            var response = ((HttpContext)state).Response;
            if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            {
                var headers = response.Headers;
                headers.CacheControl = "no-store, max-age=0";
                headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        }, context);

        // A re-executed error page keeps the original method and headers; it must not be refused again.
        if (HttpMethods.IsPost(context.Request.Method) && context.Features.Get<IStatusCodeReExecuteFeature>() is null)
        {
            var limit = options.CurrentValue.MaxRequestBytes;
            if (context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return Task.CompletedTask;
            }

            // A body without a declared length is cut off by the server at the same limit.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = limit;
            }
        }

        return next(context);
    }
}
