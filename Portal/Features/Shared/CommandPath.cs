using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Configurations;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Shared;

/// <summary>
/// The one path every command on a case takes, so that no feature writes its own:
/// load the record in the viewer's scope (out of scope answers "not found" and is audited) and check that their session
/// is still open → check that they may do this → check the version they saw → let the domain change the record → save
/// (a save that lost a race is a conflict, saying who saved, when and what; a busy database is <see cref="CommandResult.Busy"/>) → audit → publish live events, after the commit.
/// <code>
/// public Task&lt;CommandResult&gt; WithdrawAsync(UserScope scope, Seen&lt;Referral&gt; referral, string? reason, CancellationToken ct = default) =&gt;
///     path.ChangeAsync(scope, referral, "withdraw a referral", CasePermission.WorkOnOpenCase, work =&gt;
///     {
///         var text = work.Problems.Text("Reason", reason, "The reason for withdrawing", Referral.ReasonMaxLength, required: true);
///         if (work.Problems.Any) return;
///         work.Record.Withdraw(text!, scope.UserId, clock);
///         work.Audit(AuditAction.Changed, "withdrawn");
///         work.Publish(LiveEventKind.ReferralChanged, work.Record.Id);
///     }, ct);
/// </code>
/// </summary>
public sealed class CommandPath(IDbContextFactory<PortalDbContext> dbFactory, CaseScope cases, IAuditLog audit, ILiveEvents liveEvents)
{
    /// <summary>How often a command that applies to whatever the record is now (<see cref="Seen{T}.Latest"/>) is run again after losing a race.</summary>
    private const int Attempts = 3;

    /// <summary>Changes a case, or a record of a case, as the user saw it.</summary>
    /// <param name="attempt">What the user tried, in a few words ("withdraw a referral"): named in refusals and in the audit of a forbidden attempt.</param>
    public Task<CommandResult> ChangeAsync<T>(UserScope scope, Seen<T> seen, string attempt, CasePermission permission, Action<CommandWork<T>> change, CancellationToken cancellationToken = default)
        where T : VersionedEntity =>
        ChangeAsync(scope, seen, attempt, permission, work =>
        {
            change(work);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <inheritdoc cref="ChangeAsync{T}(UserScope, Seen{T}, string, CasePermission, Action{CommandWork{T}}, CancellationToken)"/>
    public Task<CommandResult> ChangeAsync<T>(UserScope scope, Seen<T> seen, string attempt, CasePermission permission, Func<CommandWork<T>, Task> change, CancellationToken cancellationToken = default)
        where T : VersionedEntity =>
        RunAsync(scope, seen, Records.Of<T>(), (survivorCase, _) => permission.Check(scope, survivorCase!, attempt), attempt, change, cancellationToken);

    /// <summary>Changes a record of a case under a rule that needs the record itself (a provider answers only the referrals addressed to it).</summary>
    public Task<CommandResult> ChangeAsync<T>(UserScope scope, Seen<T> seen, string attempt, Func<Case, T, CommandResult?> permission, Func<CommandWork<T>, Task> change, CancellationToken cancellationToken = default)
        where T : VersionedEntity =>
        RunAsync(scope, seen, Records.Of<T>(), (survivorCase, record) => permission(survivorCase!, record), attempt, change, cancellationToken);

    /// <summary>
    /// Adds a record to a case (a referral, a follow-up, a child, a note): the same path, without a version to check
    /// because nothing the user saw is changed. The change adds the new record through <see cref="CommandWork{T}.Db"/>.
    /// </summary>
    public Task<CommandResult> AddToCaseAsync(UserScope scope, Guid caseId, string attempt, CasePermission permission, Action<CommandWork<Case>> add, CancellationToken cancellationToken = default) =>
        AddToCaseAsync(scope, caseId, attempt, permission, work =>
        {
            add(work);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <inheritdoc cref="AddToCaseAsync(UserScope, Guid, string, CasePermission, Action{CommandWork{Case}}, CancellationToken)"/>
    public Task<CommandResult> AddToCaseAsync(UserScope scope, Guid caseId, string attempt, CasePermission permission, Func<CommandWork<Case>, Task> add, CancellationToken cancellationToken = default) =>
        RunAsync(scope, Seen<Case>.Latest(caseId), Records.Case, (survivorCase, _) => permission.Check(scope, survivorCase!, attempt), attempt, add, cancellationToken, adding: true);

    /// <summary>Changes a record that belongs to no case (a service provider): the same path, for users holding one of <paramref name="roles"/>.</summary>
    public Task<CommandResult> ChangeAsync<T>(UserScope scope, Seen<T> seen, string attempt, IReadOnlyCollection<string> roles, Action<CommandWork<T>> change, CancellationToken cancellationToken = default)
        where T : VersionedEntity =>
        RunAsync(
            scope,
            seen,
            Records.Of<T>(),
            (_, _) => roles.Any(scope.IsInRole) ? null : CommandResult.Forbidden($"Only {string.Join(" or ", roles)} may {attempt}."),
            attempt,
            work =>
            {
                change(work);
                return Task.CompletedTask;
            },
            cancellationToken);

    private async Task<CommandResult> RunAsync<T>(
        UserScope scope,
        Seen<T> seen,
        RecordKind<T> kind,
        Func<Case?, T, CommandResult?> permission,
        string attempt,
        Func<CommandWork<T>, Task> change,
        CancellationToken cancellationToken,
        bool adding = false)
        where T : VersionedEntity
    {
        for (var attemptNumber = 1; ; attemptNumber++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.ActorId = scope.UserId;

            // 1. The record, in scope, with an open session.
            var loaded = await cases.LoadAsync(db, scope, kind, seen.Id, cancellationToken);
            if (loaded.Refusal is { } notThere)
            {
                return notThere;
            }

            var record = loaded.Record!;

            // 2. May this user do this? A refusal of a step on a page that no longer shows the record as it is, is a conflict.
            if (permission(loaded.Case, record) is { } refusal)
            {
                if (refusal.Outcome != CommandOutcome.Forbidden)
                {
                    return refusal;
                }

                if (seen.Version is { } shown && shown != record.Version)
                {
                    return CommandResult.ConflictWith(await ConflictAsync(db, kind, seen, record, scope.TimeZoneId, cancellationToken));
                }

                await audit.RecordAsync(AuditAction.AccessDenied, kind.Type, seen.Id.ToString(), attempt, cancellationToken);
                return refusal;
            }

            // 3. The version the user saw.
            if (seen.Version is { } expected && expected != record.Version)
            {
                return CommandResult.ConflictWith(await ConflictAsync(db, kind, seen, record, scope.TimeZoneId, cancellationToken));
            }

            // 4. The domain changes it; a refusal or a problem with the form leaves nothing to save.
            var work = new CommandWork<T>(db, scope, record, loaded.Case, kind.Type, seen.Id);
            try
            {
                await change(work);
            }
            catch (DomainException refused)
            {
                return CommandResult.Refused(refused);
            }

            if (work.Problems.Any)
            {
                return CommandResult.Invalid(work.Problems);
            }

            // 5. Saved, unless someone saved this record first, or the database was too busy to take it: then nothing
            // was written and nobody won, so the answer is "busy, try again", never a conflict or "someone else took it".
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (Exception ex) when (DatabaseBusy.Is(ex))
            {
                return CommandResult.Busy;
            }
            catch (DbUpdateException added) when (adding && attemptNumber < Attempts && ConcurrentEdits.AddedADuplicate(added))
            {
                continue; // someone added the same record first: the command decides again, seeing theirs
            }
            catch (DbUpdateConcurrencyException)
            {
                if (!adding && seen.Version is null && attemptNumber < Attempts)
                {
                    continue; // the command did not depend on what the user saw: the domain decides again on the record as it is now
                }

                await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
                var now = await fresh.Set<T>().AsNoTracking().FirstOrDefaultAsync(e => EF.Property<Guid>(e, "Id") == seen.Id, cancellationToken);
                return now is null ? CommandResult.NotFound : CommandResult.ConflictWith(await ConflictAsync(fresh, kind, seen, now, scope.TimeZoneId, cancellationToken));
            }

            // 6. and 7. Only what was committed is audited and announced.
            foreach (var (action, recordType, recordId, detail) in work.AuditEntries)
            {
                await audit.RecordAsync(action, recordType, recordId, detail, cancellationToken);
            }

            foreach (var liveEvent in work.LiveEvents)
            {
                await liveEvents.PublishAsync(liveEvent, cancellationToken);
            }

            return work.Created is { } created ? CommandResult.DoneWith(created)
                : adding ? CommandResult.Done
                : CommandResult.DoneWith(seen.Id);
        }
    }

    /// <summary>Who saved the record last, when, and which of its parts differ from what the user saw.</summary>
    private static async Task<Conflict> ConflictAsync<T>(PortalDbContext db, RecordKind<T> kind, Seen<T> seen, T current, string viewerTimeZoneId, CancellationToken cancellationToken)
        where T : VersionedEntity
    {
        var by = current.ChangedBy is { } userId
            ? await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? userId
            : null;
        return new Conflict(kind.Type, by, current.ChangedAtUtc, seen.Aspects is { } aspects ? kind.Changed(aspects, current) : [], viewerTimeZoneId);
    }
}
