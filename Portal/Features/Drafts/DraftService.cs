using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Domain.Common;
using Portal.Domain.Drafts;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Features.Drafts;

/// <summary>
/// Keeps what a person types into a form of a case on the server, so a lost connection, a reload, a restart or another
/// node loses nothing. A draft is its author's alone: nobody else finds, restores or overwrites it, and it is offered
/// only while its author may still work on the case. Saving keeps it silently; restoring it is a look at case data and
/// is audited.
/// </summary>
public sealed class DraftService(IDbContextFactory<PortalDbContext> dbFactory, CaseScope cases, CommandPath path, IOptions<DraftOptions> options, TimeProvider clock, ILogger<DraftService> logger)
{
    public const string RecordType = "Draft";

    /// <summary>The form names, one draft per case and author each: the note box of the timeline.</summary>
    public const string NoteForm = "note";

    /// <summary>A new referral's dialog.</summary>
    public const string NewReferralForm = "referral";

    /// <summary>The follow-up dialog, whichever check it adds or changes (its content says which).</summary>
    public const string FollowUpForm = "followup";

    /// <summary>The closure request's reason and comment.</summary>
    public const string ClosureRequestForm = "closure-request";

    /// <summary>The message to the person, on the case's Request part.</summary>
    public const string MessageForm = "message";

    /// <summary>Keeps one form's draft as its author types, for as long as the form is open.</summary>
    public DraftKeeper KeeperFor(UserScope scope, Guid caseId, string form) =>
        new(this, scope, caseId, form, options.Value.KeepAfterPause, clock, logger);

    /// <summary>The author's draft of this form, if one is kept and has not expired; its content is not shown until restored.</summary>
    public async Task<DraftOffer?> FindAsync(UserScope scope, Guid caseId, string form, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await cases.FindCaseAsync(db, scope, caseId, cancellationToken) is null)
        {
            return null;
        }

        var kept = await Mine(db, scope, caseId, form).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return kept is null || DraftRules.Expired.IsMetBy(kept, Cutoff) ? null : new DraftOffer(kept.Form, kept.SavedAtUtc);
    }

    /// <summary>Keeps <paramref name="content"/> as the author's draft of the form, replacing the last; empty content removes it.</summary>
    public Task<CommandResult> KeepAsync(UserScope scope, Guid caseId, string form, string? content, CancellationToken cancellationToken = default) =>
        path.AddToCaseAsync(scope, caseId, "keep a draft", CasePermission.WorkOnCase, async work =>
        {
            var kept = await Mine(work.Db, scope, caseId, form).FirstOrDefaultAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(content))
            {
                if (kept is not null)
                {
                    work.Db.Remove(kept);
                }
            }
            else if (kept is null)
            {
                work.Db.Add(Draft.Start(caseId, scope.UserId, form, content, clock));
            }
            else
            {
                kept.Replace(content, clock);
            }
        }, cancellationToken);

    /// <summary>The draft's content, to put back into the form; audited as a look at the case. Null when there is none (any more).</summary>
    public async Task<string?> RestoreAsync(UserScope scope, Guid caseId, string form, CancellationToken cancellationToken = default)
    {
        string? content = null;
        var result = await path.AddToCaseAsync(scope, caseId, "restore a draft", CasePermission.WorkOnCase, async work =>
        {
            var kept = await Mine(work.Db, scope, caseId, form).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
            if (kept is not null && !DraftRules.Expired.IsMetBy(kept, Cutoff))
            {
                content = kept.Content;
                work.Audit(AuditAction.RestoredDraft, RecordType, kept.Id, form);
            }
        }, cancellationToken);
        return result.Succeeded ? content : null;
    }

    /// <summary>Removes the author's draft of the form: once the form is saved, or when they discard it.</summary>
    public Task<CommandResult> DiscardAsync(UserScope scope, Guid caseId, string form, CancellationToken cancellationToken = default) =>
        KeepAsync(scope, caseId, form, null, cancellationToken);

    /// <summary>Every draft of a person, on signing out: what they leave unsaved does not wait on the server for someone else's session.</summary>
    public async Task DiscardAllOfAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Drafts.Where(d => d.AuthorId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    private DateTime Cutoff => options.Value.CutoffAt(clock.GetUtcDateTime());

    private static IQueryable<Draft> Mine(PortalDbContext db, UserScope scope, Guid caseId, string form) =>
        db.Drafts.Where(d => d.AuthorId == scope.UserId && d.CaseId == caseId && d.Form == form);
}

/// <summary>That a draft is kept, and since when: what the page offers before anything is restored.</summary>
public sealed record DraftOffer(string Form, DateTime SavedAtUtc);
