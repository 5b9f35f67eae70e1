using Portal.Infrastructure.Security;
using Portal.Features.Shared;

namespace Portal.Features.Documents;

public static class DocumentsExtensions
{
    /// <summary>Files kept with a case: upload, download (audited) and deletion with a reason.</summary>
    public static IServiceCollection AddPortalDocuments(this IServiceCollection services)
    {
        services.AddOptions<DocumentOptions>()
            .BindConfiguration(DocumentOptions.Section)
            .Validate(o => o.MaxFileSizeMegabytes is > 0 and <= 100, "Portal:Documents:MaxFileSizeMegabytes must be between 1 and 100.")
            .ValidateOnStart();
        services.AddScoped<DocumentService>();
        services.AddSingleton<ICaseEraser, DocumentEraser>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortalDocuments(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(DocumentService.DownloadPath + "/{id:guid}", DocumentDownload.HandleAsync).RequireAuthorization();
        endpoints.MapGet(PublicPaths.ProviderDesk + DocumentService.DownloadPath + "/{id:guid}", DocumentDownload.HandleAsync).RequireAuthorization();
        return endpoints;
    }
}
