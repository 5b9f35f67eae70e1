using Microsoft.Net.Http.Headers;
using Portal.Infrastructure.Security;

namespace Portal.Features.Documents;

/// <summary>
/// <c>GET /documents/{id}</c>: the file, always as an attachment (a PDF is never shown inside the portal's pages), never
/// kept in a cache. The service decides who may have it and audits the download; anyone else gets "not found".
/// </summary>
internal static class DocumentDownload
{
    public static async Task<IResult> HandleAsync(Guid id, HttpContext context, ICurrentUser currentUser, DocumentService documents, CancellationToken cancellationToken)
    {
        if (await currentUser.FindAsync(cancellationToken) is not { } scope)
        {
            return Results.Unauthorized();
        }

        if (await documents.OpenAsync(scope, id, cancellationToken) is not { } file)
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(file.Content, file.ContentType, file.FileName);
    }
}
