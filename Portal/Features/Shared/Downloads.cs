using Portal.Infrastructure.Security;

namespace Portal.Features.Shared;

/// <summary>A file a signed-in user downloads (a document, a referral letter).</summary>
public sealed record DownloadFile(byte[] Content, string ContentType, string FileName);

public static class Downloads
{
    /// <summary>
    /// Always an attachment (a PDF is never shown inside the portal's pages), never kept in a cache. The service behind
    /// <paramref name="open"/> decides who may have the file and audits it; anyone else gets "not found".
    /// </summary>
    public static async Task<IResult> SendAsync(HttpContext context, ICurrentUser currentUser, Func<UserScope, Task<DownloadFile?>> open, CancellationToken cancellationToken)
    {
        if (await currentUser.FindAsync(cancellationToken) is not { } scope)
        {
            return Results.Unauthorized();
        }

        if (await open(scope) is not { } file)
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(file.Content, file.ContentType, file.FileName);
    }
}
