using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Features.Intake.Abuse;

namespace Portal.Features.Intake;

public static class IntakeExtensions
{
    private static readonly Uri ResolveBase = new("http://portal.invalid/");

    /// <summary>The pages of the public area a language switch may return to, as they are routed.</summary>
    private static readonly string[] PublicPages = [PublicHelpPageAttribute.PathPrefix, "/help/status", "/help/submitted"];

    /// <summary>The public "Get help now" pages: services, options, rate limits and Data Protection keys.</summary>
    public static WebApplicationBuilder AddPortalIntake(this WebApplicationBuilder builder)
    {
        // Data Protection (keys in the data folder) is set up by AddPortalDataProtection in Program.
        builder.Services.AddOptions<IntakeOptions>().Bind(builder.Configuration.GetSection(IntakeOptions.Section));
        builder.Services.AddLocalization();
        builder.Services.AddRateLimiter(limiter => limiter.AddPolicy<string, IntakeRateLimitingPolicy>(IntakeRateLimiting.Policy));
        builder.Services.AddSingleton<OneTimeTokens>();
        builder.Services.AddSingleton<SubmissionPressure>();
        builder.Services.AddSingleton<ProofOfWork>();
        builder.Services.AddSingleton<StatusAccess>();
        builder.Services.AddSingleton<ReceiptCookie>();
        builder.Services.AddSingleton<SubmissionTickets>();
        builder.Services.AddSingleton<PassphraseHasher>();
        builder.Services.AddScoped<IntakeService>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// The public pages' part of the pipeline, for /help only: their error pages (wrapping everything after them,
    /// the rate limiter included), language, cache headers and body limit; then the language switch endpoint.
    /// Call after localization and before authentication.
    /// </summary>
    public static WebApplication UsePortalIntake(this WebApplication app)
    {
        app.UseWhen(
            context => PublicHelpPageAttribute.IsPublicPath(context.Request.Path),
            help =>
            {
                help.UsePublicErrorPages(app);
                help.UseMiddleware<PublicHelpMiddleware>();
                // The rate limiter itself runs once for the whole app (UsePortalLoginRateLimits) and applies the
                // pages' [EnableRateLimiting] policy; running it here as well would count every request twice.
            });

        app.MapGet("/help/language/{code}", (string code, string? @return, HttpContext http) =>
            {
                if (PublicCultures.Find(code) is { } language)
                {
                    http.Response.Cookies.Append(PublicCultures.CookieName, language.Code, new CookieOptions
                    {
                        Path = PublicHelpPageAttribute.PathPrefix,
                        MaxAge = TimeSpan.FromDays(365),
                        HttpOnly = true,
                        SameSite = SameSiteMode.Lax,
                        Secure = http.Request.IsHttps,
                        IsEssential = true,
                    });
                }

                return Results.LocalRedirect(PublicReturnPath(@return));
            })
            .AllowAnonymous()
            .RequireRateLimiting(IntakeRateLimiting.Policy)
            .WithMetadata(new PublicHelpPageAttribute());
        return app;
    }

    /// <summary>
    /// A public form posted without a valid antiforgery token is refused here, before Blazor would answer with a
    /// bare developer message, so that the person sees the plain "could not be accepted" page in their language.
    /// Call after the rate limiter (a flood of forged posts is still limited) and before UseAntiforgery.
    /// </summary>
    public static WebApplication UsePortalIntakeAntiforgery(this WebApplication app)
    {
        app.Use(RefuseForgedPostsAsync);
        return app;
    }

    private static async Task RefuseForgedPostsAsync(HttpContext context, RequestDelegate next)
    {
        if (HttpMethods.IsPost(context.Request.Method) && PublicHelpPageAttribute.IsOn(context))
        {
            bool valid;
            try
            {
                valid = await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);
            }
            catch (AntiforgeryValidationException unreadable) when (unreadable.InnerException is InvalidDataException)
            {
                // The framework's form reader refuses some text outright (a null character, for one): say so plainly.
                context.Items[PublicErrorPages.ReasonItem] = PublicErrorPages.UnreadableText;
                valid = false;
            }

            if (!valid)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }

        await next(context);
    }

    /// <summary>
    /// Where a language switch returns: one of the public pages, named as the portal spells it, never the text it was
    /// given. The path is read as a browser would ("..", "%2e", a second slash) before it is compared, so nothing that
    /// only starts like a public path ("/help/../queues/all") gets out of the public area, and a control character
    /// (which the redirect itself would refuse with an error) returns to /help like anything else unknown.
    /// </summary>
    internal static string PublicReturnPath(string? requested)
    {
        var path = requested?.Split('?', '#')[0];
        if (string.IsNullOrEmpty(path) || !path.StartsWith('/') || path.Any(char.IsControl)
            || !Uri.TryCreate(ResolveBase, path.Replace('\\', '/'), out var resolved) || resolved.Authority != ResolveBase.Authority)
        {
            return PublicHelpPageAttribute.PathPrefix;
        }

        var normalised = Uri.UnescapeDataString(resolved.AbsolutePath).TrimEnd('/');
        return PublicPages.FirstOrDefault(page => string.Equals(page, normalised, StringComparison.OrdinalIgnoreCase)) ?? PublicHelpPageAttribute.PathPrefix;
    }
}
