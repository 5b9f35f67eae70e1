using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Portal.Infrastructure.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>
    /// The one development configuration lives at the repository root, beside Portal.sln, so that every
    /// tool and test reads the same file. It replaces the framework's default appsettings.Development.json
    /// source in place, keeping its precedence (after appsettings.json, before environment variables).
    /// </summary>
    public static WebApplicationBuilder AddPortalConfiguration(this WebApplicationBuilder builder)
    {
        var environmentFile = $"appsettings.{builder.Environment.EnvironmentName}.json";
        var rootFile = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, "..", environmentFile));
        var sources = builder.Configuration.Sources;
        var index = sources.ToList().FindIndex(s => s is JsonConfigurationSource json && json.Path == environmentFile);
        if (builder.Environment.IsDevelopment() && index >= 0 && File.Exists(rootFile))
        {
            sources[index] = new JsonConfigurationSource
            {
                Path = Path.GetFileName(rootFile),
                FileProvider = new PhysicalFileProvider(Path.GetDirectoryName(rootFile)!),
                Optional = false,
                ReloadOnChange = true,
            }; // ConfigurationManager rebuilds its providers when a source is replaced.
        }

        builder.Services.Configure<PortalOptions>(builder.Configuration.GetSection(PortalOptions.Section));
        return builder;
    }
}
