using Microsoft.AspNetCore.DataProtection;
using Portal.Infrastructure.Configuration;

namespace Portal.Infrastructure.Security;

public static class DataProtectionExtensions
{
    public const string ApplicationName = "VictimsRightsPortal";

    /// <summary>
    /// Keys live in the data folder ("keys"), so encrypted contact details, antiforgery tokens and signed
    /// challenges survive a restart. The scaled-out mode replaces this with a shared key ring.
    /// </summary>
    public static WebApplicationBuilder AddPortalDataProtection(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        var keys = Path.Combine(options.ResolveDataDirectory(builder.Environment.ContentRootPath), "keys");
        Directory.CreateDirectory(keys);
        builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToFileSystem(new DirectoryInfo(keys));
        return builder;
    }
}
