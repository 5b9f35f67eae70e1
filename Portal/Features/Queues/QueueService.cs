using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Features.Children;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Features.Queues;

/// <summary>
/// The case queues. Every query starts from the viewer's scope; nothing outside it is counted or listed.
/// </summary>
public sealed class QueueService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ReminderPolicy? policy = null)
{
    public const int MaxPageSize = 100;

    /// <summary>How long a paternity claim may go without movement before it is flagged (Portal:Paternity:StaleAfterDays).</summary>
    private TimeSpan PaternityStaleAfter => (policy ?? ReminderPolicy.Default).PaternityClaimStaleAfter;

    public async Task<QueuePage> GetPageAsync(UserScope scope, QueueRequest request, CancellationToken cancellationToken = default)
    {
        var pageSize = Math.Clamp(request.PageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcDateTime();
        var cases = Filtered(db, scope, request.Queue, request.Filter, now, PaternityStaleAfter);
        var total = await cases.CountAsync(cancellationToken);

        var ordered = Order(cases, request.Sort, request.Descending);
        IQueryable<Case> page;
        if (request.After is { } after && CanSeek(request.Sort))
        {
            page = Seek(cases, request.Sort, request.Descending, after);
            page = Order(page, request.Sort, request.Descending);
        }
        else
        {
            page = ordered.Skip(Math.Max(0, request.Page) * pageSize);
        }

        var cutoff = now;
        var rows = await page.Take(pageSize)
            .Select(c => new
            {
                c.Id,
                c.Number,
                c.CountryCode,
                c.Status,
                c.RiskLevel,
                c.OpenedAtUtc,
                c.AssignedAdvocateId,
                NextDue = db.Set<FollowUp>()
                    .Where(f => f.CaseId == c.Id && (f.Status == FollowUpStatus.Open || f.Status == FollowUpStatus.Snoozed))
                    .Min(f => f.Status == FollowUpStatus.Snoozed ? f.SnoozedUntilUtc : (DateTime?)f.DueAtUtc),
            })
            .ToListAsync(cancellationToken);

        var assigneeIds = rows.Select(r => r.AssignedAdvocateId).OfType<string>().Distinct().ToList();
        var names = await db.Users.Where(u => assigneeIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);

        return new QueuePage(
            rows.Select(r => new QueueRow(
                r.Id, r.Number, r.CountryCode, r.Status, r.RiskLevel, r.OpenedAtUtc, r.NextDue, r.AssignedAdvocateId,
                r.AssignedAdvocateId is null ? null : names.GetValueOrDefault(r.AssignedAdvocateId))).ToList(),
            total);
    }

    public async Task<QueueCounts> GetCountsAsync(UserScope scope, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcDateTime();
        var filter = QueueFilter.None;
        return new QueueCounts(
            await Filtered(db, scope, QueueKind.NewIntakes, filter, now).CountAsync(cancellationToken),
            await Filtered(db, scope, QueueKind.MyCases, filter, now).CountAsync(cancellationToken),
            await Filtered(db, scope, QueueKind.DueFollowUps, filter, now).CountAsync(cancellationToken),
            scope.IsCoordinator ? await Filtered(db, scope, QueueKind.AwaitingClosure, filter, now).CountAsync(cancellationToken) : null,
            await Filtered(db, scope, QueueKind.AllCases, filter, now).CountAsync(cancellationToken));
    }

    /// <summary>The end of the viewer's day is not known here; "due" means due by the end of today in UTC.</summary>
    internal static DateTime DueCutoff(DateTime utcNow) => utcNow.Date.AddDays(1);

    internal static IQueryable<Case> Filtered(PortalDbContext db, UserScope scope, QueueKind queue, QueueFilter filter, DateTime now, TimeSpan? paternityStaleAfter = null)
    {
        var cases = db.Set<Case>().AsNoTracking().InScope(scope, c => c.CountryCode);
        var followUps = db.Set<FollowUp>();
        var dueCutoff = DueCutoff(now);
        var userId = scope.UserId;

        cases = queue switch
        {
            QueueKind.NewIntakes => cases.Where(c => c.AssignedAdvocateId == null && c.Status != CaseStatus.Closed),
            QueueKind.MyCases => cases.Where(c => c.AssignedAdvocateId == userId && c.Status != CaseStatus.Closed),
            QueueKind.DueFollowUps => (scope.IsCoordinator ? cases : cases.Where(c => c.AssignedAdvocateId == userId))
                .Where(c => c.Status != CaseStatus.Closed && followUps.Any(f => f.CaseId == c.Id &&
                    ((f.Status == FollowUpStatus.Open && f.DueAtUtc < dueCutoff) ||
                     (f.Status == FollowUpStatus.Snoozed && f.SnoozedUntilUtc < dueCutoff)))),
            // Closure approval is a coordinator's decision: for anyone else this queue is empty, whatever the data.
            QueueKind.AwaitingClosure => scope.IsCoordinator ? cases.Where(c => c.Status == CaseStatus.ClosureRequested) : cases.Where(c => false),
            _ => cases,
        };

        if (filter.Statuses.Count > 0)
        {
            var statuses = filter.Statuses.ToList();
            cases = cases.Where(c => statuses.Contains(c.Status));
        }

        if (filter.RiskLevels.Count > 0)
        {
            var levels = filter.RiskLevels.ToList();
            cases = cases.Where(c => levels.Contains(c.RiskLevel));
        }

        if (!string.IsNullOrWhiteSpace(filter.CountryCode))
        {
            var country = filter.CountryCode.Trim().ToUpperInvariant();
            cases = cases.Where(c => c.CountryCode == country);
        }

        if (HasReferralCriteria(filter))
        {
            // One referral must meet every referral criterion: "a Medical referral that is Sent", not "a Medical one and a Sent one".
            var referrals = MatchingReferrals(db, filter);
            cases = cases.Where(c => referrals.Any(r => r.CaseId == c.Id));
        }

        if (filter.Unclaimed)
        {
            cases = cases.Where(c => c.AssignedAdvocateId == null && c.Status != CaseStatus.Closed);
        }

        if (filter.DueToday)
        {
            var dueToday = followUps.Where(DueToday(now));
            cases = cases.Where(c => dueToday.Any(f => f.CaseId == c.Id));
        }

        if (filter.ClaimStatus is not null || filter.PendingClaim || filter.StaleClaim)
        {
            var claims = MatchingClaims(db, filter, now);
            cases = cases.Where(c => claims.Any(p => p.CaseId == c.Id));
        }

        if (filter.OpenedFrom is { } openedFrom)
        {
            var from = StartOf(openedFrom);
            cases = cases.Where(c => c.OpenedAtUtc >= from);
        }

        if (filter.OpenedTo is { } openedTo)
        {
            var until = StartOf(openedTo.AddDays(1));
            cases = cases.Where(c => c.OpenedAtUtc < until);
        }

        if (filter.Contacted)
        {
            cases = cases.Where(c => c.FirstContactAtUtc != null);
        }

        if (filter.ClosedFrom is { } closedFrom)
        {
            var from = StartOf(closedFrom);
            cases = cases.Where(c => c.ClosedAtUtc >= from);
        }

        if (filter.ClosedTo is { } closedTo)
        {
            var until = StartOf(closedTo.AddDays(1));
            cases = cases.Where(c => c.ClosedAtUtc < until);
        }

        if (filter.AllegationYear is { } year)
        {
            var from = new DateOnly(year, 1, 1);
            var until = from.AddYears(1);
            cases = cases.Where(c => c.Allegation != null && c.Allegation.DateReported >= from && c.Allegation.DateReported < until);
        }

        if (filter.AllegationUnMission is { } mission)
        {
            cases = mission
                ? cases.Where(c => c.Allegation != null &&
                    (c.Allegation.EntityType == AllegationEntityType.PeacekeepingMission || c.Allegation.EntityType == AllegationEntityType.SpecialPoliticalMission))
                : cases.Where(c => c.Allegation != null &&
                    c.Allegation.EntityType != AllegationEntityType.PeacekeepingMission && c.Allegation.EntityType != AllegationEntityType.SpecialPoliticalMission);
        }

        if (filter.OverdueOnly)
        {
            var overdue = followUps.Where(Overdue(now));
            cases = cases.Where(c => overdue.Any(f => f.CaseId == c.Id));
        }

        if (filter.StalePaternityOnly)
        {
            var stale = PaternityStaleness.IsStale(now, paternityStaleAfter ?? ReminderPolicy.Default.PaternityClaimStaleAfter);
            var staleCaseIds = db.Set<PaternityClaim>().Where(stale).Select(p => p.CaseId);
            cases = cases.Where(c => staleCaseIds.Contains(c.Id));
        }

        if (!string.IsNullOrWhiteSpace(filter.NumberSearch))
        {
            var search = filter.NumberSearch.Trim().ToUpperInvariant();
            cases = cases.Where(c => c.Number.Contains(search));
        }

        return cases;
    }

    /// <summary>Open follow-ups overdue now, as <see cref="FollowUp.IsOverdue"/>: urgent ones as soon as they fall due, others a day later.</summary>
    internal static Expression<Func<FollowUp, bool>> Overdue(DateTime now)
    {
        var overdueCutoff = now - FollowUp.OverdueAfter;
        return f => (f.Status == FollowUpStatus.Open && (f.IsUrgent ? f.DueAtUtc <= now : f.DueAtUtc <= overdueCutoff)) ||
                    (f.Status == FollowUpStatus.Snoozed && (f.IsUrgent ? f.SnoozedUntilUtc <= now : f.SnoozedUntilUtc <= overdueCutoff));
    }

    /// <summary>Open follow-ups whose effective due moment (the end of a snooze, else the planned date) falls today, UTC.</summary>
    internal static Expression<Func<FollowUp, bool>> DueToday(DateTime now)
    {
        var (dayStart, dayEnd) = DayOf(now);
        return f => (f.Status == FollowUpStatus.Open && f.DueAtUtc >= dayStart && f.DueAtUtc < dayEnd) ||
                    (f.Status == FollowUpStatus.Snoozed && f.SnoozedUntilUtc >= dayStart && f.SnoozedUntilUtc < dayEnd);
    }

    /// <summary>Midnight UTC starting the day.</summary>
    internal static DateTime StartOf(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>Today in UTC, as [start, end).</summary>
    internal static (DateTime Start, DateTime End) DayOf(DateTime utcNow) => (utcNow.Date, utcNow.Date.AddDays(1));

    internal static bool HasReferralCriteria(QueueFilter filter) =>
        filter.ReferralType is not null || filter.ReferralStatus is not null || filter.ReferralSentFrom is not null || filter.ReferralSentTo is not null || filter.ReferralAccepted;

    /// <summary>The referrals meeting the filter's referral criteria (scope and country are applied through their case).</summary>
    internal static IQueryable<Referral> MatchingReferrals(PortalDbContext db, QueueFilter filter)
    {
        var referrals = db.Set<Referral>().AsQueryable();
        if (filter.ReferralType is { } type)
        {
            referrals = referrals.Where(r => r.Type == type);
        }

        if (filter.ReferralStatus is { } status)
        {
            referrals = referrals.Where(r => r.Status == status);
        }

        if (filter.ReferralSentFrom is { } from)
        {
            var start = StartOf(from);
            referrals = referrals.Where(r => r.SentAtUtc >= start);
        }

        if (filter.ReferralSentTo is { } to)
        {
            var until = StartOf(to.AddDays(1));
            referrals = referrals.Where(r => r.SentAtUtc < until);
        }

        if (filter.ReferralAccepted)
        {
            referrals = referrals.Where(r => r.AcceptedAtUtc != null);
        }

        return referrals;
    }

    /// <summary>Paternity claims meeting the filter's claim criteria; stale as <see cref="PaternityClaim.IsStale(DateTime)"/>.</summary>
    internal static IQueryable<PaternityClaim> MatchingClaims(PortalDbContext db, QueueFilter filter, DateTime now)
    {
        var claims = db.Set<PaternityClaim>().AsQueryable();
        if (filter.ClaimStatus is { } status)
        {
            claims = claims.Where(p => p.Status == status);
        }

        if (filter.PendingClaim)
        {
            var final = FinalClaimStatuses.ToList();
            claims = claims.Where(p => !final.Contains(p.Status));
        }

        if (filter.StaleClaim)
        {
            var movedBefore = now - PaternityClaim.DefaultStaleAfter;
            var final = FinalClaimStatuses.ToList();
            claims = claims.Where(p => !final.Contains(p.Status) && p.LastMovementAtUtc <= movedBefore);
        }

        return claims;
    }

    /// <summary>Statuses a claim never leaves (PaternityClaim.AllowedNext is empty for them).</summary>
    internal static IReadOnlyList<PaternityClaimStatus> FinalClaimStatuses { get; } =
        Enum.GetValues<PaternityClaimStatus>().Where(s => PaternityClaim.AllowedNext(s).Count == 0).ToList();

    private static bool CanSeek(QueueSort sort) => sort is QueueSort.Opened or QueueSort.Number;

    private static IQueryable<Case> Order(IQueryable<Case> cases, QueueSort sort, bool descending)
    {
        // The case number is unique, so it breaks every tie and makes paging deterministic.
        return sort switch
        {
            QueueSort.Number => descending ? cases.OrderByDescending(c => c.Number) : cases.OrderBy(c => c.Number),
            QueueSort.Risk => ThenByNumber(descending ? cases.OrderByDescending(c => c.RiskLevel) : cases.OrderBy(c => c.RiskLevel), descending),
            QueueSort.Status => ThenByNumber(descending ? cases.OrderByDescending(c => c.Status) : cases.OrderBy(c => c.Status), descending),
            QueueSort.Country => ThenByNumber(descending ? cases.OrderByDescending(c => c.CountryCode) : cases.OrderBy(c => c.CountryCode), descending),
            _ => ThenByNumber(descending ? cases.OrderByDescending(c => c.OpenedAtUtc) : cases.OrderBy(c => c.OpenedAtUtc), descending),
        };
    }

    private static IOrderedQueryable<Case> ThenByNumber(IOrderedQueryable<Case> cases, bool descending) =>
        descending ? cases.ThenByDescending(c => c.Number) : cases.ThenBy(c => c.Number);

    private static IQueryable<Case> Seek(IQueryable<Case> cases, QueueSort sort, bool descending, QueueRow after)
    {
        var number = after.Number;
        var opened = after.OpenedAtUtc;
        Expression<Func<Case, bool>> predicate = (sort, descending) switch
        {
            (QueueSort.Number, false) => c => string.Compare(c.Number, number) > 0,
            (QueueSort.Number, true) => c => string.Compare(c.Number, number) < 0,
            (_, false) => c => c.OpenedAtUtc > opened || (c.OpenedAtUtc == opened && string.Compare(c.Number, number) > 0),
            (_, true) => c => c.OpenedAtUtc < opened || (c.OpenedAtUtc == opened && string.Compare(c.Number, number) < 0),
        };
        return cases.Where(predicate);
    }
}
