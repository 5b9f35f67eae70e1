using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Infrastructure.Audit;

namespace Portal.Infrastructure.Security;

/// <summary>
/// The circuit hub (/_blazor: negotiate, WebSocket and long polling) answers only the portal's own pages. The session
/// cookie is SameSite=Strict, but "same site" includes every sibling subdomain, so a page on another host of the same
/// site could otherwise open a circuit with the staff member's cookie. A browser always names the page's origin on a
/// WebSocket and on a cross-origin request; a request without one comes from no page and carries no one's cookie by
/// accident. A refusal is answered 403 and written to the audit trail.
/// </summary>
public static class CircuitOrigins
{
    public const string HubPath = "/_blazor";

    /// <summary>Call after authentication, so the audit knows who was refused, and before the endpoints.</summary>
    public static WebApplication UsePortalCircuitOrigins(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(HubPath, StringComparison.OrdinalIgnoreCase), hub => hub.Use(RefuseOtherOriginsAsync));
        return app;
    }

    /// <summary>
    /// Whether a page of <paramref name="origin"/> may use the hub: the portal's own scheme, host and port as the request
    /// reached it (after a configured proxy's forwarded headers), or one of <see cref="SecurityOptions.AllowedOrigins"/>.
    /// </summary>
    public static bool IsAllowed(string origin, HttpRequest request, IEnumerable<string> allowedOrigins)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || from.AbsolutePath != "/" || !string.IsNullOrEmpty(from.Query))
        {
            return false;
        }

        return (Uri.TryCreate($"{request.Scheme}://{request.Host.Value}", UriKind.Absolute, out var own) && SameOrigin(from, own))
               || allowedOrigins.Any(allowed => Uri.TryCreate(allowed, UriKind.Absolute, out var listed) && SameOrigin(from, listed));
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    private static async Task RefuseOtherOriginsAsync(HttpContext context, RequestDelegate next)
    {
        var origin = context.Request.Headers.Origin.ToString();
        var allowed = context.RequestServices.GetRequiredService<IOptionsMonitor<SecurityOptions>>().CurrentValue.AllowedOrigins;
        if (string.IsNullOrEmpty(origin) || IsAllowed(origin, context.Request, allowed))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        // The refusal is the answer: not re-executed as the "not found" page, which would turn it into another status.
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }
        var shown = origin.Length > 100 ? origin[..100] : origin;
        await context.RequestServices.GetRequiredService<IAuditLog>()
            .RecordAsync(AuditAction.AccessDenied, "Circuit", null, $"connection from another origin: {shown}", context.RequestAborted);
    }
}
