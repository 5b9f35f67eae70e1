using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Features.Intake;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Configurations;
using Portal.Infrastructure.Security;

namespace Portal.Features.Queues;

/// <summary>
/// The case queues. Every query starts from the viewer's scope, and only while their server-side session is open
/// (<see cref="CaseScope.SessionOpenAsync"/>); nothing outside it is counted or listed.
/// </summary>
/// <param name="policy">Flags stale paternity claims with the configured threshold (Portal:Paternity:StaleAfterDays).</param>
/// <param name="shared">Identical views share one query (the portal registers it; without it, each call queries).</param>
public sealed class QueueService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ReminderPolicy policy, CaseScope cases, QueueViewCache? shared = null)
{
    public const string RecordType = "Queue";

    public const int MaxPageSize = 100;

    /// <summary>
    /// Every stage but Closed, written out: SQLite can seek "Status IN (…)" in the case indexes, not "Status &lt;&gt; 'Closed'"
    /// (counting new intakes of a country then reads a few thousand index entries instead of every case of the country).
    /// </summary>
    private static readonly CaseStatus[] OpenStatuses = [.. Enum.GetValues<CaseStatus>().Where(s => s != CaseStatus.Closed)];

    /// <summary>A page of a queue; empty once the viewer's session has ended (refused and audited before anything is read).</summary>
    public async Task<QueuePage> GetPageAsync(UserScope scope, QueueRequest request, CancellationToken cancellationToken = default)
    {
        if (!await cases.SessionOpenAsync(scope, RecordType, cancellationToken))
        {
            return new QueuePage([], 0);
        }

        return shared is null
            ? await QueryPageAsync(scope, request, cancellationToken)
            : await shared.GetPageAsync(scope, request, token => QueryPageAsync(scope, request, token), cancellationToken);
    }

    /// <summary>How many cases each queue holds; none once the viewer's session has ended (refused and audited).</summary>
    public async Task<QueueCounts> GetCountsAsync(UserScope scope, CancellationToken cancellationToken = default)
    {
        if (!await cases.SessionOpenAsync(scope, RecordType, cancellationToken))
        {
            return new QueueCounts(0, 0, 0, scope.IsCoordinator ? 0 : null, 0);
        }

        return shared is null
            ? await QueryCountsAsync(scope, cancellationToken)
            : await shared.GetCountsAsync(scope, token => QueryCountsAsync(scope, token), cancellationToken);
    }

    private async Task<QueuePage> QueryPageAsync(UserScope scope, QueueRequest request, CancellationToken cancellationToken)
    {
        var pageSize = Math.Clamp(request.PageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcDateTime();
        var cases = Filtered(db, scope, request.Queue, request.Filter, now, policy);
        var total = await QueueCount.OfAsync(cases, cancellationToken);

        var skip = Math.Max(0, request.Page) * pageSize;
        var order = QueueKeyset.For(request.Order);
        var fromEnd = false;
        IQueryable<Case> page;
        if (request.After is { } after)
        {
            page = order.After(cases, after, pageSize);
        }
        else if (!QueueCount.IsBeyondLimit(total) && skip > total / 2 && skip < total)
        {
            // In the second half (the last page, say) count back from the end: SQLite's OFFSET walks every row it skips,
            // and the number breaks every tie, so the reversed order is exactly this order backwards.
            fromEnd = true;
            page = order.Apply(cases, backwards: true).Skip(Math.Max(0, total - skip - pageSize)).Take(Math.Min(pageSize, total - skip));
        }
        else
        {
            page = order.Apply(cases).Skip(skip).Take(pageSize);
        }

        var rows = await RowsOf(db, request.Filter, order, page, fromEnd)
            .Select(c => new
            {
                c.Id, c.Number, c.CountryCode, c.Status, c.RiskLevel, c.OpenedAtUtc, c.AssignedAdvocateId,
                NextDue = EF.Property<DateTime?>(c, CaseSortKeys.NextFollowUpDue),
                AssigneeName = EF.Property<string?>(c, CaseSortKeys.AssigneeName),
            })
            .ToListAsync(cancellationToken);
        if (fromEnd)
        {
            rows.Reverse();
        }

        // The "unread from the person" mark, for the rows shown.
        var caseIds = rows.Select(r => r.Id).ToList();
        var unread = caseIds.Count == 0
            ? []
            : await db.IntakeSubmissions.Where(s => s.CaseId != null && caseIds.Contains(s.CaseId.Value) && s.UnreadSinceUtc != null)
                .Select(s => s.CaseId!.Value).Distinct().ToListAsync(cancellationToken);

        return new QueuePage(
            rows.Select(r => new QueueRow(
                r.Id, r.Number, r.CountryCode, r.Status, r.RiskLevel, r.OpenedAtUtc, r.NextDue, r.AssignedAdvocateId, r.AssigneeName)
            {
                UnreadFromPerson = unread.Contains(r.Id),
            }).ToList(),
            total);
    }

    private async Task<QueueCounts> QueryCountsAsync(UserScope scope, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcDateTime();
        var filter = QueueFilter.None;
        return new QueueCounts(
            await QueueCount.OfAsync(Filtered(db, scope, QueueKind.NewIntakes, filter, now, policy), cancellationToken),
            await QueueCount.OfAsync(Filtered(db, scope, QueueKind.MyCases, filter, now, policy), cancellationToken),
            await QueueCount.OfAsync(Filtered(db, scope, QueueKind.DueFollowUps, filter, now, policy), cancellationToken),
            scope.IsCoordinator ? await QueueCount.OfAsync(Filtered(db, scope, QueueKind.AwaitingClosure, filter, now, policy), cancellationToken) : null,
            await QueueCount.OfAsync(Filtered(db, scope, QueueKind.AllCases, filter, now, policy), cancellationToken));
    }

    /// <summary>
    /// Whether a queue's rows depend on who looks beyond their roles and countries: <see cref="Filtered"/> reads the
    /// user's id for these. <see cref="QueueViewCache"/> shares the other queues between viewers of the same roles and
    /// countries, so a new use of the user in <see cref="Filtered"/> belongs here too.
    /// </summary>
    internal static bool DependsOnViewer(QueueKind queue) => queue is not (QueueKind.NewIntakes or QueueKind.AwaitingClosure or QueueKind.AllCases);

    /// <summary>The end of the viewer's day is not known here; "due" means due by the end of today in UTC.</summary>
    internal static DateTime DueCutoff(DateTime utcNow) => utcNow.Date.AddDays(1);

    internal static IQueryable<Case> Filtered(PortalDbContext db, UserScope scope, QueueKind queue, QueueFilter filter, DateTime now, ReminderPolicy policy)
    {
        var cases = Searched(db, filter).AsNoTracking().InScope(scope, c => c.CountryCode);
        var followUps = db.Set<FollowUp>();
        var cutoff = DueCutoff(now);
        var userId = scope.UserId;

        cases = queue switch
        {
            QueueKind.NewIntakes => cases.Where(CaseRules.NewIntake.Expression),
            QueueKind.MyCases => cases.Where(c => c.AssignedAdvocateId == userId && EF.Constant(OpenStatuses).Contains(c.Status)),
            // A follow-up falls due before the cutoff (FollowUpRules.DueBefore) exactly when the case's next one does: a
            // range of the next-due index, which is also the queue's own order. An advocate's open statuses are listed
            // rather than "not closed": SQLite then reads only their open cases from the (country, status, advocate) index,
            // not every case they ever held. For a coordinator the list would make SQLite read and sort every open case for the first page, where "not closed"
            // walks the cases in the page's order and stops once the page is full.
            QueueKind.DueFollowUps => (scope.IsCoordinator
                    ? cases.Where(c => c.Status != CaseStatus.Closed)
                    : cases.Where(c => c.AssignedAdvocateId == userId && EF.Constant(OpenStatuses).Contains(c.Status)))
                .Where(c => EF.Property<int>(c, CaseSortKeys.NextFollowUpDueMissing) == 0 && EF.Property<DateTime?>(c, CaseSortKeys.NextFollowUpDue) < cutoff),
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

        if (filter.ReferralType is { } referralType)
        {
            // A test on the case row and in its order's index (CaseReferralTypes): no look-up in the referrals per case.
            cases = cases.Where(CaseReferralTypes.HasType(referralType));
        }

        if (HasReferralCriteria(filter with { ReferralType = null }))
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
            // A work list, like "overdue only": a closed case leaves it even with a check left open before closure settled it.
            var dueToday = followUps.Where(FollowUpRules.DueWithin.For(Clock.UtcDayOf(now)));
            cases = cases.Where(c => c.Status != CaseStatus.Closed && dueToday.Any(f => f.CaseId == c.Id));
        }

        if (filter.ClaimStatus is not null || filter.PendingClaim || filter.StaleClaim)
        {
            var claims = MatchingClaims(db, filter, now, policy);
            cases = cases.Where(c => claims.Any(p => p.CaseId == c.Id));
        }

        if (filter.OpenedFrom is { } openedFrom)
        {
            var from = Clock.StartOfUtcDay(openedFrom);
            cases = cases.Where(c => c.OpenedAtUtc >= from);
        }

        if (filter.OpenedTo is { } openedTo)
        {
            var until = Clock.StartOfUtcDay(openedTo.AddDays(1));
            cases = cases.Where(c => c.OpenedAtUtc < until);
        }

        if (filter.Contacted)
        {
            cases = cases.Where(c => c.FirstContactAtUtc != null);
        }

        if (filter.ClosedFrom is { } closedFrom)
        {
            var from = Clock.StartOfUtcDay(closedFrom);
            cases = cases.Where(c => c.ClosedAtUtc >= from);
        }

        if (filter.ClosedTo is { } closedTo)
        {
            var until = Clock.StartOfUtcDay(closedTo.AddDays(1));
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
            // A work list: a closed case leaves it even if an old check was left open before closure settled everything.
            // Tested on the case row (the moment it falls overdue, CaseOverdueKey), not by a look-up in its follow-ups: a deep
            // page of an advocate's overdue cases is then a walk of their next-due index alone.
            cases = CaseOverdueKey.WithOverdueCheck(cases.Where(c => c.Status != CaseStatus.Closed), now);
        }

        if (filter.StalePaternityOnly)
        {
            var staleCaseIds = db.Set<PaternityClaim>().Where(policy.StaleClaims(now)).Select(p => p.CaseId);
            cases = cases.Where(c => staleCaseIds.Contains(c.Id));
        }

        return cases;
    }

    /// <summary>
    /// The rows of a page, in its order (or its reverse, <paramref name="backwards"/>). A number prefix finds a range of
    /// numbers that the page sorts: the page's numbers are then picked from the (country, number, opened) index alone, and
    /// only the page's own rows are read, not the row of every case found.
    /// </summary>
    internal static IQueryable<Case> RowsOf(PortalDbContext db, QueueFilter filter, QueueKeyset order, IQueryable<Case> page, bool backwards = false)
    {
        if (NumberPrefix(filter) is null)
        {
            return page;
        }

        var numbers = page.Select(c => c.Number);
        return order.Apply(db.Cases.AsNoTracking().Where(c => numbers.Contains(c.Number)), backwards);
    }

    /// <summary>The cases the search box names, before scope and the other filters: every case when it is empty.</summary>
    private static IQueryable<Case> Searched(PortalDbContext db, QueueFilter filter)
    {
        var cases = db.Set<Case>();
        if (IntakeService.FormatReferenceCode(filter.NumberSearch) is { } code)
        {
            // The survivor's reference code is kept in clear under a unique index (the person types it to reach their
            // request), so a whole code is one exact lookup; the cases it names are still only those in scope.
            var ofCode = db.IntakeSubmissions.Where(s => s.ReferenceCode == code && s.CaseId != null).Select(s => s.CaseId!.Value);
            return cases.Where(c => ofCode.Contains(c.Id));
        }

        if (string.IsNullOrWhiteSpace(filter.NumberSearch))
        {
            return cases;
        }

        if (NumberPrefix(filter) is { } prefix)
        {
            // A case's number starts with its own country (Case.OpenFromIntake refuses any other): the prefix names the
            // country too, and the cases are a range of that country's numbers.
            return CaseNumberSearch.CasesWithNumberStarting(db, prefix[..2], prefix, PrefixUpperBound(prefix));
        }

        return CaseNumberSearch.CasesWithNumberContaining(db, filter.NumberSearch.Trim().ToUpperInvariant());
    }

    /// <summary>
    /// The search upper-cased when it can only match the start of a case number: letters appear only there (the country),
    /// so "CF-2024" is a prefix. Null for any other search.
    /// </summary>
    private static string? NumberPrefix(QueueFilter filter)
    {
        if (string.IsNullOrWhiteSpace(filter.NumberSearch) || IntakeService.FormatReferenceCode(filter.NumberSearch) is not null)
        {
            return null;
        }

        var search = filter.NumberSearch.Trim().ToUpperInvariant();
        return search.Length >= 2 && char.IsAsciiLetterUpper(search[0]) && char.IsAsciiLetterUpper(search[1]) && search[^1] < char.MaxValue ? search : null;
    }

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
            var start = Clock.StartOfUtcDay(from);
            referrals = referrals.Where(r => r.SentAtUtc >= start);
        }

        if (filter.ReferralSentTo is { } to)
        {
            var until = Clock.StartOfUtcDay(to.AddDays(1));
            referrals = referrals.Where(r => r.SentAtUtc < until);
        }

        if (filter.ReferralAccepted)
        {
            referrals = referrals.Where(r => r.AcceptedAtUtc != null);
        }

        return referrals;
    }

    /// <summary>Paternity claims meeting the filter's claim criteria, by the domain's rules (under way, stale).</summary>
    private static IQueryable<PaternityClaim> MatchingClaims(PortalDbContext db, QueueFilter filter, DateTime now, ReminderPolicy policy)
    {
        var claims = db.Set<PaternityClaim>().AsQueryable();
        if (filter.ClaimStatus is { } status)
        {
            claims = claims.Where(p => p.Status == status);
        }

        if (filter.PendingClaim)
        {
            claims = claims.Where(PaternityClaimRules.UnderWay.Expression);
        }

        if (filter.StaleClaim)
        {
            claims = claims.Where(policy.StaleClaims(now));
        }

        return claims;
    }

    /// <summary>The smallest string greater than every string starting with <paramref name="prefix"/> (ordinal, as SQLite compares).</summary>
    internal static string PrefixUpperBound(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);
}
