using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Portal.Infrastructure.Configuration;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Security;

public static class DataProtectionExtensions
{
    /// <summary>The application name all nodes share, so one node can read what another protected.</summary>
    public const string ApplicationName = "VictimsRightsPortal";

    /// <summary>
    /// Keys live beside the database they protect: with SQLite in the data folder; with PostgreSQL in the shared
    /// database (table DataProtectionKeys), so that every node reads the cookies, antiforgery tokens and encrypted
    /// identities any other node wrote, and the keys are in every backup of the data they decrypt (a Redis without
    /// persistence would lose them, and with them every identity record). When a certificate is configured
    /// (<c>Portal:DataProtection:CertificatePath</c> and <c>CertificatePassword</c>), the key ring itself is
    /// encrypted with it, so a copy of the data folder or a database dump alone reveals nothing.
    /// </summary>
    public static WebApplicationBuilder AddPortalDataProtection(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        var protection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        if (DatabaseSettings.From(builder.Configuration, builder.Environment.ContentRootPath).IsPostgres)
        {
            protection.PersistKeysToDbContext<PortalDbContext>();
            builder.Services.AddSingleton(new KeyRingLocation(null));
        }
        else
        {
            var folder = Path.Combine(options.ResolveDataDirectory(builder.Environment.ContentRootPath), "keys");
            protection.PersistKeysToFileSystem(new DirectoryInfo(folder));
            builder.Services.AddSingleton(new KeyRingLocation(folder));
        }

        var certificatePath = builder.Configuration["Portal:DataProtection:CertificatePath"];
        if (!string.IsNullOrEmpty(certificatePath))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, builder.Configuration["Portal:DataProtection:CertificatePassword"]);
            protection.ProtectKeysWithCertificate(certificate);
        }

        builder.Services.AddSingleton<KeyRingCheck>();
        builder.Services.AddSingleton<CaseKeyRing>();
        builder.Services.AddSingleton<FieldProtector>();
        return builder;
    }
}
