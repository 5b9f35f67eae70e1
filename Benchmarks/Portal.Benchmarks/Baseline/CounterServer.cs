using Microsoft.AspNetCore.Authentication.Cookies;
using Portal.Benchmarks.Baseline.Counter;

namespace Portal.Benchmarks.Baseline;

/// <summary>
/// The circuit-density floor: the Blazor Web App template's counter page with global interactive server
/// rendering and nothing else (no MudBlazor, no localization, no database). Runs as its own process
/// (serve-counter). With --with-signin it adds cookie sign-in (/signin, /whoami) for the driver's smoke test;
/// the density figures never use that.
/// </summary>
public static class CounterServer
{
    public static async Task RunAsync(string[] args)
    {
        var withSignIn = args.Contains("--with-signin");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args.Where(a => a != "--with-signin").ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(CounterServer).Assembly.GetName().Name,
        });
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        if (withSignIn)
        {
            builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
            builder.Services.AddAuthorization();
            builder.Services.AddCascadingAuthenticationState();
        }

        var app = builder.Build();
        if (withSignIn)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        app.UseAntiforgery();
        app.MapGet("/health", () => "ok");
        app.MapStaticAssets();
        app.MapRazorComponents<CounterApp>().AddInteractiveServerRenderMode();
        await app.RunAsync();
    }
}
