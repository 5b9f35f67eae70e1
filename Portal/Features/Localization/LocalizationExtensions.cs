using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;
using Portal.Infrastructure.Security;
using Portal.Resources;

namespace Portal.Features.Localization;

public static class LocalizationExtensions
{
    public static IServiceCollection AddPortalLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<ResourceManagerStringLocalizerFactory>();
        services.Replace(ServiceDescriptor.Transient<MudBlazor.MudLocalizer, PortalMudLocalizer>());
        services.Replace(ServiceDescriptor.Singleton<IStringLocalizerFactory>(sp => new PluralStringLocalizerFactory(sp.GetRequiredService<ResourceManagerStringLocalizerFactory>())));
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = StaffCultures.All.Select(c => new CultureInfo(c)).ToList();
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
        });
        return services;
    }

    public static WebApplication UsePortalLocalization(this WebApplication app)
    {
        app.UseRequestLocalization();
        return app;
    }

    /// <summary>
    /// Sets the culture cookie and returns to the page. A plain link works from static and interactive pages
    /// alike, and the culture is read once per request, so a full reload applies it everywhere.
    /// </summary>
    public static IEndpointRouteBuilder MapCultureEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/culture/set", (string culture, string? redirectUri, HttpContext http) =>
        {
            if (StaffCultures.All.Contains(culture))
            {
                http.Response.Cookies.Append(
                    CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = http.Request.IsHttps });
            }

            return Results.LocalRedirect(AccountPaths.SafeLocalPath(redirectUri));
        });
        return endpoints;
    }
}
