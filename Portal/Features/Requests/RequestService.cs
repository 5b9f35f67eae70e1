using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Intake;
using Portal.Domain.Common;
using Portal.Features.Cases;
using Portal.Features.Intake;
using Portal.Features.Shared;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Requests;

/// <summary>
/// The person's own words in a case and the messages to them. Only for those working the case (its advocate or a
/// coordinator): it is what they need to help, so it needs no identity reveal, but every look is audited. Contact
/// details and safe times stay with the identity and its reveal.
/// </summary>
public sealed class RequestService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CaseScope cases,
    CommandPath path,
    IAuditLog audit,
    TimeProvider clock)
{
    private const string ReadAttempt = "read the person's request";

    /// <summary>The longest a reference code or a case number can be as typed (with spaces and dashes).</summary>
    public const int LinkInputMaxLength = 40;

    /// <summary>
    /// The requests and the thread, oldest first. Out of scope answers "not found" (audited by the scope); someone in
    /// scope who does not work the case is refused (audited); every look is recorded before anything is returned.
    /// </summary>
    public async Task<CommandResult<RequestView>> GetAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivorCase = await cases.FindCaseToShowAsync(db, scope, caseId, cancellationToken);
        if (survivorCase is null)
        {
            return CommandResult.NotFound.With<RequestView>(null);
        }

        if (CasePermission.WorkOnCase.Check(scope, survivorCase, ReadAttempt) is { } refusal)
        {
            await audit.RecordAsync(AuditAction.AccessDenied, CaseService.RecordType, caseId.ToString(), "request", cancellationToken);
            return refusal.With<RequestView>(null);
        }

        List<IntakeSubmission> submissions;
        List<PersonMessage> messages;
        try
        {
            submissions = await db.IntakeSubmissions.AsNoTracking().Where(s => s.CaseId == caseId).ToListAsync(cancellationToken);
            messages = await db.PersonMessages.AsNoTracking().Where(m => m.CaseId == caseId).ToListAsync(cancellationToken);
        }
        catch (ProtectedDataUnreadableException)
        {
            await audit.RecordAsync(AuditAction.RevealFailed, CaseService.RecordType, caseId.ToString(), "request unreadable", cancellationToken);
            return CommandResult.Refused("request.unreadable", "The person's words cannot be decrypted.").With<RequestView>(null);
        }

        await audit.RecordAsync(AuditAction.ViewedRequest, CaseService.RecordType, caseId.ToString(), cancellationToken: cancellationToken);

        var senders = messages.Select(m => m.SentBy).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => senders.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        // A request linked here from the case it opened names that case (closed as a duplicate of this one).
        var submissionIds = submissions.Select(s => (Guid?)s.Id).ToList();
        var openedElsewhere = await db.Cases.AsNoTracking()
            .Where(c => c.Id != caseId && submissionIds.Contains(c.IntakeSubmissionId))
            .Select(c => new { c.IntakeSubmissionId, c.Number })
            .ToDictionaryAsync(c => c.IntakeSubmissionId!.Value, c => c.Number, cancellationToken);
        var requests = submissions.OrderBy(s => s.ReceivedAtUtc).Select(s => new PersonRequest(
            s.Id,
            s.ReferenceCode,
            s.ReceivedAtUtc,
            s.Language,
            s.CountryCode,
            s.Area,
            s.ChildBornAsResult,
            [.. s.HelpWanted.Select(h => new RequestedHelp(h, h.AssistanceType()))],
            s.ContactChannels.Any(c => c != ContactChannel.None))
        {
            LinkedFromCase = openedElsewhere.GetValueOrDefault(s.Id),
        }).ToList();

        var thread = new List<ThreadEntry>();
        foreach (var s in submissions)
        {
            thread.Add(new ThreadEntry(ThreadEntryKind.Account, s.ReceivedAtUtc, s.WhatHappened, s.Language) { ReferenceCode = s.ReferenceCode });
            thread.AddRange(s.AdditionalInformation.Select(a =>
                new ThreadEntry(ThreadEntryKind.Addition, a.AtUtc, a.Text, s.Language) { ReferenceCode = s.ReferenceCode, SafeTimesChanged = a.SafeTimes is not null }));
        }

        thread.AddRange(messages.Select(m => new ThreadEntry(ThreadEntryKind.Message, m.SentAtUtc, m.Text, survivorCase.SubmissionLanguage)
        {
            SentByName = names.GetValueOrDefault(m.SentBy, m.SentBy),
            Signature = m.Signature,
            ReadAtUtc = m.ReadAtUtc,
        }));

        return CommandResult.Done.With(new RequestView(
            requests,
            [.. thread.OrderBy(e => e.AtUtc)],
            CasePermission.WorkOnOpenCase.Check(scope, survivorCase, "write to the person") is null,
            submissions.Min(s => s.UnreadSinceUtc)));
    }

    /// <summary>
    /// A person who lost their passphrase sent a new request, which opened a case of its own: the advocate links that
    /// request into this case, found by its reference code (the person may read it out on the phone) or by its case's
    /// number. Its requests, additions and messages move here and are sealed again with this case's key in the same
    /// transaction; contact details the person gave there become this case's (the latest instruction wins); the other
    /// case closes as a duplicate of this one. Both cases must be in the user's countries (a case outside them answers
    /// as not found, and the look is audited by the scope) and in the same country. Afterwards either reference code
    /// with its own passphrase opens this case's thread on the status page.
    /// </summary>
    public Task<CommandResult> LinkAsync(UserScope scope, Guid caseId, string? codeOrNumber, CancellationToken cancellationToken = default) =>
        path.AddToCaseAsync(scope, caseId, "link another request", CasePermission.WorkOnOpenCase, async work =>
        {
            var asked = work.Problems.Text("Other", codeOrNumber, "The reference code or case number", LinkInputMaxLength, required: true);
            if (work.Problems.Any)
            {
                return;
            }

            var found = await FindOtherCaseAsync(work.Db, scope, asked!, cancellationToken);
            if (found is null)
            {
                work.Problems.Add("Other", ErrorCodes.RequestLinkNotFound, "No request or case with this reference code or number was found in your countries.");
                return;
            }

            var into = work.Record;
            var other = found.Id == into.Id ? into : await work.Db.Cases.SingleAsync(c => c.Id == found.Id, cancellationToken);
            if (other != into && other.AssignedAdvocateId is not null && !CasePermission.MayWork(scope, other))
            {
                throw new DomainException(ErrorCodes.RequestLinkCaseHeld, $"Case {other.Number} is held by another advocate; they or a coordinator may link it.");
            }

            var otherId = other.Id;
            var hasRecords = await work.Db.Referrals.AnyAsync(r => r.CaseId == otherId, cancellationToken)
                || await work.Db.FollowUps.AnyAsync(f => f.CaseId == otherId, cancellationToken)
                || await work.Db.Children.AnyAsync(c => c.CaseId == otherId, cancellationToken)
                || await work.Db.PaternityClaims.AnyAsync(p => p.CaseId == otherId, cancellationToken)
                || await work.Db.Assessments.AnyAsync(a => a.CaseId == otherId, cancellationToken)
                || await work.Db.PlanGoals.AnyAsync(g => g.CaseId == otherId, cancellationToken);

            List<IntakeSubmission> requests;
            List<PersonMessage> messages;
            IdentityRecord? moving, kept;
            try
            {
                requests = await work.Db.IntakeSubmissions.Where(s => s.CaseId == otherId).ToListAsync(cancellationToken);
                messages = await work.Db.PersonMessages.Where(m => m.CaseId == otherId).ToListAsync(cancellationToken);
                moving = other == into ? null : await work.Db.IdentityRecords.SingleOrDefaultAsync(i => i.CaseId == otherId, cancellationToken);
                kept = await work.Db.IdentityRecords.SingleOrDefaultAsync(i => i.CaseId == into.Id, cancellationToken);
            }
            catch (ProtectedDataUnreadableException)
            {
                throw new DomainException("request.unreadable", "The person's words cannot be decrypted.");
            }

            other.LinkInto(into, requests, messages, hasRecords, scope.UserId, clock);

            // Ways to reach the person given with the newer request replace older ones, unless the kept record changed since.
            if (moving is not null)
            {
                if (kept is null)
                {
                    kept = IdentityRecord.Create(into.Id, new IdentityDetails(null, null, null, null, null, ContactChannel.None, null, null));
                    work.Db.IdentityRecords.Add(kept);
                    kept.TakeContactFrom(moving);
                }
                else if ((moving.ChangedAtUtc ?? DateTime.MinValue) >= (kept.ChangedAtUtc ?? DateTime.MinValue))
                {
                    kept.TakeContactFrom(moving);
                }

                work.Db.IdentityRecords.Remove(moving);
            }

            work.Audit(AuditAction.RequestLinked, $"linked case {other.Number} into this case");
            work.Audit(AuditAction.RequestLinked, CaseService.RecordType, otherId, $"linked into case {into.Number}");
            work.Publish(LiveEventKind.CaseChanged);
            work.Publish(LiveEventKind.CaseStatusChanged, other);
        }, cancellationToken);

    /// <summary>The case a reference code's request belongs to, or the case with that number; in scope only (the scope audits a look outside it).</summary>
    private async Task<Case?> FindOtherCaseAsync(PortalDbContext db, UserScope scope, string codeOrNumber, CancellationToken cancellationToken)
    {
        if (IntakeService.FormatReferenceCode(codeOrNumber) is { } code)
        {
            var ofRequest = await db.IntakeSubmissions.AsNoTracking().Where(s => s.ReferenceCode == code).Select(s => s.CaseId).FirstOrDefaultAsync(cancellationToken);
            return ofRequest is { } id ? await cases.FindCaseAsync(db, scope, id, cancellationToken) : null;
        }

        return await cases.FindCaseAsync(db, scope, codeOrNumber, cancellationToken);
    }

    /// <summary>
    /// The user read what the person wrote: the unread mark goes when they are the case's advocate (or nobody holds it),
    /// and open queues drop it. Nothing to do is done.
    /// </summary>
    public Task<CommandResult> MarkReadAsync(UserScope scope, Guid caseId, CancellationToken cancellationToken = default) =>
        path.AddToCaseAsync(scope, caseId, ReadAttempt, CasePermission.WorkOnCase, async work =>
        {
            var unread = await work.Db.IntakeSubmissions.Where(s => s.CaseId == caseId && s.UnreadSinceUtc != null).ToListAsync(cancellationToken);
            unread.ForEach(s => s.ReadBy(scope.UserId, work.Record));
            if (unread.Any(s => s.UnreadSinceUtc is null))
            {
                work.Publish(LiveEventKind.PersonWordsRead);
            }
        }, cancellationToken);

    /// <summary>
    /// A message to the person, read on the status page with their code and passphrase; nothing is sent to them by any
    /// other channel. Signed with the writer's first name when <paramref name="signWithFirstName"/>, else "your advocate".
    /// </summary>
    public Task<CommandResult> SendMessageAsync(UserScope scope, Guid caseId, string? text, bool signWithFirstName, CancellationToken cancellationToken = default) =>
        path.AddToCaseAsync(scope, caseId, "write to the person", CasePermission.WorkOnOpenCase, work =>
        {
            var message = work.Problems.Text("Message", text, "The message", PersonMessage.TextMaxLength, required: true);
            if (work.Problems.Any)
            {
                return;
            }

            var written = PersonMessage.Write(caseId, message!, scope.UserId, signWithFirstName ? PersonMessage.FirstNameOf(scope.DisplayName) : null, clock);
            work.Db.PersonMessages.Add(written);
            work.Created = written.Id;
            work.Audit(AuditAction.Created, "PersonMessage", written.Id, "message to the person");
            work.Publish(LiveEventKind.PersonMessageChanged, written.Id);
        }, cancellationToken);
}
