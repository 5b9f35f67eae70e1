using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Notifications;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Security;

namespace Portal.Features.Reminders;

/// <summary>
/// Finds what has fallen due since the last scan and plans its notifications:
/// <list type="bullet">
/// <item>a follow-up due → a reminder to the case's advocate;</item>
/// <item>a follow-up still open the policy's grace period after it fell due → an escalation to the coordinators;</item>
/// <item>a sent referral not accepted by its deadline → a reminder, and after the grace period an escalation;</item>
/// <item>a new intake nobody has claimed 24 hours after it arrived → an escalation;</item>
/// <item>something the person wrote, still unread by the case's advocate after the policy's working days → a reminder;</item>
/// <item>paternity claims that have not moved for months → a weekly digest to the coordinators.</item>
/// </list>
/// A case without an advocate (or whose advocate's account is disabled) escalates to the coordinators instead of
/// reminding nobody. A deadline that passed longer ago than the initial look-back (the first scan of a database seeded
/// or restored with years of history, a check entered long after its date) is not announced on its own: each person
/// gets one backlog digest that counts them, neither urgent nor an escalation, so those marks keep their meaning. Every query is a range over an index on a deadline column, bounded by the time since the last
/// scan, so a scan costs what fell due since then, not the size of the database.
/// </summary>
public sealed class ReminderScanner(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    ReminderPolicy policy,
    NotificationOutbox outbox,
    IOptions<ReminderOptions> options,
    IOptions<EmailOptions> email,
    ILogger<ReminderScanner> logger)
{
    public const string Actor = "job:reminder-scan";

    private static readonly CountryWorkingHours FallbackHours = CountryWorkingHours.Standard("UTC");

    /// <summary>Plans what fell due, then queues every delivery whose moment has come.</summary>
    public async Task<ScanResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var planned = await PlanAsync(cancellationToken);
        var dispatched = await outbox.DispatchAsync(cancellationToken);
        return new ScanResult(planned, dispatched);
    }

    public async Task<int> PlanAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await PlanOnceAsync(cancellationToken);
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                // An overlapping scan committed some of the same delivery keys (or the first scan state) first.
                logger.LogDebug("Reminder scan collided with another scan; looking again.");
            }
        }
    }

    private async Task<int> PlanOnceAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = Actor;
        var now = clock.GetUtcDateTime();
        var state = await db.Set<ReminderScanState>().FirstOrDefaultAsync(s => s.Id == ReminderScanState.SingletonId, cancellationToken);
        if (state is null)
        {
            state = new ReminderScanState { ScannedUpToUtc = now - options.Value.InitialLookback };
            db.Add(state);
        }

        var window = new Window(state.ScannedUpToUtc - options.Value.ScanOverlap, now);
        var candidates = new List<Candidate>();
        candidates.AddRange(await FollowUpCandidatesAsync(db, window, cancellationToken));
        candidates.AddRange(await ReferralCandidatesAsync(db, window, cancellationToken));
        candidates.AddRange(await IntakeCandidatesAsync(db, window, cancellationToken));
        candidates.AddRange(await UnreadCandidatesAsync(db, window, cancellationToken));

        var week = WeekOf(now);
        if (state.DigestWeekUtc != week)
        {
            candidates.AddRange(await DigestCandidatesAsync(db, week, now, cancellationToken));
            state.DigestWeekUtc = week;
        }

        var directory = await RecipientDirectory.LoadAsync(db, candidates.Select(c => c.Case?.AssignedAdvocateId).OfType<string>(), cancellationToken);
        var backlogBefore = now - options.Value.InitialLookback;
        var backlog = candidates.Where(c => c.RemindAtUtc < backlogBefore && c.Kind != NotificationKind.PaternityClaimsDigest).ToList();
        var notifications = candidates.Except(backlog).SelectMany(c => Expand(c, directory, now)).Concat(BacklogDigests(backlog, directory, now)).ToList();
        if (now > state.ScannedUpToUtc)
        {
            state.ScannedUpToUtc = now;
        }

        // The notifications and the scan mark commit together. The reads above take no lock; from here a concurrent
        // scan (on SQLite) waits for this commit and then finds these keys taken.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var added = await NotificationOutbox.InsertNewAsync(db, notifications, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (added > 0)
        {
            logger.LogInformation("Reminder scan planned {Count} notification(s) for deadlines up to {Now:u}.", added, now);
        }

        return added;
    }

    private async Task<List<Candidate>> FollowUpCandidatesAsync(PortalDbContext db, Window window, CancellationToken cancellationToken)
    {
        var (from, now) = (window.From, window.To);
        var escalation = EscalationStarts(window, policy.FollowUpEscalationGraceWorkingDays);
        var followUps = db.FollowUps.AsNoTracking();
        var found = new Dictionary<Guid, (FollowUp FollowUp, bool Changed)>();
        void Add(IEnumerable<FollowUp> list, bool changed)
        {
            foreach (var f in list)
            {
                found[f.Id] = (f, changed || (found.TryGetValue(f.Id, out var seen) && seen.Changed));
            }
        }

        // Open checks by planned date, snoozed ones by the end of their snooze: each a range on its own index.
        Add(await followUps.Where(f => f.Status == FollowUpStatus.Open && f.DueAtUtc > from && f.DueAtUtc <= now).ToListAsync(cancellationToken), false);
        Add(await followUps.Where(f => f.Status == FollowUpStatus.Snoozed && f.SnoozedUntilUtc > from && f.SnoozedUntilUtc <= now).ToListAsync(cancellationToken), false);
        if (escalation is { } starts)
        {
            Add(await followUps.Where(f => f.Status == FollowUpStatus.Open && f.DueAtUtc > starts.From && f.DueAtUtc <= starts.To).ToListAsync(cancellationToken), false);
            Add(await followUps.Where(f => f.Status == FollowUpStatus.Snoozed && f.SnoozedUntilUtc > starts.From && f.SnoozedUntilUtc <= starts.To).ToListAsync(cancellationToken), false);
        }

        // Checks entered late or moved into the past since the last scan: a range on the creation (change) date index,
        // the status judged here. With the status in the query SQLite reads every open check through the status index.
        Add((await followUps.Where(f => f.CreatedAtUtc > from).ToListAsync(cancellationToken)).Where(FollowUpRules.Open.IsMetBy), true);
        Add((await followUps.Where(f => f.ChangedAtUtc > from).ToListAsync(cancellationToken)).Where(FollowUpRules.Open.IsMetBy), true);

        var cases = await CaseFacts.LoadAsync(db, found.Values.Select(v => v.FollowUp.CaseId), cancellationToken);
        var candidates = new List<Candidate>();
        foreach (var (followUp, changed) in found.Values)
        {
            // A referral's acceptance check is the referral's own deadline, reminded from the referral below.
            if ((followUp.Kind == FollowUpKind.AcceptanceCheck && followUp.ReferralId is not null)
                || !cases.TryGetValue(followUp.CaseId, out var facts) || facts.Status == CaseStatus.Closed)
            {
                continue;
            }

            var due = followUp.EffectiveDueAtUtc;
            var subject = new NotificationSubject(facts.Id, facts.Number, facts.CountryCode, followUp.Id, followUp.Kind);
            var urgent = followUp.IsUrgent || facts.RiskLevel == RiskLevel.High;
            if (due <= now && (due > from || changed))
            {
                candidates.Add(new Candidate(NotificationKind.FollowUpDue, subject, due, due, urgent, facts, ToCoordinators: false));
            }

            var escalatesAt = HoursFor(facts.CountryCode).AddWorkingDays(due, policy.FollowUpEscalationGraceWorkingDays);
            if (escalatesAt <= now && (escalatesAt > from || changed))
            {
                candidates.Add(new Candidate(NotificationKind.FollowUpOverdue, subject, due, escalatesAt, urgent, facts, ToCoordinators: true));
            }
        }

        return candidates;
    }

    private async Task<List<Candidate>> ReferralCandidatesAsync(PortalDbContext db, Window window, CancellationToken cancellationToken)
    {
        var (from, now) = (window.From, window.To);
        var referrals = db.Referrals.AsNoTracking();
        var found = await referrals
            .Where(r => r.Status == ReferralStatus.Sent && r.AcceptanceDueAtUtc > from && r.AcceptanceDueAtUtc <= now)
            .Select(r => new ReferralFacts(r.Id, r.CaseId, r.CountryCode, r.Type, r.Urgency, r.AcceptanceDueAtUtc!.Value))
            .ToListAsync(cancellationToken);
        if (EscalationStarts(window, policy.FollowUpEscalationGraceWorkingDays) is { } starts)
        {
            found.AddRange(await referrals
                .Where(r => r.Status == ReferralStatus.Sent && r.AcceptanceDueAtUtc > starts.From && r.AcceptanceDueAtUtc <= starts.To)
                .Select(r => new ReferralFacts(r.Id, r.CaseId, r.CountryCode, r.Type, r.Urgency, r.AcceptanceDueAtUtc!.Value))
                .ToListAsync(cancellationToken));
        }

        var cases = await CaseFacts.LoadAsync(db, found.Select(r => r.CaseId), cancellationToken);
        var candidates = new List<Candidate>();
        foreach (var referral in found.DistinctBy(r => r.Id))
        {
            if (!cases.TryGetValue(referral.CaseId, out var facts) || facts.Status == CaseStatus.Closed)
            {
                continue;
            }

            var subject = new NotificationSubject(facts.Id, facts.Number, facts.CountryCode, referral.Id, ReferralType: referral.Type);
            var urgent = referral.Urgency == ReferralUrgency.Emergency || facts.RiskLevel == RiskLevel.High;
            var due = referral.AcceptanceDueAtUtc;
            if (due > from && due <= now)
            {
                candidates.Add(new Candidate(NotificationKind.ReferralNotAccepted, subject, due, due, urgent, facts, ToCoordinators: false));
            }

            var escalatesAt = HoursFor(referral.CountryCode).AddWorkingDays(due, policy.FollowUpEscalationGraceWorkingDays);
            if (escalatesAt > from && escalatesAt <= now)
            {
                candidates.Add(new Candidate(NotificationKind.ReferralNotAcceptedEscalation, subject, due, escalatesAt, urgent, facts, ToCoordinators: true));
            }
        }

        return candidates;
    }

    private async Task<List<Candidate>> IntakeCandidatesAsync(PortalDbContext db, Window window, CancellationToken cancellationToken)
    {
        // Calendar time: a person waiting for a first contact does not stop waiting at weekends.
        var after = policy.UnclaimedIntakeEscalatesAfter;
        var (openedFrom, openedTo) = (window.From - after, window.To - after);
        var cases = await db.Cases.AsNoTracking()
            .Where(CaseRules.NewIntake.Expression)
            .Where(c => c.OpenedAtUtc > openedFrom && c.OpenedAtUtc <= openedTo)
            .Select(c => new CaseFacts(c.Id, c.Number, c.CountryCode, c.Status, c.RiskLevel, c.AssignedAdvocateId, c.OpenedAtUtc))
            .ToListAsync(cancellationToken);
        return cases
            .Select(c =>
            {
                var due = policy.UnclaimedIntakeEscalatesAt(c.OpenedAtUtc);
                return new Candidate(
                    NotificationKind.IntakeUnclaimed,
                    new NotificationSubject(c.Id, c.Number, c.CountryCode, c.Id),
                    due,
                    due,
                    c.RiskLevel == RiskLevel.High,
                    c,
                    ToCoordinators: true);
            })
            .ToList();
    }

    /// <summary>
    /// Cases whose person wrote and whose advocate has not read it for the policy's working days. Only cases someone
    /// holds: an unclaimed one waits in the new-intakes queue, and its own escalation covers it.
    /// </summary>
    private async Task<List<Candidate>> UnreadCandidatesAsync(PortalDbContext db, Window window, CancellationToken cancellationToken)
    {
        var days = policy.UnreadFromPersonRemindAfterWorkingDays;
        if (EscalationStarts(window, days) is not { } starts)
        {
            return [];
        }

        var unread = await db.IntakeSubmissions.AsNoTracking()
            .Where(s => s.CaseId != null && s.UnreadSinceUtc > starts.From && s.UnreadSinceUtc <= starts.To)
            .Select(s => new { CaseId = s.CaseId!.Value, Since = s.UnreadSinceUtc!.Value })
            .ToListAsync(cancellationToken);
        var cases = await CaseFacts.LoadAsync(db, unread.Select(u => u.CaseId), cancellationToken);
        var candidates = new List<Candidate>();
        foreach (var (caseId, since) in unread.GroupBy(u => u.CaseId).Select(g => (g.Key, g.Min(u => u.Since))))
        {
            if (!cases.TryGetValue(caseId, out var facts) || facts.Status == CaseStatus.Closed || facts.AssignedAdvocateId is null)
            {
                continue;
            }

            var remindAt = HoursFor(facts.CountryCode).AddWorkingDays(since, days);
            if (remindAt > window.From && remindAt <= window.To)
            {
                var subject = new NotificationSubject(facts.Id, facts.Number, facts.CountryCode, facts.Id);
                candidates.Add(new Candidate(NotificationKind.PersonWroteUnread, subject, since, remindAt, facts.RiskLevel == RiskLevel.High, facts, ToCoordinators: false));
            }
        }

        return candidates;
    }

    private async Task<List<Candidate>> DigestCandidatesAsync(PortalDbContext db, DateTime week, DateTime now, CancellationToken cancellationToken)
    {
        var stale = await db.PaternityClaims.AsNoTracking().Where(policy.StaleClaims(now)).CountAsync(cancellationToken);
        return stale == 0
            ? []
            : [new Candidate(NotificationKind.PaternityClaimsDigest, NotificationSubject.ForDigest(stale), week, week, IsUrgent: false, Case: null, ToCoordinators: true)];
    }

    private IEnumerable<Notification> Expand(Candidate candidate, RecipientDirectory directory, DateTime now)
    {
        var (recipients, escalated) = RecipientsOf(candidate, directory);
        if (recipients.Count == 0)
        {
            logger.LogError("No active coordinator or administrator to receive the {Kind} escalation of case {Case}: nobody is told.", candidate.Kind, candidate.Subject.CaseNumber);
        }

        foreach (var recipient in recipients)
        {
            var deliverAfter = candidate.IsUrgent ? now : NextWorkingMoment(recipient.TimeZoneId, Max(candidate.RemindAtUtc, now));
            foreach (var notification in Both(candidate.Kind, recipient, candidate.Subject, candidate.DueAtUtc, escalated, candidate.IsUrgent, deliverAfter))
            {
                yield return notification;
            }
        }
    }

    /// <summary>
    /// One digest per person for the deadlines too old to announce one by one, counting what would have reached them.
    /// Dated the day of the scan, so the scans of one day that find the same old deadlines again make no second digest.
    /// </summary>
    private IEnumerable<Notification> BacklogDigests(IReadOnlyList<Candidate> backlog, RecipientDirectory directory, DateTime now)
    {
        var perRecipient = backlog.SelectMany(c => RecipientsOf(c, directory).Recipients).GroupBy(r => r.Id);
        foreach (var group in perRecipient)
        {
            var recipient = group.First();
            var deliverAfter = NextWorkingMoment(recipient.TimeZoneId, now);
            foreach (var notification in Both(NotificationKind.BacklogDigest, recipient, NotificationSubject.ForDigest(group.Count()), now.Date, isEscalation: false, isUrgent: false, deliverAfter))
            {
                yield return notification;
            }
        }
    }

    private static (IReadOnlyList<Recipient> Recipients, bool Escalated) RecipientsOf(Candidate candidate, RecipientDirectory directory)
    {
        var advocate = !candidate.ToCoordinators && candidate.Case?.AssignedAdvocateId is { } id ? directory.Find(id) : null;
        var escalated = candidate.ToCoordinators || advocate is null;
        return (escalated ? directory.Coordinators : [advocate!], escalated);
    }

    /// <summary>The in-app notification, and the e-mail when e-mail is on and the person has an address.</summary>
    private IEnumerable<Notification> Both(NotificationKind kind, Recipient recipient, NotificationSubject subject, DateTime dueAtUtc, bool isEscalation, bool isUrgent, DateTime deliverAfter)
    {
        yield return Notification.Plan(kind, NotificationChannel.InApp, recipient.Id, subject, dueAtUtc, isEscalation, isUrgent, deliverAfter, clock);
        if (email.Value.Enabled && recipient.EmailAddress is not null)
        {
            yield return Notification.Plan(kind, NotificationChannel.Email, recipient.Id, subject, dueAtUtc, isEscalation, isUrgent, deliverAfter, clock);
        }
    }

    private DateTime NextWorkingMoment(string timeZoneId, DateTime utc)
    {
        try
        {
            return policy.NextWorkingMoment(timeZoneId, utc);
        }
        catch (DomainException)
        {
            // An unknown zone on an account must not silence its reminders: count office hours in UTC.
            return FallbackHours.NextWorkingMoment(utc);
        }
    }

    private CountryWorkingHours HoursFor(string countryCode) =>
        policy.WorkingHours.TryGetValue(countryCode, out var hours) ? hours : FallbackHours;

    /// <summary>
    /// The deadlines whose escalation moment (deadline + grace in working days, in the deadline's country) falls in
    /// the window. Adding working days never moves an earlier deadline past a later one, so these deadlines form one
    /// range per country, found by bisection; the union over the countries is queried and filtered exactly afterwards.
    /// </summary>
    private Window? EscalationStarts(Window window, int graceDays)
    {
        var zones = policy.WorkingHours.Values.Append(FallbackHours).ToList();
        var from = zones.Min(h => LatestDeadlineEscalatingBy(h, window.From, graceDays));
        var to = zones.Max(h => LatestDeadlineEscalatingBy(h, window.To, graceDays));
        return to > from ? new Window(from - TimeSpan.FromSeconds(1), to + TimeSpan.FromSeconds(1)) : null;
    }

    private static DateTime LatestDeadlineEscalatingBy(CountryWorkingHours hours, DateTime moment, int graceDays)
    {
        // Each working day adds at most a week of calendar time (one working day a week), plus the wait for the next opening.
        var low = moment - TimeSpan.FromDays(7 * (graceDays + 1)) - TimeSpan.FromDays(1);
        var high = moment;
        if (hours.AddWorkingDays(low, graceDays) > moment)
        {
            return low;
        }

        while (high - low > TimeSpan.FromSeconds(1))
        {
            var middle = low + ((high - low) / 2);
            if (hours.AddWorkingDays(middle, graceDays) <= moment)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>Monday 00:00 UTC of the ISO week that contains <paramref name="utc"/>.</summary>
    internal static DateTime WeekOf(DateTime utc)
    {
        var date = DateOnly.FromDateTime(utc);
        var monday = date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
        return DateTime.SpecifyKind(monday.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc);
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private sealed record Window(DateTime From, DateTime To);

    /// <summary>One deadline to announce. <see cref="RemindAtUtc"/> is when (the deadline, or the end of the grace period).</summary>
    private sealed record Candidate(
        NotificationKind Kind,
        NotificationSubject Subject,
        DateTime DueAtUtc,
        DateTime RemindAtUtc,
        bool IsUrgent,
        CaseFacts? Case,
        bool ToCoordinators);

    private sealed record ReferralFacts(Guid Id, Guid CaseId, string CountryCode, ReferralType Type, ReferralUrgency Urgency, DateTime AcceptanceDueAtUtc);
}

public sealed record ScanResult(int Planned, int Dispatched);

/// <summary>What the scan and the delivery jobs need of a case: no profile, no identity, no text.</summary>
internal sealed record CaseFacts(Guid Id, string Number, string CountryCode, CaseStatus Status, RiskLevel RiskLevel, string? AssignedAdvocateId, DateTime OpenedAtUtc)
{
    private const int Chunk = 500;

    public static async Task<Dictionary<Guid, CaseFacts>> LoadAsync(PortalDbContext db, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, CaseFacts>();
        foreach (var chunk in ids.Distinct().Chunk(Chunk))
        {
            var facts = await db.Cases.AsNoTracking().Where(c => chunk.Contains(c.Id))
                .Select(c => new CaseFacts(c.Id, c.Number, c.CountryCode, c.Status, c.RiskLevel, c.AssignedAdvocateId, c.OpenedAtUtc))
                .ToListAsync(cancellationToken);
            foreach (var f in facts)
            {
                result[f.Id] = f;
            }
        }

        return result;
    }
}

/// <summary>A staff member as notifications need them: where to write, in which language, in which time zone.</summary>
internal sealed record Recipient(string Id, string DisplayName, string? EmailAddress, string PreferredLanguage, string TimeZoneId);

/// <summary>Who escalations go to (the active coordinators) and the advocates a scan's deadlines name.</summary>
internal sealed class RecipientDirectory
{
    private readonly Dictionary<string, Recipient> _advocates;

    private RecipientDirectory(IReadOnlyList<Recipient> coordinators, Dictionary<string, Recipient> advocates)
    {
        Coordinators = coordinators;
        _advocates = advocates;
    }

    public IReadOnlyList<Recipient> Coordinators { get; }

    public Recipient? Find(string userId) => _advocates.GetValueOrDefault(userId);

    public static async Task<RecipientDirectory> LoadAsync(PortalDbContext db, IEnumerable<string> advocateIds, CancellationToken cancellationToken)
    {
        // Escalations go to the active coordinators; with none left, to the administrators rather than to nobody.
        var coordinators = await InRoleAsync(db, Roles.Coordinator, cancellationToken);
        if (coordinators.Count == 0)
        {
            coordinators = await InRoleAsync(db, Roles.Administrator, cancellationToken);
        }

        var advocates = new Dictionary<string, Recipient>(StringComparer.Ordinal);
        foreach (var chunk in advocateIds.Distinct().Chunk(500))
        {
            var users = await db.Users.AsNoTracking().Where(u => chunk.Contains(u.Id) && !u.IsDisabled)
                .Select(u => new { u.Id, u.DisplayName, u.Email, u.UserName, u.PreferredLanguage, u.TimeZoneId })
                .ToListAsync(cancellationToken);
            foreach (var u in users)
            {
                advocates[u.Id] = new Recipient(u.Id, u.DisplayName, AddressOf(u.Email, u.UserName), u.PreferredLanguage, u.TimeZoneId);
            }
        }

        return new RecipientDirectory(coordinators, advocates);
    }

    private static async Task<List<Recipient>> InRoleAsync(PortalDbContext db, string role, CancellationToken cancellationToken)
    {
        var roleIds = db.Roles.Where(r => r.Name == role).Select(r => r.Id);
        var users = await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled && db.UserRoles.Any(ur => ur.UserId == u.Id && roleIds.Contains(ur.RoleId)))
            .OrderBy(u => u.Id)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.UserName, u.PreferredLanguage, u.TimeZoneId })
            .ToListAsync(cancellationToken);
        return users.Select(u => new Recipient(u.Id, u.DisplayName, AddressOf(u.Email, u.UserName), u.PreferredLanguage, u.TimeZoneId)).ToList();
    }

    /// <summary>The account's e-mail address, or its user name when that is one (staff sign in with their address).</summary>
    public static string? AddressOf(string? email, string? userName) =>
        !string.IsNullOrWhiteSpace(email) ? email
        : userName is not null && userName.Contains('@', StringComparison.Ordinal) ? userName
        : null;
}
