using Portal.Domain.Cases;
using Portal.Infrastructure.Data;

namespace Portal.Features.Shared;

/// <summary>
/// Something a case holds that retention destroys. Each runs inside the erasure's transaction, before the case's keys
/// are destroyed (its protected fields can still be read and changed). Protected fields need no eraser of their own to
/// become unreadable, since they go with the case key; an eraser removes what must not stay even as ciphertext (rows
/// whose fields could no longer be opened) and what lies outside the database. Documents have one that deletes their files
/// and records: the files' own keys are sealed by the case key, so every copy elsewhere dies with it.
/// </summary>
public interface ICaseEraser
{
    Task EraseAsync(PortalDbContext db, Case erased, CancellationToken cancellationToken);
}
