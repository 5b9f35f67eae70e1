using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Children;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Features.Audit;
using Portal.Features.Queues;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Features.Dashboard;

/// <summary>
/// The coordinators' figures. Each is an aggregate query (COUNT / GROUP BY over indexed columns), never a walk over
/// case rows, so the cost stays flat as cases accumulate; medians read two dates per case of the period from a covering
/// index. Every count is paired with the queue filter listing its cases (see <see cref="LinkedFigure"/>), and those
/// filters go through <see cref="QueueService"/>'s own predicates where a rule (overdue, due today, stale) is involved,
/// so a figure and its list cannot drift apart. Coordinators and Administrators only, checked here on every call.
/// </summary>
public sealed class DashboardService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IAuditLog audit)
{
    public const string RecordType = "Dashboard";

    private static readonly CaseStatus[] OpenStatuses = Enum.GetValues<CaseStatus>().Where(s => s != CaseStatus.Closed).ToArray();

    public static bool MayView(UserScope scope) => scope.IsCoordinator || scope.IsAdministrator;

    /// <exception cref="AccessDeniedException">The user is neither a Coordinator nor an Administrator (audited).</exception>
    /// <exception cref="RecordNotFoundException">The country is unknown or outside the user's scope (audited when out of scope).</exception>
    public async Task<DashboardFigures> GetAsync(UserScope scope, DashboardFilter filter, CancellationToken cancellationToken = default)
    {
        await RequireViewerAsync(scope, "view the dashboard", cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var country = await CountryAsync(db, scope, filter.CountryCode, cancellationToken);
        return await ComputeAsync(db, scope, filter with { CountryCode = country }, cancellationToken);
    }

    /// <summary>The year's figures for the annual report.</summary>
    public async Task<AnnualSummary> GetAnnualAsync(UserScope scope, int year, string? countryCode, CancellationToken cancellationToken = default)
    {
        await RequireViewerAsync(scope, "view the annual summary", cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var country = await CountryAsync(db, scope, countryCode, cancellationToken);
        var filter = new DashboardFilter(country, DashboardPeriod.Year, year);
        var figures = await ComputeAsync(db, scope, filter, cancellationToken);
        var period = figures.Period;
        var cases = CasesOf(db, scope, country);
        var caseIds = cases.Select(c => c.Id);
        var from = period.FromUtc;
        var until = period.UntilUtc;

        var opened = await cases.CountAsync(c => c.OpenedAtUtc >= from && c.OpenedAtUtc < until, cancellationToken);
        var closed = await cases.CountAsync(c => c.ClosedAtUtc >= from && c.ClosedAtUtc < until, cancellationToken);
        var assisted = await db.Referrals.Where(r => r.SentAtUtc >= from && r.SentAtUtc < until && caseIds.Contains(r.CaseId))
            .Select(r => r.CaseId).Distinct().CountAsync(cancellationToken);

        var children = db.Children.Where(c => caseIds.Contains(c.CaseId));
        var childrenRegistered = await children.CountAsync(cancellationToken);
        var childrenBorn = await children.CountAsync(c => c.BirthYear == year, cancellationToken);
        var claimsOpened = await db.PaternityClaims
            .Where(p => p.OpenedAtUtc >= from && p.OpenedAtUtc < until && caseIds.Contains(p.CaseId))
            .GroupBy(p => p.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);

        var yearStart = new DateOnly(year, 1, 1);
        var yearEnd = yearStart.AddYears(1);
        var allegations = await cases.Where(c => c.Allegation != null && c.Allegation.DateReported >= yearStart && c.Allegation.DateReported < yearEnd)
            .GroupBy(c => c.Allegation!.EntityType).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var byEntity = Enum.GetValues<AllegationEntityType>().Select(t => (t, allegations.FirstOrDefault(a => a.Key == t)?.Count ?? 0)).ToList();
        var missions = byEntity.Where(e => IsMission(e.t)).Sum(e => e.Item2);
        var others = byEntity.Where(e => !IsMission(e.t)).Sum(e => e.Item2);

        var allOfYear = new QueueFilter { CountryCode = country };
        return new AnnualSummary(
            year,
            figures,
            Figure("annual.opened", opened, allOfYear with { OpenedFrom = period.From, OpenedTo = period.To }),
            Figure("annual.closed", closed, allOfYear with { ClosedFrom = period.From, ClosedTo = period.To }),
            Figure("annual.assisted", assisted, allOfYear with { ReferralSentFrom = period.From, ReferralSentTo = period.To }),
            childrenRegistered,
            childrenBorn,
            claimsOpened.Sum(c => c.Count),
            Enum.GetValues<PaternityClaimStatus>().Select(s => (s, claimsOpened.FirstOrDefault(c => c.Key == s)?.Count ?? 0)).Where(x => x.Item2 > 0).ToList(),
            byEntity,
            Figure("annual.allegations.missions", missions, allOfYear with { AllegationYear = year, AllegationUnMission = true }),
            Figure("annual.allegations.others", others, allOfYear with { AllegationYear = year, AllegationUnMission = false }));
    }

    /// <summary>The countries a viewer may pick, code and name.</summary>
    public async Task<IReadOnlyList<(string Code, string Name)>> GetCountriesAsync(UserScope scope, CancellationToken cancellationToken = default)
    {
        if (!MayView(scope))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var countries = await db.Countries.AsNoTracking().InScope(scope, c => c.Code).OrderBy(c => c.Code)
            .Select(c => new { c.Code, c.Name }).ToListAsync(cancellationToken);
        return countries.Select(c => (c.Code, c.Name)).ToList();
    }

    internal async Task RequireViewerAsync(UserScope scope, string operation, CancellationToken cancellationToken)
    {
        if (!MayView(scope))
        {
            await audit.RecordAsync(AuditAction.AccessDenied, RecordType, null, operation, cancellationToken);
            throw new AccessDeniedException(operation);
        }
    }

    private async Task<string?> CountryAsync(PortalDbContext db, UserScope scope, string? requested, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return null;
        }

        var code = requested.Trim().ToUpperInvariant();
        if (!await db.Countries.AnyAsync(c => c.Code == code, cancellationToken))
        {
            throw new RecordNotFoundException("Country", code.Length > 10 ? code[..10] : code);
        }

        if (!scope.CanSee(code))
        {
            await audit.RecordAsync(AuditAction.AccessDenied, "Country", code, "outside the user's countries", cancellationToken);
            throw new RecordNotFoundException("Country", code);
        }

        return code;
    }

    private static IQueryable<Case> CasesOf(PortalDbContext db, UserScope scope, string? country)
    {
        var cases = db.Cases.AsNoTracking().InScope(scope, c => c.CountryCode);
        return country is null ? cases : cases.Where(c => c.CountryCode == country);
    }

    private async Task<DashboardFigures> ComputeAsync(PortalDbContext db, UserScope scope, DashboardFilter filter, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcDateTime();
        var period = filter.Resolve(now);
        var country = filter.CountryCode;
        var cases = CasesOf(db, scope, country);
        var caseIds = cases.Select(c => c.Id);
        var within = new QueueFilter { CountryCode = country };

        // Open cases by status, and the closures waiting for a coordinator.
        var byStatus = await cases.Where(c => c.Status != CaseStatus.Closed)
            .GroupBy(c => c.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var openByStatus = OpenStatuses
            .Select(s => (s, Figure($"open.{s}", byStatus.FirstOrDefault(b => b.Key == s)?.Count ?? 0, within with { Statuses = [s] })))
            .ToList();
        var openTotal = Figure("open.total", byStatus.Sum(b => b.Count), within with { Statuses = OpenStatuses });
        var awaitingClosure = Figure("closure.awaiting", byStatus.FirstOrDefault(b => b.Key == CaseStatus.ClosureRequested)?.Count ?? 0, within with { Statuses = [CaseStatus.ClosureRequested] });

        // Nobody holds them: fresh intakes and released cases, as the New intakes queue.
        var unclaimedCases = cases.Where(c => c.AssignedAdvocateId == null && c.Status != CaseStatus.Closed);
        var unclaimedCount = await unclaimedCases.CountAsync(cancellationToken);
        var oldestUnclaimed = await unclaimedCases.MinAsync(c => (DateTime?)c.OpenedAtUtc, cancellationToken);

        // Follow-ups: counted as checks, linked as the cases holding them.
        var followUps = country is null && scope.AllCountries
            ? db.FollowUps.AsNoTracking()
            : db.FollowUps.AsNoTracking().Where(f => caseIds.Contains(f.CaseId));
        var dueToday = await CountWithCasesAsync(followUps.Where(QueueService.DueToday(now)), f => f.CaseId, cancellationToken);
        var overdue = await CountWithCasesAsync(followUps.Where(QueueService.Overdue(now)), f => f.CaseId, cancellationToken);

        // Referrals sent in the period, by type and where they stand now.
        var referrals = db.Referrals.AsNoTracking().InScope(scope, r => r.CountryCode)
            .Where(r => r.SentAtUtc >= period.FromUtc && r.SentAtUtc < period.UntilUtc);
        if (country is not null)
        {
            referrals = referrals.Where(r => r.CountryCode == country);
        }

        var referralGroups = await referrals.GroupBy(r => new { r.Type, r.Status })
            .Select(g => new { g.Key.Type, g.Key.Status, Count = g.Count(), Cases = g.Select(r => r.CaseId).Distinct().Count() })
            .ToListAsync(cancellationToken);
        var referralCasesByType = await referrals.GroupBy(r => r.Type)
            .Select(g => new { g.Key, Cases = g.Select(r => r.CaseId).Distinct().Count() })
            .ToListAsync(cancellationToken);
        var sentWithin = within with { ReferralSentFrom = period.From, ReferralSentTo = period.To };
        var referralCells = referralGroups
            .OrderBy(g => g.Type).ThenBy(g => g.Status)
            .Select(g => new ReferralCell(g.Type, g.Status, new LinkedFigure(
                $"referrals.{g.Type}.{g.Status}", g.Count, g.Cases, sentWithin with { ReferralType = g.Type, ReferralStatus = g.Status }, FigureUnit.Referrals)))
            .ToList();
        var referralTypes = Enum.GetValues<ReferralType>()
            .Select(t =>
            {
                var ofType = referralGroups.Where(g => g.Type == t).ToList();
                var total = ofType.Sum(g => g.Count);
                return new ReferralTypeSummary(
                    t,
                    total,
                    total, // every referral counted here was sent in the period
                    ofType.Where(g => g.Status == ReferralStatus.Completed).Sum(g => g.Count),
                    new LinkedFigure($"referrals.{t}", total, referralCasesByType.FirstOrDefault(c => c.Key == t)?.Cases ?? 0, sentWithin with { ReferralType = t }, FigureUnit.Referrals));
            })
            .ToList();

        // Medians: two dates per case or referral of the period, read from covering indexes.
        var contacts = await cases.Where(c => c.OpenedAtUtc >= period.FromUtc && c.OpenedAtUtc < period.UntilUtc && c.FirstContactAtUtc != null)
            .Select(c => new { c.OpenedAtUtc, c.FirstContactAtUtc })
            .ToListAsync(cancellationToken);
        var intakeToContact = new MedianFigure(
            Median(contacts.Select(c => c.FirstContactAtUtc!.Value - c.OpenedAtUtc)),
            Figure("median.first-contact", contacts.Count, within with { OpenedFrom = period.From, OpenedTo = period.To, Contacted = true }));

        var acceptances = await referrals.Where(r => r.AcceptedAtUtc != null)
            .Select(r => new { r.CaseId, r.SentAtUtc, r.AcceptedAtUtc })
            .ToListAsync(cancellationToken);
        var referralToAcceptance = new MedianFigure(
            Median(acceptances.Select(a => a.AcceptedAtUtc!.Value - a.SentAtUtc!.Value)),
            new LinkedFigure("median.acceptance", acceptances.Count, acceptances.Select(a => a.CaseId).Distinct().Count(), sentWithin with { ReferralAccepted = true }, FigureUnit.Referrals));

        // Paternity claims still under way, and those that have stopped moving.
        var final = QueueService.FinalClaimStatuses.ToList();
        var claims = db.PaternityClaims.AsNoTracking().Where(p => caseIds.Contains(p.CaseId));
        var pendingGroups = await claims.Where(p => !final.Contains(p.Status))
            .GroupBy(p => p.Status).Select(g => new { g.Key, Count = g.Count(), Cases = g.Select(p => p.CaseId).Distinct().Count() })
            .ToListAsync(cancellationToken);
        var pendingClaims = Enum.GetValues<PaternityClaimStatus>().Where(s => !final.Contains(s))
            .Select(s =>
            {
                var group = pendingGroups.FirstOrDefault(g => g.Key == s);
                return (s, new LinkedFigure($"claims.{s}", group?.Count ?? 0, group?.Cases ?? 0, within with { ClaimStatus = s }, FigureUnit.Claims));
            })
            .ToList();
        var pendingCases = await claims.Where(p => !final.Contains(p.Status)).Select(p => p.CaseId).Distinct().CountAsync(cancellationToken);
        var pendingTotal = new LinkedFigure("claims.pending", pendingGroups.Sum(g => g.Count), pendingCases, within with { PendingClaim = true }, FigureUnit.Claims);
        var stale = await CountWithCasesAsync(QueueService.MatchingClaims(db, new QueueFilter { StaleClaim = true }, now).Where(p => caseIds.Contains(p.CaseId)), p => p.CaseId, cancellationToken);

        // Cases opened and closed per month of the period.
        var openedByMonth = await cases.Where(c => c.OpenedAtUtc >= period.FromUtc && c.OpenedAtUtc < period.UntilUtc)
            .GroupBy(c => new { c.OpenedAtUtc.Year, c.OpenedAtUtc.Month }).Select(g => new { g.Key.Year, g.Key.Month, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var closedByMonth = await cases.Where(c => c.ClosedAtUtc >= period.FromUtc && c.ClosedAtUtc < period.UntilUtc)
            .GroupBy(c => new { c.ClosedAtUtc!.Value.Year, c.ClosedAtUtc!.Value.Month }).Select(g => new { g.Key.Year, g.Key.Month, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var months = new List<MonthCount>();
        for (var month = new DateOnly(period.From.Year, period.From.Month, 1); month <= period.To; month = month.AddMonths(1))
        {
            var first = month < period.From ? period.From : month;
            var lastOfMonth = month.AddMonths(1).AddDays(-1);
            var last = lastOfMonth > period.To ? period.To : lastOfMonth;
            var (y, m) = (month.Year, month.Month);
            months.Add(new MonthCount(
                y,
                m,
                Figure($"opened.{y}-{m:00}", openedByMonth.FirstOrDefault(o => o.Year == y && o.Month == m)?.Count ?? 0, within with { OpenedFrom = first, OpenedTo = last }),
                Figure($"closed.{y}-{m:00}", closedByMonth.FirstOrDefault(o => o.Year == y && o.Month == m)?.Count ?? 0, within with { ClosedFrom = first, ClosedTo = last })));
        }

        // Allegations by the year they were reported, split as the UN publishes them.
        var allegationGroups = await cases.Where(c => c.Allegation != null && c.Allegation.DateReported != null)
            .GroupBy(c => new { c.Allegation!.DateReported!.Value.Year, c.Allegation.EntityType })
            .Select(g => new { g.Key.Year, g.Key.EntityType, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var allegationYears = allegationGroups.Select(g => g.Year).Distinct().Order()
            .Select(y => new AllegationYear(
                y,
                Figure($"allegations.{y}.missions", allegationGroups.Where(g => g.Year == y && IsMission(g.EntityType)).Sum(g => g.Count), within with { AllegationYear = y, AllegationUnMission = true }),
                Figure($"allegations.{y}.others", allegationGroups.Where(g => g.Year == y && !IsMission(g.EntityType)).Sum(g => g.Count), within with { AllegationYear = y, AllegationUnMission = false })))
            .ToList();

        return new DashboardFigures(
            filter,
            period,
            now,
            openByStatus,
            openTotal,
            Figure("unclaimed", unclaimedCount, within with { Unclaimed = true }),
            oldestUnclaimed,
            new LinkedFigure("followups.due-today", dueToday.Count, dueToday.Cases, within with { DueToday = true }, FigureUnit.FollowUps),
            new LinkedFigure("followups.overdue", overdue.Count, overdue.Cases, within with { OverdueOnly = true }, FigureUnit.FollowUps),
            referralTypes,
            referralCells,
            intakeToContact,
            referralToAcceptance,
            pendingClaims,
            pendingTotal,
            new LinkedFigure("claims.stale", stale.Count, stale.Cases, within with { StaleClaim = true }, FigureUnit.Claims),
            awaitingClosure,
            months,
            allegationYears);
    }

    private static bool IsMission(AllegationEntityType type) =>
        type is AllegationEntityType.PeacekeepingMission or AllegationEntityType.SpecialPoliticalMission;

    private static LinkedFigure Figure(string key, int cases, QueueFilter filter) => new(key, cases, cases, filter);

    private static async Task<(int Count, int Cases)> CountWithCasesAsync<T>(IQueryable<T> rows, System.Linq.Expressions.Expression<Func<T, Guid>> caseOf, CancellationToken cancellationToken)
    {
        var count = await rows.CountAsync(cancellationToken);
        var cases = count == 0 ? 0 : await rows.Select(caseOf).Distinct().CountAsync(cancellationToken);
        return (count, cases);
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count); null for no values.</summary>
    internal static TimeSpan? Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : TimeSpan.FromTicks((sorted[middle - 1].Ticks + sorted[middle].Ticks) / 2);
    }
}
