using Microsoft.AspNetCore.Http.Features;

namespace Portal.Features.Intake;

/// <summary>
/// Error answers under /help (refused form, body too large, too many attempts, not found) become the public
/// problem page in the person's language, on the light layout. Unlike the framework's re-execution, the page is
/// rendered as a fresh GET: a refused POST must not be form-processed or antiforgery-checked a second time.
/// </summary>
public static class PublicErrorPages
{
    public const string PathFormat = "/help/problem/{0}";

    /// <summary>An <see cref="HttpContext.Items"/> key a step may set to say more precisely why it refused.</summary>
    public const string ReasonItem = "portal:help-problem-reason";

    /// <summary>The posted text could not be read at all (the framework refuses null characters in forms).</summary>
    public const string UnreadableText = "unreadable-text";

    // WebApplication keeps its endpoints under this key and leaves it out of branches (UseWhen); routing the
    // problem page needs it back, exactly as the framework's own status-code re-execution does.
    private const string GlobalRouteBuilderKey = "__GlobalEndpointRouteBuilder";

    /// <param name="help">The /help branch.</param>
    /// <param name="app">The application, whose endpoints the problem page is routed among.</param>
    public static IApplicationBuilder UsePublicErrorPages(this IApplicationBuilder help, WebApplication app) =>
        help.Use(next =>
        {
            var reroute = help.New();
            reroute.Properties[GlobalRouteBuilderKey] = ((IApplicationBuilder)app).Properties.TryGetValue(GlobalRouteBuilderKey, out var routes) && routes is not null ? routes : app;
            reroute.UseRouting();
            reroute.Run(next);
            var rerouted = reroute.Build();
            return context => InvokeAsync(context, next, rerouted);
        });

    private static async Task InvokeAsync(HttpContext context, RequestDelegate next, RequestDelegate rerouted)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested
                                          && !context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            // Outside Development a failure becomes the plain public page, not the staff error page (which loads
            // MudBlazor and speaks only the staff languages). Logged with the request id like any unhandled error.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PublicErrorPages))
                .LogError(exception, "Unhandled error on public page {Path} ({TraceIdentifier})", context.Request.Path, context.TraceIdentifier);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }

        var response = context.Response;
        if (response.HasStarted || response.StatusCode < 400 || response.ContentLength.HasValue || !string.IsNullOrEmpty(response.ContentType)
            || context.Items.ContainsKey(typeof(PublicErrorPages)))
        {
            return;
        }

        var status = response.StatusCode;
        context.Items[typeof(PublicErrorPages)] = true;
        var request = context.Request;
        request.Method = HttpMethods.Get;
        request.Path = string.Format(System.Globalization.CultureInfo.InvariantCulture, PathFormat, status);
        request.QueryString = context.Items[ReasonItem] is string reason ? QueryString.Create("reason", reason) : QueryString.Empty;
        request.Headers.ContentType = default;
        request.Headers.ContentLength = default;
        request.Body = Stream.Null;
        context.Features.Set<IFormFeature>(null);
        context.SetEndpoint(null);
        context.Features.Get<IRouteValuesFeature>()?.RouteValues.Clear();

        // Blazor takes a 404 on entry for "not found was signalled" and renders nothing, so the page is rendered
        // as a normal page and the error status is put back as the headers go out.
        response.StatusCode = StatusCodes.Status200OK;
        response.OnStarting(() =>
        {
            response.StatusCode = status;
            return Task.CompletedTask;
        });

        await using var scope = context.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var services = context.RequestServices;
        context.RequestServices = scope.ServiceProvider;
        try
        {
            await rerouted(context);
        }
        finally
        {
            context.RequestServices = services;
        }
    }
}
