using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Security;

namespace Portal.Features.Account;

/// <summary>
/// ASP.NET Core's rate limiter on the sign-in form posts: one fixed window per client address. There is no limit per
/// user name: anyone could then keep a named person out by posting their name from anywhere, and
/// <see cref="SignInThrottle"/> already holds back guesses at one account spread over many addresses.
/// </summary>
public static class LoginRateLimiting
{
    /// <summary>The form field that carries the user name on the sign-in form.</summary>
    private const string UserNameField = "Input.UserName";

    public static IServiceCollection AddPortalLoginRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddSingleton<RefusalWindows>();
        services.AddOptions<RateLimiterOptions>().Configure<IOptionsMonitor<SecurityOptions>>((options, security) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsSignInPost(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(AddressOf(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = Math.Max(1, security.CurrentValue.LoginRateLimit.PerAddressPermitLimit),
                        Window = security.CurrentValue.LoginRateLimit.Window,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = WriteTooManyRequestsPageAsync;
        });
        return services;
    }

    public static IApplicationBuilder UsePortalLoginRateLimits(this IApplicationBuilder app) => app.UseRateLimiter();

    internal static bool IsSignInPost(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.Equals(AccountPaths.Login, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(AccountPaths.LoginTwoFactor, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(AccountPaths.LoginRecoveryCode, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(AccountPaths.TwoFactorSetup, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(AccountPaths.Enrol, StringComparison.OrdinalIgnoreCase));

    private static string AddressOf(HttpContext context) => CurrentUser.Format(context.Connection.RemoteIpAddress) ?? "unknown";

    /// <summary>
    /// A refused sign-in post goes to the audit trail like a failed one, from the client's real address, once per address
    /// and window: a flood of refused posts is one entry, not one each. The account being tried is named when it exists;
    /// an unknown name is not kept (it is often a password typed in the wrong box).
    /// </summary>
    private static async Task RecordRefusalAsync(HttpContext context, TimeSpan windowLeft)
    {
        var services = context.RequestServices;
        if (!services.GetRequiredService<RefusalWindows>().FirstIn(AddressOf(context), windowLeft))
        {
            return;
        }

        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        var userName = form?[UserNameField].ToString().Trim() ?? "";
        var user = userName.Length is > 0 and <= 256 ? await services.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync(userName) : null;
        await services.GetRequiredService<IAuditLog>().RecordAsAsync(
            new AuditActor(user?.Id, user?.UserName, null, null), AuditAction.SignInFailed, nameof(StaffUser), user?.Id, "too many attempts");
    }

    private static async ValueTask WriteTooManyRequestsPageAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var windowLeft = retryAfter == default ? context.RequestServices.GetRequiredService<IOptionsMonitor<SecurityOptions>>().CurrentValue.LoginRateLimit.Window : retryAfter;
        await RecordRefusalAsync(context, windowLeft);
        var minutes = Math.Max(1, (int)Math.Ceiling(windowLeft.TotalMinutes));
        await using var renderer = new HtmlRenderer(context.RequestServices, context.RequestServices.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TooManyAttempts>(Microsoft.AspNetCore.Components.ParameterView.FromDictionary(
                new Dictionary<string, object?> { [nameof(TooManyAttempts.Minutes)] = minutes }));
            return output.ToHtmlString();
        });
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync("<!DOCTYPE html>" + html, cancellationToken);
    }

    /// <summary>The addresses whose refusal in the current window has been recorded, until that window ends.</summary>
    internal sealed class RefusalWindows(TimeProvider time)
    {
        /// <summary>Above this many addresses, those whose window has ended are dropped before a new one is added.</summary>
        private const int PruneAbove = 10_000;

        private readonly Lock _lock = new();
        private readonly Dictionary<string, DateTimeOffset> _recordedUntil = new(StringComparer.Ordinal);

        /// <summary>True for the first refusal of this address in a window that ends after <paramref name="windowLeft"/>.</summary>
        public bool FirstIn(string address, TimeSpan windowLeft)
        {
            var now = time.GetUtcNow();
            lock (_lock)
            {
                if (_recordedUntil.TryGetValue(address, out var until) && now < until)
                {
                    return false;
                }

                if (_recordedUntil.Count > PruneAbove)
                {
                    foreach (var (ended, _) in _recordedUntil.Where(r => r.Value <= now).ToList())
                    {
                        _recordedUntil.Remove(ended);
                    }
                }

                _recordedUntil[address] = now + windowLeft;
                return true;
            }
        }
    }
}
