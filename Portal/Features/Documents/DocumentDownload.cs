using Portal.Features.Shared;
using Portal.Infrastructure.Security;

namespace Portal.Features.Documents;

/// <summary><c>GET /documents/{id}</c> (and under the provider desk): the file, as every download is sent.</summary>
internal static class DocumentDownload
{
    public static Task<IResult> HandleAsync(Guid id, HttpContext context, ICurrentUser currentUser, DocumentService documents, CancellationToken cancellationToken) =>
        Downloads.SendAsync(context, currentUser, scope => documents.OpenAsync(scope, id, cancellationToken), cancellationToken);
}
