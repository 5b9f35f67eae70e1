using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Intake;
using Portal.Features.Reminders;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;

namespace Portal.Features.Intake;

/// <summary>
/// The public intake: turns a submission into a case in its country's Intake queue, answers status checks by
/// reference code and passphrase, and records what the person adds later. Anonymous by design: nothing here
/// needs or records who the visitor is.
/// </summary>
public sealed class IntakeService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CaseNumbers caseNumbers,
    PassphraseHasher passphrases,
    SubmissionTickets tickets,
    ILiveEvents liveEvents,
    NotificationService notifications,
    IOptionsMonitor<IntakeOptions> options,
    TimeProvider clock)
{
    /// <summary>Who changed a record when the person changed it through the public pages (not a staff user).</summary>
    public const string PublicAuthorId = "public:intake";

    /// <summary>
    /// Receives the form: a new case in its country's Intake queue, or, for a form that was received already (its
    /// <paramref name="ticket"/> names a stored submission), that submission's receipt again, within the resend window.
    /// </summary>
    public async Task<SubmitResult> SubmitAsync(IntakeRequest request, string? ticket, CancellationToken cancellationToken)
    {
        var submissionTicket = tickets.Read(ticket) ?? SubmissionTickets.New();
        await using (var look = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await EarlierAsync(look, submissionTicket, cancellationToken) is { } earlier)
            {
                return earlier;
            }
        }

        // The slow hash runs before the transaction, so the database is never held while it computes.
        var passphraseHash = passphrases.Hash(submissionTicket.Passphrase);
        var country = IntakeCountries.QueueFor(request.CountryAnswer, options.CurrentValue.DefaultCountry);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Looked for again now that the transaction holds the database (SQLite: the write lock), in case the same form
        // arrived twice at once; on PostgreSQL the second insert of the id fails instead, answered below.
        if (await EarlierAsync(db, submissionTicket, cancellationToken) is { } concurrent)
        {
            return concurrent;
        }

        var submission = IntakeSubmission.Receive(
            new IntakeDetails(
                request.Language,
                request.CountryAnswer,
                request.Area,
                request.Account,
                request.Help,
                Channels(request.Contact),
                ContactSummary(request.Contact),
                request.Contact.SafeTimes,
                request.ChildBorn),
            clock,
            submissionTicket.SubmissionId);
        submission.SetPassphraseHash(passphraseHash);

        // Numbered inside the transaction: if anything below fails, the number goes back with it.
        var number = await caseNumbers.NextAsync(db, country, clock, cancellationToken);
        var opened = Case.OpenFromIntake(
            number,
            country,
            InitialRisk(request),
            request.Language,
            openedBy: null,
            clock,
            submission.Id,
            SurvivorProfile.Create(Sex.Unknown, AgeGroup.Unknown, null, null, [request.Language], false, null, request.Area, request.ChildBorn == ChildBornAnswer.Yes, clock));
        submission.LinkToCase(opened.Id);

        db.IntakeSubmissions.Add(submission);
        db.Cases.Add(opened);
        if (Identity(request.Contact) is { } identity)
        {
            db.IdentityRecords.Add(IdentityRecord.Create(opened.Id, identity));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (!DatabaseBusy.Is(ex))
        {
            await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (await EarlierAsync(fresh, submissionTicket, cancellationToken) is { } raced)
            {
                return raced;
            }

            throw;
        }

        // The one place the office learns of a new intake: open queues of the country refresh.
        await liveEvents.PublishAsync(new LiveEvent(LiveEventKind.CaseCreated, country, opened.Id), cancellationToken);
        return new SubmitResult(new IntakeReceipt(submission.ReferenceCode, submissionTicket.Passphrase), SentBefore: false);
    }

    /// <summary>
    /// For a form sent again whose proof of work was spent by its first sending: that submission's receipt again, within
    /// the resend window. No receipt and not <see cref="SubmitResult.SentBefore"/> when the form was never received.
    /// </summary>
    public async Task<SubmitResult> SubmitAgainAsync(string? ticket, CancellationToken cancellationToken)
    {
        if (tickets.Read(ticket) is not { } submissionTicket)
        {
            return new SubmitResult(null, SentBefore: false);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await EarlierAsync(db, submissionTicket, cancellationToken) ?? new SubmitResult(null, SentBefore: false);
    }

    private async Task<SubmitResult?> EarlierAsync(PortalDbContext db, SubmissionTicket ticket, CancellationToken cancellationToken)
    {
        var earlier = await db.IntakeSubmissions.AsNoTracking()
            .Where(s => s.Id == ticket.SubmissionId)
            .Select(s => new { s.ReferenceCode, s.ReceivedAtUtc })
            .FirstOrDefaultAsync(cancellationToken);
        if (earlier is null)
        {
            return null;
        }

        return clock.GetUtcDateTime() - earlier.ReceivedAtUtc <= options.CurrentValue.ResendWindow
            ? new SubmitResult(new IntakeReceipt(earlier.ReferenceCode, ticket.Passphrase), SentBefore: true)
            : new SubmitResult(null, SentBefore: true);
    }

    /// <summary>Null for an unknown code and for a wrong passphrase alike, after the same slow hash.</summary>
    public async Task<StatusView?> CheckStatusAsync(string? referenceCode, string? passphrase, CancellationToken cancellationToken)
    {
        var code = FormatReferenceCode(referenceCode);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = code is null
            ? null
            : await Current(db).AsNoTracking()
                .Where(s => s.ReferenceCode == code)
                .Select(s => new { s.Id, s.PassphraseHash })
                .SingleOrDefaultAsync(cancellationToken);

        if (!passphrases.Verify(found?.PassphraseHash, passphrase))
        {
            return null;
        }

        return await ViewAsync(db, found!.Id, cancellationToken);
    }

    public async Task<StatusView?> GetStatusAsync(Guid submissionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ViewAsync(db, submissionId, cancellationToken);
    }

    /// <summary>
    /// Kept with the submission (sealed with the case key) and shown in the case's Request part. A new safe time replaces
    /// the one in the case's identity record at once: the latest instruction the person gave is the one staff follow.
    /// The case is marked unread from the person, its open pages and queues refresh, and its advocate's bell rings.
    /// Refused (false) once the case is closed.
    /// </summary>
    public async Task<bool> AddInformationAsync(Guid submissionId, string? text, string? safeTimes, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = PublicAuthorId;
        var submission = await Current(db).SingleOrDefaultAsync(s => s.Id == submissionId, cancellationToken);
        var survivorCase = submission?.CaseId is { } caseId
            ? await db.Cases.AsNoTracking().Where(c => c.Id == caseId).Select(c => new { c.Id, c.CountryCode, c.Status }).SingleOrDefaultAsync(cancellationToken)
            : null;
        if (submission is null || survivorCase is null || survivorCase.Status == CaseStatus.Closed)
        {
            return false;
        }

        var addition = submission.AddInformation(text, safeTimes, clock);
        if (addition.SafeTimes is { } times)
        {
            var identity = await db.IdentityRecords.SingleOrDefaultAsync(i => i.CaseId == survivorCase.Id, cancellationToken);
            if (identity is null)
            {
                db.IdentityRecords.Add(IdentityRecord.Create(survivorCase.Id, new IdentityDetails(null, null, null, null, null, ContactChannel.None, times, null)));
            }
            else
            {
                identity.ChangeSafeContactTimes(times);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await liveEvents.PublishAsync(new LiveEvent(LiveEventKind.PersonWrote, survivorCase.CountryCode, survivorCase.Id, submission.Id), cancellationToken);
        await notifications.AnnouncePersonWroteAsync(survivorCase.Id, addition.AtUtc, cancellationToken);
        return true;
    }

    /// <summary>
    /// The requests whose code still opens the status page. Once a newer request is linked into the same case, an older
    /// code opens nothing, as if unknown: its passphrase was lost, perhaps to someone else, and the thread now holds what
    /// the person wrote with the new one.
    /// </summary>
    private static IQueryable<IntakeSubmission> Current(PortalDbContext db) =>
        db.IntakeSubmissions.Where(s => s.CaseId == null || !db.IntakeSubmissions.Any(o => o.CaseId == s.CaseId && o.ReceivedAtUtc > s.ReceivedAtUtc));

    /// <summary>"k7qm 4hxp-r2td" → "K7QM-4HXP-R2TD"; null when it cannot be a reference code at all.</summary>
    public static string? FormatReferenceCode(string? typed)
    {
        var symbols = IntakeSecrets.Normalize(typed);
        return symbols.Length == 12 ? $"{symbols[..4]}-{symbols[4..8]}-{symbols[8..]}" : null;
    }

    /// <summary>
    /// The person's thread: what they sent (with every request of their case) and what the office wrote back, oldest first. Showing the office's messages is
    /// their reading: each is marked read the first time, and the case's open pages are told.
    /// </summary>
    private async Task<StatusView?> ViewAsync(PortalDbContext db, Guid submissionId, CancellationToken cancellationToken)
    {
        var submission = await Current(db).AsNoTracking().SingleOrDefaultAsync(s => s.Id == submissionId, cancellationToken);
        if (submission is null)
        {
            return null;
        }

        var survivorCase = submission.CaseId is { } caseId
            ? await db.Cases.AsNoTracking().Where(c => c.Id == caseId).Select(c => new { c.Id, c.CountryCode, c.Status, c.AssignedAdvocateId }).SingleOrDefaultAsync(cancellationToken)
            : null;
        var status = survivorCase switch
        {
            { Status: CaseStatus.Closed } => PublicStatus.Closed,
            { AssignedAdvocateId: not null } => PublicStatus.AdvocateAssigned,
            _ => PublicStatus.Received,
        };

        // Every request of the case: a request sent again after a lost passphrase and linked into the case shows the
        // whole thread (only the newest code opens it: see Current).
        var requests = survivorCase is null
            ? [submission]
            : await db.IntakeSubmissions.AsNoTracking().Where(s => s.CaseId == survivorCase.Id).ToListAsync(cancellationToken);
        var thread = new List<StatusMessage>();
        foreach (var request in requests)
        {
            thread.Add(new StatusMessage(Utc(request.ReceivedAtUtc), request.WhatHappened, StatusMessageKind.Account));
            thread.AddRange(request.AdditionalInformation.Select(a => new StatusMessage(Utc(a.AtUtc), a.Text, StatusMessageKind.Addition) { SafeTimes = a.SafeTimes }));
        }

        if (survivorCase is not null)
        {
            var messages = await db.PersonMessages.Where(m => m.CaseId == survivorCase.Id).ToListAsync(cancellationToken);
            thread.AddRange(messages.Select(m => new StatusMessage(Utc(m.SentAtUtc), m.Text, StatusMessageKind.FromOffice) { Signature = m.Signature }));
            var unread = messages.Where(m => m.ReadAtUtc is null).ToList();
            if (unread.Count > 0)
            {
                unread.ForEach(m => m.MarkRead(clock));
                await db.SaveChangesAsync(cancellationToken);
                await liveEvents.PublishAsync(new LiveEvent(LiveEventKind.PersonMessageChanged, survivorCase.CountryCode, survivorCase.Id), cancellationToken);
            }
        }

        return new StatusView(submission.Id, status, Utc(submission.ReceivedAtUtc), [.. thread.OrderBy(m => m.At)]);
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    /// <summary>
    /// An unassessed intake that asks for safety or medical help (post-exposure care has a 72-hour window) starts
    /// high in the queue; everything else medium. The advocate assesses the real risk.
    /// </summary>
    private static RiskLevel InitialRisk(IntakeRequest request) =>
        request.Help.Contains(HelpKind.Safety) || request.Help.Contains(HelpKind.Medical) ? RiskLevel.High : RiskLevel.Medium;

    private static List<ContactChannel> Channels(ContactDetails contact)
    {
        var channels = new List<ContactChannel>();
        if (contact.Phone is not null)
        {
            channels.Add(ContactChannel.Phone);
        }

        if (contact.WhatsApp is not null)
        {
            channels.Add(ContactChannel.WhatsApp);
        }

        if (contact.Email is not null)
        {
            channels.Add(ContactChannel.Email);
        }

        if (contact.TrustedPerson is not null)
        {
            channels.Add(ContactChannel.TrustedPerson);
        }

        if (contact.InPerson)
        {
            channels.Add(ContactChannel.InPerson);
        }

        return channels.Count == 0 ? [ContactChannel.None] : channels;
    }

    /// <summary>One line per way of reaching the person, as the submission keeps it (encrypted at rest).</summary>
    private static string? ContactSummary(ContactDetails contact)
    {
        var lines = new List<string>();
        if (contact.Phone is not null)
        {
            lines.Add("Phone: " + contact.Phone);
        }

        if (contact.WhatsApp is not null)
        {
            lines.Add("WhatsApp: " + contact.WhatsApp);
        }

        if (contact.Email is not null)
        {
            lines.Add("Email: " + contact.Email);
        }

        if (contact.TrustedPerson is not null)
        {
            lines.Add("Through a trusted person: " + contact.TrustedPerson);
        }

        if (contact.InPerson)
        {
            lines.Add("Can come to an office in person");
        }

        return lines.Count == 0 ? null : string.Join('\n', lines);
    }

    /// <summary>The case's identity record, when the person gave a way to reach them; its first channel is the preferred one.</summary>
    private static IdentityDetails? Identity(ContactDetails contact)
    {
        var channel = Channels(contact)[0];
        if (channel == ContactChannel.None && contact.SafeTimes is null)
        {
            return null;
        }

        return new IdentityDetails(
            GivenName: null,
            FamilyName: null,
            OtherNames: null,
            Phone: contact.Phone ?? contact.WhatsApp,
            Email: contact.Email,
            ContactChannel: channel,
            SafeContactTimes: contact.SafeTimes,
            ExactAddress: null);
    }
}
