using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Shared;

/// <summary>
/// What a command's change works with: the record (tracked: change it through its domain methods), its case (read
/// it), the unit of work (load more, add new records) and the form's problems. The change says what to audit and which
/// live events to publish; the path does both only once the change is saved.
/// </summary>
public sealed class CommandWork<T>
{
    private readonly Case? _case;

    internal CommandWork(PortalDbContext db, UserScope scope, T record, Case? survivorCase, string recordType, Guid recordId)
    {
        Db = db;
        Scope = scope;
        Record = record;
        _case = survivorCase;
        RecordType = recordType;
        RecordId = recordId;
    }

    public PortalDbContext Db { get; }

    public UserScope Scope { get; }

    /// <summary>The record to change; for a command that adds to a case, the case.</summary>
    public T Record { get; }

    /// <summary>The case the record belongs to (the record itself for a case). Read it; only the record is checked for conflicts.</summary>
    public Case Case => _case ?? throw new InvalidOperationException($"A {RecordType} belongs to no case.");

    /// <summary>Problems with the form; any problem stops the command before anything is saved.</summary>
    public FormProblems Problems { get; } = new();

    /// <summary>The record the command created, returned to the page.</summary>
    public Guid? Created { get; set; }

    internal string RecordType { get; }

    internal Guid RecordId { get; }

    internal List<(AuditAction Action, string RecordType, string RecordId, string? Detail)> AuditEntries { get; } = [];

    internal List<LiveEvent> LiveEvents { get; } = [];

    /// <summary>Writes an entry about the record to the audit trail once the change is saved. Never put names, contact details or case text in the detail.</summary>
    public void Audit(AuditAction action, string? detail = null) => Audit(action, RecordType, RecordId, detail);

    /// <summary>As <see cref="Audit(AuditAction, string?)"/>, about another record (one the command created).</summary>
    public void Audit(AuditAction action, string recordType, Guid recordId, string? detail = null) =>
        AuditEntries.Add((action, recordType, recordId.ToString(), detail));

    /// <summary>Tells open pages once the change is saved: the case's country and id and the record's id, nothing else.</summary>
    public void Publish(LiveEventKind kind, Guid? recordId = null) =>
        LiveEvents.Add(new LiveEvent(kind, Case.CountryCode, Case.Id, recordId));

    /// <summary>As <see cref="Publish(LiveEventKind, Guid?)"/>, for a referral: its provider's users receive it too.</summary>
    public void PublishToProvider(LiveEventKind kind, Guid recordId, Guid providerId) =>
        LiveEvents.Add(new LiveEvent(kind, Case.CountryCode, Case.Id, recordId, ProviderId: providerId));

    /// <summary>As <see cref="Publish(LiveEventKind, Guid?)"/>, for another case the command changed as well (a case linked into this one).</summary>
    public void Publish(LiveEventKind kind, Case otherCase) =>
        LiveEvents.Add(new LiveEvent(kind, otherCase.CountryCode, otherCase.Id));
}
