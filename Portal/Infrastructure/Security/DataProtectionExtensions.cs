using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Portal.Infrastructure.Configuration;

namespace Portal.Infrastructure.Security;

public static class DataProtectionExtensions
{
    /// <summary>The application name all nodes share, so one node can read what another protected.</summary>
    public const string ApplicationName = "VictimsRightsPortal";

    /// <summary>
    /// Keys live in the data folder beside the database they protect. When a certificate is configured
    /// (<c>Portal:DataProtection:CertificatePath</c> and <c>CertificatePassword</c>), the key ring itself is
    /// encrypted with it, so a copy of the data folder alone reveals nothing.
    /// </summary>
    public static WebApplicationBuilder AddPortalDataProtection(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        var keys = new DirectoryInfo(Path.Combine(options.ResolveDataDirectory(builder.Environment.ContentRootPath), "keys"));
        var protection = builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToFileSystem(keys);

        var certificatePath = builder.Configuration["Portal:DataProtection:CertificatePath"];
        if (!string.IsNullOrEmpty(certificatePath))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, builder.Configuration["Portal:DataProtection:CertificatePassword"]);
            protection.ProtectKeysWithCertificate(certificate);
        }

        builder.Services.AddSingleton<FieldProtector>();
        return builder;
    }
}
