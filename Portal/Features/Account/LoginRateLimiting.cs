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
/// ASP.NET Core's rate limiter on the sign-in form posts: one fixed window per client address and one per
/// user name (so a botnet spreading guesses over many addresses still meets the per-name limit). Lockout
/// after failed passwords is separate and counted by Identity.
/// </summary>
public static class LoginRateLimiting
{
    private const string UserNameItem = "portal:login-user-name";

    /// <summary>The form field that carries the user name on the sign-in form.</summary>
    public const string UserNameField = "Input.UserName";

    public static IServiceCollection AddPortalLoginRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptionsMonitor<SecurityOptions>>((options, security) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    IsSignInPost(context.Request)
                        ? RateLimitPartition.GetFixedWindowLimiter("address:" + (CurrentUser.Format(context.Connection.RemoteIpAddress) ?? "unknown"), _ => Window(security.CurrentValue.LoginRateLimit.PerAddressPermitLimit, security.CurrentValue))
                        : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    IsSignInPost(context.Request) && context.Items[UserNameItem] is string userName
                        ? RateLimitPartition.GetFixedWindowLimiter("user:" + userName, _ => Window(security.CurrentValue.LoginRateLimit.PerUserNamePermitLimit, security.CurrentValue))
                        : RateLimitPartition.GetNoLimiter("")));
            options.OnRejected = WriteTooManyRequestsPageAsync;
        });
        return services;
    }

    /// <summary>
    /// The partition functions are synchronous, so the user name is read from the form beforehand. The form is
    /// buffered, so the page still binds it afterwards.
    /// </summary>
    public static IApplicationBuilder UsePortalLoginRateLimits(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (IsSignInPost(context.Request) && context.Request.HasFormContentType)
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                var userName = form[UserNameField].ToString().Trim();
                if (userName.Length > 0)
                {
                    context.Items[UserNameItem] = userName.Length > 256 ? userName[..256].ToUpperInvariant() : userName.ToUpperInvariant();
                }
            }

            await next(context);
        });
        app.UseRateLimiter();
        return app;
    }

    internal static bool IsSignInPost(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.Equals(AccountPaths.Login, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(AccountPaths.LoginTwoFactor, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(AccountPaths.LoginRecoveryCode, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(AccountPaths.TwoFactorSetup, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(AccountPaths.Enrol, StringComparison.OrdinalIgnoreCase));

    private static FixedWindowRateLimiterOptions Window(int permitLimit, SecurityOptions security) => new()
    {
        PermitLimit = Math.Max(1, permitLimit),
        Window = security.LoginRateLimit.Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>
    /// A refused sign-in post goes to the audit trail like a failed one, from the client's real address. The account
    /// being tried is named when it exists; an unknown name is not kept (it is often a password typed in the wrong box).
    /// </summary>
    private static async Task RecordRefusalAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var user = context.Items[UserNameItem] is string userName ? await services.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync(userName) : null;
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

        await RecordRefusalAsync(context);
        var minutes = Math.Max(1, (int)Math.Ceiling((retryAfter == default ? context.RequestServices.GetRequiredService<IOptionsMonitor<SecurityOptions>>().CurrentValue.LoginRateLimit.Window : retryAfter).TotalMinutes));
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
}
