using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Intake;
using Portal.Features.Cases;
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
        var requests = submissions.OrderBy(s => s.ReceivedAtUtc).Select(s => new PersonRequest(
            s.Id,
            s.ReferenceCode,
            s.ReceivedAtUtc,
            s.Language,
            s.CountryCode,
            s.Area,
            s.ChildBornAsResult,
            [.. s.HelpWanted.Select(h => new RequestedHelp(h, h.AssistanceType()))],
            s.ContactChannels.Any(c => c != ContactChannel.None))).ToList();

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
