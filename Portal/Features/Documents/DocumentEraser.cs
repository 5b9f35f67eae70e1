using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;

namespace Portal.Features.Documents;

/// <summary>
/// Retention removes a case's documents, files and records alike: the files' keys are sealed with the case key and
/// the records' names and notes too, so nothing of them could be opened again.
/// </summary>
internal sealed class DocumentEraser : ICaseEraser
{
    public async Task EraseAsync(PortalDbContext db, Case erased, CancellationToken cancellationToken)
    {
        var documents = db.Documents.Where(d => d.CaseId == erased.Id).Select(d => d.Id);
        await db.DocumentContents.Where(c => documents.Contains(c.DocumentId)).ExecuteDeleteAsync(cancellationToken);
        await db.Documents.Where(d => d.CaseId == erased.Id).ExecuteDeleteAsync(cancellationToken);
    }
}
