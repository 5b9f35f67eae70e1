using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Security;

namespace Portal.Features.Intake.Abuse;

/// <summary>
/// Per-address limits for the public pages: few form posts (each may be a submission, a status guess or an
/// addition), more page views. A rejected request answers 429, which the public pages turn into a plain
/// "please wait" page in the person's language. An IPv6 sender is its /64 network, as for the proof of work's
/// pressure. Behind a proxy named in Portal:Proxy, RemoteIpAddress is the visitor's address (the forwarded
/// headers run first), so each visitor has a bucket of their own.
/// </summary>
public sealed class IntakeRateLimitingPolicy(IOptionsMonitor<IntakeOptions> options) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (context, _) =>
    {
        context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return ValueTask.CompletedTask;
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var limits = options.CurrentValue.RateLimits;
        var address = SubmissionPressure.Key(httpContext.Connection.RemoteIpAddress);
        var posting = HttpMethods.IsPost(httpContext.Request.Method);
        var permits = posting ? limits.FormPostsPerWindow : limits.PageViewsPerWindow;
        return RateLimitPartition.GetFixedWindowLimiter(
            (posting ? "post:" : "view:") + address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, permits), Window = limits.Window, QueueLimit = 0 });
    }
}

public static class IntakeRateLimiting
{
    public const string Policy = "public-help";
}
