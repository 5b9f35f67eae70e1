using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using MudBlazor.Services;
using Portal.Components;
using Portal.Features.Account;
using Portal.Features.Intake;
using Portal.Infrastructure.Configuration;
using Portal.Infrastructure.Jobs;
using Portal.Infrastructure.Security;
using Portal.Features.Localization;

namespace Portal.Startup;

public static class WebExtensions
{
    public static IServiceCollection AddPortalUi(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ConnectionOptions.Section);
        services.Configure<ConnectionOptions>(section);
        var connections = section.Get<ConnectionOptions>() ?? new ConnectionOptions();
        services.AddRazorComponents().AddInteractiveServerComponents(circuits =>
        {
            circuits.DisconnectedCircuitRetentionPeriod = connections.DisconnectedCircuitRetention;
            circuits.DisconnectedCircuitMaxRetained = connections.MaxRetainedCircuits;
        });
        services.AddMudServices();
        services.AddPortalPageCompression();
        return services;
    }

    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        app.UsePortalForwardedHeaders();
        app.UsePortalSecurityHeaders();
        app.UsePortalPageCompression();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UsePortalLocalization();
        app.UsePortalHttpsOnly();
        app.UsePortalIntake();
        app.UseAuthentication();
        app.UsePortalCircuitOrigins();
        app.UsePortalLoginRateLimits();
        app.UseAuthorization();
        app.UsePortalIntakeAntiforgery();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapCultureEndpoint();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync }).AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapPortalJobDashboard();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
