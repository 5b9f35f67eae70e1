using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Features.Queues;

/// <summary>
/// The case queues. Every query starts from the viewer's scope; nothing outside it is counted or listed.
/// </summary>
public sealed class QueueService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxPageSize = 100;

    /// <summary>
    /// Every stage but Closed, written out: SQLite can seek "Status IN (…)" in the case indexes, not "Status &lt;&gt; 'Closed'"
    /// (counting new intakes of a country then reads a few thousand index entries instead of every case of the country).
    /// </summary>
    private static readonly CaseStatus[] OpenStatuses = [.. Enum.GetValues<CaseStatus>().Where(s => s != CaseStatus.Closed)];

    public async Task<QueuePage> GetPageAsync(UserScope scope, QueueRequest request, CancellationToken cancellationToken = default)
    {
        var pageSize = Math.Clamp(request.PageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcDateTime();
        var cases = Filtered(db, scope, request.Queue, request.Filter, now);
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

        var rows = await page.Take(pageSize)
            .Select(c => new { c.Id, c.Number, c.CountryCode, c.Status, c.RiskLevel, c.OpenedAtUtc, c.AssignedAdvocateId })
            .ToListAsync(cancellationToken);

        // The next due date only for the rows shown. Inside the page query SQLite works a correlated subquery out for
        // every row it sorts (a million rows for "all cases" of every country), not just for the rows it keeps.
        var caseIds = rows.Select(r => r.Id).ToList();
        var nextDue = caseIds.Count == 0
            ? []
            : await db.Set<FollowUp>()
                .Where(f => caseIds.Contains(f.CaseId) && (f.Status == FollowUpStatus.Open || f.Status == FollowUpStatus.Snoozed))
                .GroupBy(f => f.CaseId)
                .Select(g => new { CaseId = g.Key, Due = g.Min(f => f.Status == FollowUpStatus.Snoozed ? f.SnoozedUntilUtc : (DateTime?)f.DueAtUtc) })
                .ToDictionaryAsync(x => x.CaseId, x => x.Due, cancellationToken);

        // Display names only: the rest of a staff row (password hash, security stamp) has no business in a queue.
        var assigneeIds = rows.Select(r => r.AssignedAdvocateId).OfType<string>().Distinct().ToList();
        var names = await db.Users.Where(u => assigneeIds.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName })
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);

        return new QueuePage(
            rows.Select(r => new QueueRow(
                r.Id, r.Number, r.CountryCode, r.Status, r.RiskLevel, r.OpenedAtUtc, nextDue.GetValueOrDefault(r.Id), r.AssignedAdvocateId,
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

    internal static IQueryable<Case> Filtered(PortalDbContext db, UserScope scope, QueueKind queue, QueueFilter filter, DateTime now)
    {
        var cases = db.Set<Case>().AsNoTracking().InScope(scope, c => c.CountryCode);
        var followUps = db.Set<FollowUp>();
        var dueCutoff = DueCutoff(now);
        var overdueCutoff = now - FollowUp.OverdueAfter;
        var userId = scope.UserId;

        cases = queue switch
        {
            QueueKind.NewIntakes => cases.Where(c => c.AssignedAdvocateId == null && EF.Constant(OpenStatuses).Contains(c.Status)),
            QueueKind.MyCases => cases.Where(c => c.AssignedAdvocateId == userId && EF.Constant(OpenStatuses).Contains(c.Status)),
            // One condition on the follow-up's effective due date rather than "open and due, or snoozed until before": with
            // the OR, SQLite answered the snoozed half from the (Status, SnoozedUntilUtc) index for every case, reading
            // every snoozed follow-up once per case. This way each case is one lookup in (CaseId, Status, DueAtUtc).
            QueueKind.DueFollowUps => (scope.IsCoordinator ? cases : cases.Where(c => c.AssignedAdvocateId == userId))
                .Where(c => c.Status != CaseStatus.Closed && followUps.Any(f => f.CaseId == c.Id &&
                    (f.Status == FollowUpStatus.Open || f.Status == FollowUpStatus.Snoozed) &&
                    (f.Status == FollowUpStatus.Snoozed ? f.SnoozedUntilUtc : f.DueAtUtc) < dueCutoff)),
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

        if (filter.ReferralType is { } type)
        {
            var referrals = db.Set<Referral>();
            cases = cases.Where(c => referrals.Any(r => r.CaseId == c.Id && r.Type == type));
        }

        if (filter.OverdueOnly)
        {
            // Urgent follow-ups are overdue as soon as they fall due; others a day later (FollowUp.IsOverdue).
            cases = cases.Where(c => followUps.Any(f => f.CaseId == c.Id &&
                (f.Status == FollowUpStatus.Open || f.Status == FollowUpStatus.Snoozed) &&
                (f.Status == FollowUpStatus.Snoozed ? f.SnoozedUntilUtc : f.DueAtUtc) <= (f.IsUrgent ? now : overdueCutoff)));
        }

        if (!string.IsNullOrWhiteSpace(filter.NumberSearch))
        {
            var search = filter.NumberSearch.Trim().ToUpperInvariant();
            if (search.Length >= 2 && char.IsAsciiLetterUpper(search[0]) && char.IsAsciiLetterUpper(search[1]) && search[^1] < char.MaxValue)
            {
                // Letters appear only at the start of a case number (the country), so "CF-2024" can only match as a
                // prefix: a range on the unique Number index instead of reading every case.
                var upper = PrefixUpperBound(search);
                cases = cases.Where(c => string.Compare(c.Number, search) >= 0 && string.Compare(c.Number, upper) < 0);
            }
            else
            {
                cases = cases.Where(c => c.Number.Contains(search));
            }
        }

        return cases;
    }

    /// <summary>The smallest string greater than every string starting with <paramref name="prefix"/> (ordinal, as SQLite compares).</summary>
    internal static string PrefixUpperBound(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

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
