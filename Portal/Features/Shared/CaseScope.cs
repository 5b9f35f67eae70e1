using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Referrals;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Features.Shared;

/// <summary>
/// How every case feature reaches a case and what hangs off it, for queries and commands alike: only within the
/// viewer's countries and only while their server-side session is open. A record out of scope answers exactly like a
/// missing one, and the attempt is written to the audit trail.
/// </summary>
public sealed class CaseScope(SessionStore sessions, IAuditLog audit)
{
    /// <summary>The case (untracked), or null when it does not exist, is out of scope (audited) or the session has ended.</summary>
    public async Task<Case?> FindCaseAsync(PortalDbContext db, UserScope scope, Guid caseId, CancellationToken cancellationToken = default) =>
        (await LoadCaseAsync(db, scope, c => c.Id == caseId, caseId.ToString(), forCommand: false, cancellationToken)).Record;

    /// <summary>
    /// As <see cref="FindCaseAsync(PortalDbContext, UserScope, Guid, CancellationToken)"/>, for a look the user asked for
    /// that shows protected data (revealing an identity): the session is checked in the store, never a reused answer, and
    /// the look counts as activity.
    /// </summary>
    public async Task<Case?> FindCaseToShowAsync(PortalDbContext db, UserScope scope, Guid caseId, CancellationToken cancellationToken = default) =>
        (await LoadCaseAsync(db, scope, c => c.Id == caseId, caseId.ToString(), forCommand: false, cancellationToken, userAction: true)).Record;

    /// <summary>As <see cref="FindCaseAsync(PortalDbContext, UserScope, Guid, CancellationToken)"/>, by the case's number.</summary>
    public async Task<Case?> FindCaseAsync(PortalDbContext db, UserScope scope, string caseNumber, CancellationToken cancellationToken = default)
    {
        var number = caseNumber.Trim().ToUpperInvariant();
        return (await LoadCaseAsync(db, scope, c => c.Number == number, number, forCommand: false, cancellationToken)).Record;
    }

    /// <summary>The record (tracked, to be changed) and its case, or the answer to give: not found, or the session has ended.</summary>
    internal async Task<Loaded<T>> LoadAsync<T>(PortalDbContext db, UserScope scope, RecordKind<T> kind, Guid id, CancellationToken cancellationToken)
        where T : VersionedEntity
    {
        if (typeof(T) == typeof(Case))
        {
            var loaded = await LoadCaseAsync(db, scope, c => c.Id == id, id.ToString(), forCommand: true, cancellationToken);
            return new Loaded<T>(loaded.Record as T, loaded.Record, loaded.Refusal);
        }

        if (!await SessionOpenAsync(scope, kind.Type, id.ToString(), userAction: true, cancellationToken))
        {
            return Loaded<T>.Refused(CommandResult.SessionEnded);
        }

        var record = await db.Set<T>().FirstOrDefaultAsync(e => EF.Property<Guid>(e, "Id") == id, cancellationToken);
        if (record is null)
        {
            return Loaded<T>.Refused(CommandResult.NotFound);
        }

        if (kind.CaseIdOf is not { } caseIdOf)
        {
            return new Loaded<T>(record, null, null);
        }

        var caseId = caseIdOf(record);
        var cases = db.Cases.AsNoTracking();

        // A provider's user reaches no case by country, only the referrals addressed to their organisation once sent.
        var survivorCase = scope.IsProvider
            ? record is Referral referral && ProviderCopy.IsFor(referral, scope.ProviderId!.Value) ? await cases.FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken) : null
            : await cases.InScope(scope, c => c.CountryCode).FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (survivorCase is null)
        {
            db.Entry(record).State = EntityState.Detached;
            await audit.RecordAsync(AuditAction.AccessDenied, kind.Type, id.ToString(), "out of scope", cancellationToken);
            return Loaded<T>.Refused(CommandResult.NotFound);
        }

        return new Loaded<T>(record, survivorCase, null);
    }

    /// <param name="forCommand">Tracked, to be changed; and the session is checked as for a user's action.</param>
    /// <param name="userAction">The session is checked in the store and the check counts as the user's activity.</param>
    private async Task<Loaded<Case>> LoadCaseAsync(
        PortalDbContext db, UserScope scope, Expression<Func<Case, bool>> which, string asked, bool forCommand, CancellationToken cancellationToken, bool userAction = false)
    {
        if (!await SessionOpenAsync(scope, Records.Case.Type, asked, userAction: forCommand || userAction, cancellationToken))
        {
            return Loaded<Case>.Refused(CommandResult.SessionEnded);
        }

        var cases = forCommand ? db.Cases : db.Cases.AsNoTracking();
        var survivorCase = await cases.InScope(scope, c => c.CountryCode).FirstOrDefaultAsync(which, cancellationToken);
        if (survivorCase is not null)
        {
            return new Loaded<Case>(survivorCase, survivorCase, null);
        }

        // A real case outside one's countries is an attempt worth recording; the answer is "not found" either way.
        var outOfScope = await db.Cases.Where(which).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        if (outOfScope is { } id)
        {
            await audit.RecordAsync(AuditAction.AccessDenied, Records.Case.Type, id.ToString(), "out of scope", cancellationToken);
        }

        return Loaded<Case>.Refused(CommandResult.NotFound);
    }

    /// <summary>
    /// Whether the viewer's server-side session is still open, for a query that lists or counts what staff see (queues,
    /// dashboards, notifications, the referrals list) rather than loading one record: the check the case loading makes,
    /// refused and audited the same way. The caller answers a refusal with nothing (an empty list, no figures).
    /// </summary>
    /// <param name="recordType">What was asked for, for the audit trail ("Queue", "Dashboard").</param>
    public Task<bool> SessionOpenAsync(UserScope scope, string recordType, CancellationToken cancellationToken = default) =>
        SessionOpenAsync(scope, recordType, null, userAction: false, cancellationToken);

    /// <summary>
    /// A refusal is audited like any other, in the name of the scope that asked: by then the page's own sign-in may already
    /// have turned anonymous, and the trail must still say whose ended session tried.
    /// </summary>
    private async Task<bool> SessionOpenAsync(UserScope scope, string recordType, string? recordId, bool userAction, CancellationToken cancellationToken)
    {
        if (await sessions.IsOpenAsync(scope, userAction, cancellationToken))
        {
            return true;
        }

        await audit.RecordAsAsync(new AuditActor(scope.UserId, scope.UserName, scope.PrimaryRole, null), AuditAction.AccessDenied, recordType, recordId, "session ended", cancellationToken);
        return false;
    }
}

/// <summary>A record and its case as loaded for a command, or why there is none.</summary>
internal sealed record Loaded<T>(T? Record, Case? Case, CommandResult? Refusal)
{
    public static Loaded<T> Refused(CommandResult refusal) => new(default, null, refusal);
}
