using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Children;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Infrastructure.Audit;
using Portal.Features.Queues;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Configurations;
using Portal.Infrastructure.Security;

namespace Portal.Features.Dashboard;

/// <summary>
/// The coordinators' figures. Each is an aggregate query (COUNT / GROUP BY over indexed columns), never a walk over
/// case rows, so the cost stays flat as cases accumulate; medians read, per case or referral of the period, the time
/// between two dates as the database works it out (<see cref="PortalDbFunctions.Days"/>) from a covering index. Every
/// count is paired with the queue filter listing its cases (see <see cref="LinkedFigure"/>). Where a rule is involved
/// (overdue, due today, stale, under way) the figure counts with the domain's rule and the queue filters with the same
/// rule, so a figure and its list cannot drift apart. Coordinators and Administrators only, and only while their
/// server-side session is open (<see cref="CaseScope.SessionOpenAsync"/>), checked here on every call.
/// </summary>
/// <param name="policy">The stale-claim threshold (Portal:Paternity:StaleAfterDays), as the queues and case pages apply it.</param>
/// <param name="shared">Identical views share one computation (the portal registers it; without it, each call computes).</param>
public sealed class DashboardService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IAuditLog audit, ReminderPolicy policy, CaseScope cases, DashboardFiguresCache? shared = null)
{
    public const string RecordType = "Dashboard";

    private static readonly CaseStatus[] OpenStatuses = Enum.GetValues<CaseStatus>().Where(s => s != CaseStatus.Closed).ToArray();

    public static bool MayView(UserScope scope) => scope.IsCoordinator || scope.IsAdministrator;

    /// <exception cref="AccessDeniedException">The user is neither a Coordinator nor an Administrator, or their session has ended (audited).</exception>
    /// <exception cref="RecordNotFoundException">The country is unknown or outside the user's scope (audited when out of scope).</exception>
    public async Task<DashboardFigures> GetAsync(UserScope scope, DashboardFilter filter, CancellationToken cancellationToken = default)
    {
        await RequireViewerAsync(scope, "view the dashboard", cancellationToken);
        string? country;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            country = await CountryAsync(db, scope, filter.CountryCode, cancellationToken);
        }

        var resolved = filter with { CountryCode = country };
        if (shared is null)
        {
            return await ComputeAsync(scope, resolved, clock.GetUtcDateTime(), cancellationToken);
        }

        // Shared with other viewers of the same view: its token is cancelled only when every one of them has left.
        return await shared.GetAsync(scope, resolved, token => ComputeAsync(scope, resolved, clock.GetUtcDateTime(), token), cancellationToken);
    }

    /// <summary>The year's figures for the annual report.</summary>
    public async Task<AnnualSummary> GetAnnualAsync(UserScope scope, int year, string? countryCode, CancellationToken cancellationToken = default)
    {
        await RequireViewerAsync(scope, "view the annual summary", cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var country = await CountryAsync(db, scope, countryCode, cancellationToken);
        var filter = new DashboardFilter(country, DashboardPeriod.Year, year);
        // The dashboard's figures for the year, on connections of their own, while this one reads the year's own figures.
        var now = clock.GetUtcDateTime();
        var computing = ComputeAsync(scope, filter, now, cancellationToken);
        var period = filter.Resolve(now);
        var cases = CasesOf(db, scope, country);
        var from = period.FromUtc;
        var until = period.UntilUtc;

        var opened = await cases.CountAsync(c => c.OpenedAtUtc >= from && c.OpenedAtUtc < until, cancellationToken);
        // The country compared as an expression, as for the months of the dashboard (see ComputeAsync).
        var closedCases = country is null ? cases : CasesOf(db, scope, null).Where(c => c.CountryCode + "" == country);
        var closed = await closedCases.CountAsync(c => c.ClosedAtUtc >= from && c.ClosedAtUtc < until, cancellationToken);
        // A referral carries its case's country: the covering index on the sending date answers without the cases.
        var assisted = await ReferralsOf(db, scope, country).Where(r => r.SentAtUtc >= from && r.SentAtUtc < until)
            .Select(r => r.CaseId).Distinct().CountAsync(cancellationToken);

        // An expected child is a pregnancy, not yet a child registered.
        var children = OfCases(db.Children.AsNoTracking(), scope, country).Where(c => !c.IsExpected);
        var childrenRegistered = await children.CountAsync(cancellationToken);
        var childrenBorn = await children.CountAsync(c => c.BirthYear == year, cancellationToken);
        var claimsOpened = await OfCases(db.PaternityClaims.AsNoTracking(), scope, country)
            .Where(p => p.OpenedAtUtc >= from && p.OpenedAtUtc < until)
            .GroupBy(p => p.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);

        // The year's allegations from the counts the database keeps (AllegationYearCounts), narrowed to the viewer's scope.
        var allegations = (await AllegationCountsAsync(db, scope, country, cancellationToken)).Where(a => a.Year == year).ToList();
        var byEntity = Enum.GetValues<AllegationEntityType>().Select(t => (t, allegations.Where(a => a.EntityType == t.ToString()).Sum(a => a.Count))).ToList();
        var missions = byEntity.Where(e => IsMission(e.t)).Sum(e => e.Item2);
        var others = byEntity.Where(e => !IsMission(e.t)).Sum(e => e.Item2);

        var allOfYear = new QueueFilter { CountryCode = country };
        return new AnnualSummary(
            year,
            await computing,
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
        if (!MayView(scope) || !await cases.SessionOpenAsync(scope, RecordType, cancellationToken))
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

        if (!await cases.SessionOpenAsync(scope, RecordType, cancellationToken))
        {
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

    private static IQueryable<Referral> ReferralsOf(PortalDbContext db, UserScope scope, string? country)
    {
        var referrals = db.Referrals.AsNoTracking().InScope(scope, r => r.CountryCode);
        return country is null ? referrals : referrals.Where(r => r.CountryCode == country);
    }

    /// <summary>
    /// Rows of another table (follow-ups, children, claims) belonging to the cases in view: all of them for a viewer of
    /// every country without a country filter, else those of the countries in view by the case's country each row
    /// carries (<see cref="CaseCountryCopies"/>), read from an index starting with it. Looking up each row's case
    /// instead reads a case row per row of every country.
    /// </summary>
    private static IQueryable<T> OfCases<T>(IQueryable<T> rows, UserScope scope, string? country)
        where T : class
    {
        if (country is null && scope.AllCountries)
        {
            return rows;
        }

        var inScope = rows.InScope(scope, r => EF.Property<string>(r, CaseCountryCopies.Column));
        return country is null ? inScope : inScope.Where(r => EF.Property<string>(r, CaseCountryCopies.Column) == country);
    }

    /// <summary>
    /// Every figure of one view. The groups of figures below read different rows and do not depend on each other, so
    /// each runs on a connection of its own and all run at once: the referral pass alone takes about as long as the
    /// others together, and one after the other they kept a core idle.
    /// </summary>
    private async Task<DashboardFigures> ComputeAsync(UserScope scope, DashboardFilter filter, DateTime now, CancellationToken cancellationToken)
    {
        var period = filter.Resolve(now);
        var country = filter.CountryCode;
        var within = new QueueFilter { CountryCode = country };

        // The longest reads first, so that they start at once while the short ones share what is left. Those two are
        // kept apart from the rest by the shared cache: most changes (a claim, a note, a follow-up) cannot move them,
        // and a referral's change moves only its case's referrals.
        // Kept parts are shared with the other viewers of the view (and kept rows read again in the background later):
        // one viewer leaving (the annual summary passes its page's token) must not cancel them for the rest.
        var kept = shared is null ? cancellationToken : CancellationToken.None;
        var referrals = ReferralsAsync(scope, filter, country, within, period, kept);
        var allegations = KeptAsync(DashboardPart.Allegations, scope, filter, () => ReadAsync(db => AllegationYearsAsync(db, scope, country, within, kept), kept));
        var contacts = ReadAsync(db => IntakeToFirstContactAsync(db, scope, country, within, period, cancellationToken), cancellationToken);
        var followUps = ReadAsync(db => FollowUpsAsync(db, scope, country, within, now, cancellationToken), cancellationToken);
        var claims = ReadAsync(db => ClaimsAsync(db, scope, country, within, now, policy, cancellationToken), cancellationToken);
        var open = ReadAsync(db => OpenCasesAsync(db, scope, country, within, cancellationToken), cancellationToken);
        var months = ReadAsync(db => MonthsAsync(db, scope, country, within, period, cancellationToken), cancellationToken);
        await Task.WhenAll(referrals, allegations, contacts, followUps, claims, open, months);

        var (openByStatus, openTotal, awaitingClosure, unclaimed, oldestUnclaimed) = await open;
        var (dueToday, overdue) = await followUps;
        var (referralTypes, referralCells, referralToAcceptance) = await referrals;
        var (pendingClaims, pendingTotal, stale) = await claims;
        return new DashboardFigures(
            filter,
            period,
            now,
            openByStatus,
            openTotal,
            unclaimed,
            oldestUnclaimed,
            dueToday,
            overdue,
            referralTypes,
            referralCells,
            await contacts,
            referralToAcceptance,
            pendingClaims,
            pendingTotal,
            stale,
            awaitingClosure,
            await months,
            await allegations,
            (int)Math.Round(policy.PaternityClaimStaleAfter.TotalDays));
    }

    /// <summary>A part of the figures, from the shared cache when the portal registers one.</summary>
    private Task<T> KeptAsync<T>(DashboardPart part, UserScope scope, DashboardFilter filter, Func<Task<T>> compute) =>
        shared is null ? compute() : shared.GetAsync(part, scope, filter, _ => compute(), CancellationToken.None);

    /// <summary>
    /// One read on a context (and so a connection) of its own, started on the thread pool: Microsoft.Data.Sqlite runs
    /// "async" commands synchronously, so without Task.Run each read would finish before the next one started.
    /// </summary>
    private Task<T> ReadAsync<T>(Func<PortalDbContext, Task<T>> read, CancellationToken cancellationToken) =>
        Task.Run(
            async () =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                return await read(db);
            },
            cancellationToken);

    /// <summary>Open cases by status, the closures waiting for a coordinator, and the cases nobody holds.</summary>
    private static async Task<(List<(CaseStatus, LinkedFigure)> ByStatus, LinkedFigure Total, LinkedFigure AwaitingClosure, LinkedFigure Unclaimed, DateTime? OldestUnclaimed)> OpenCasesAsync(
        PortalDbContext db, UserScope scope, string? country, QueueFilter within, CancellationToken cancellationToken)
    {
        var cases = CasesOf(db, scope, country);

        // The open statuses listed (IN), not "not closed": SQLite then seeks each status in the status index instead of
        // reading the closed cases too (most cases, once the office has worked for years).
        var byStatus = await cases.Where(c => EF.Constant(OpenStatuses).Contains(c.Status))
            .GroupBy(c => c.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var openByStatus = OpenStatuses
            .Select(s => (s, Figure($"open.{s}", byStatus.FirstOrDefault(b => b.Key == s)?.Count ?? 0, within with { Statuses = [s] })))
            .ToList();
        var openTotal = Figure("open.total", byStatus.Sum(b => b.Count), within with { Statuses = OpenStatuses });
        var awaitingClosure = Figure("closure.awaiting", byStatus.FirstOrDefault(b => b.Key == CaseStatus.ClosureRequested)?.Count ?? 0, within with { Statuses = [CaseStatus.ClosureRequested] });

        // Nobody holds them: fresh intakes and released cases, as the New intakes queue.
        var unclaimedCases = cases.Where(c => c.AssignedAdvocateId == null && EF.Constant(OpenStatuses).Contains(c.Status));
        var unclaimedCount = await unclaimedCases.CountAsync(cancellationToken);
        var oldestUnclaimed = await unclaimedCases.MinAsync(c => (DateTime?)c.OpenedAtUtc, cancellationToken);
        return (openByStatus, openTotal, awaitingClosure, Figure("unclaimed", unclaimedCount, within with { Unclaimed = true }), oldestUnclaimed);
    }

    /// <summary>
    /// Follow-ups due today and overdue: counted as checks, linked as the cases holding them. Within some countries the
    /// checks are those the case's country on each (<see cref="CaseCountryCopies"/>) puts in view, less those of closed
    /// cases in every view, rather than by looking up each follow-up's case. The overdue checks are counted in the database and the cases
    /// holding one from the moment each case's first check falls overdue (<see cref="CaseOverdueKey"/>), kept on the
    /// case: reading the case of every overdue check was the longest part of this.
    /// </summary>
    private static async Task<(LinkedFigure DueToday, LinkedFigure Overdue)> FollowUpsAsync(
        PortalDbContext db, UserScope scope, string? country, QueueFilter within, DateTime now, CancellationToken cancellationToken)
    {
        // Of open cases only, as the queues the figures link to: a case closed before closure had to settle its work may
        // still hold checks. Those are still to do, so such a case has a kept overdue-from key and is found in the
        // (status, key) index; listing the open cases instead read each one's row for its id.
        var cases = CasesOf(db, scope, country);
        var closedWithWork = cases
            .Where(c => c.Status == CaseStatus.Closed && EF.Property<DateTime?>(c, CaseOverdueKey.Column) != null).Select(c => c.Id);
        var followUps = OfCases(db.FollowUps.AsNoTracking(), scope, country).Where(f => !closedWithWork.Contains(f.CaseId));
        var casesWithWork = cases.Where(c => EF.Constant(OpenStatuses).Contains(c.Status));

        var dueToday = await CountWithCasesAsync(followUps.Where(FollowUpRules.DueWithin.For(Clock.UtcDayOf(now))).Select(f => f.CaseId), cancellationToken);
        var overdue = await followUps.CountAsync(FollowUpRules.Overdue.For(now), cancellationToken);
        var overdueCases = await CaseOverdueKey.WithOverdueCheck(casesWithWork, now).CountAsync(cancellationToken);
        return (
            new LinkedFigure("followups.due-today", dueToday.Count, dueToday.Cases, within with { DueToday = true }, FigureUnit.FollowUps),
            new LinkedFigure("followups.overdue", overdue, overdueCases, within with { OverdueOnly = true }, FigureUnit.FollowUps));
    }

    /// <summary>
    /// Referrals sent in the period, by type and where they stand now, and the time they took to be accepted: one read
    /// of every referral of the period (<see cref="ReferralRows"/>), or, with the shared cache, the view's rows as the
    /// live events have kept them, where a referral's change reads only its case's referrals again.
    /// </summary>
    private async Task<ReferralFigures> ReferralsAsync(UserScope scope, DashboardFilter filter, string? country, QueueFilter within, DateRange period, CancellationToken cancellationToken)
    {
        var sentWithin = within with { ReferralSentFrom = period.From, ReferralSentTo = period.To };
        IQueryable<Referral> Sent(PortalDbContext db) =>
            ReferralsOf(db, scope, country).Where(r => r.SentAtUtc >= period.FromUtc && r.SentAtUtc < period.UntilUtc);
        Task<ReferralRows> ReadAll() => ReadAsync(db => ReferralRows.ReadAsync(db, Sent(db), cancellationToken), cancellationToken);
        if (shared is null)
        {
            return (await ReadAll()).Summarize(sentWithin);
        }

        return await shared.GetReferralsAsync(scope, filter, period, new ReferralReads(
            ReadAll,
            (rows, cases) => ReadAsync(db => rows.RefreshCasesAsync(db, Sent(db), cases, cancellationToken), cancellationToken),
            rows => rows.Summarize(sentWithin)));
    }

    /// <summary>
    /// The median time from intake to first contact of the cases opened in the period, from a covering index holding the
    /// delay the database keeps on each contacted case (<see cref="CaseFirstContactDelay"/>). The country is compared as
    /// an expression, as for the months (see <see cref="MonthsAsync"/>), so SQLite reads that index for the period alone.
    /// </summary>
    private static async Task<MedianFigure> IntakeToFirstContactAsync(
        PortalDbContext db, UserScope scope, string? country, QueueFilter within, DateRange period, CancellationToken cancellationToken)
    {
        var cases = country is null ? CasesOf(db, scope, null) : CasesOf(db, scope, null).Where(c => c.CountryCode + "" == country);
        var contacts = await cases
            .Where(c => c.OpenedAtUtc >= period.FromUtc && c.OpenedAtUtc < period.UntilUtc && EF.Property<double?>(c, CaseFirstContactDelay.Column) != null)
            .Select(c => EF.Property<double?>(c, CaseFirstContactDelay.Column))
            .ToListAsync(cancellationToken);
        return new MedianFigure(
            Median(contacts.Select(days => PortalDbFunctions.ToTimeSpan(days!.Value))),
            Figure("median.first-contact", contacts.Count, within with { OpenedFrom = period.From, OpenedTo = period.To, Contacted = true }));
    }

    /// <summary>Paternity claims still under way, and those that have stopped moving (the stale ones, by the policy's threshold).</summary>
    private static async Task<(List<(PaternityClaimStatus, LinkedFigure)> Pending, LinkedFigure PendingTotal, LinkedFigure Stale)> ClaimsAsync(
        PortalDbContext db, UserScope scope, string? country, QueueFilter within, DateTime now, ReminderPolicy policy, CancellationToken cancellationToken)
    {
        var claims = OfCases(db.PaternityClaims.AsNoTracking(), scope, country);
        var underWay = claims.Where(PaternityClaimRules.UnderWay.Expression);
        var pendingGroups = await underWay
            .GroupBy(p => p.Status).Select(g => new { g.Key, Count = g.Count(), Cases = g.Select(p => p.CaseId).Distinct().Count() })
            .ToListAsync(cancellationToken);
        var pendingClaims = Enum.GetValues<PaternityClaimStatus>().Where(s => !PaternityClaimRules.FinalStatuses.Contains(s))
            .Select(s =>
            {
                var group = pendingGroups.FirstOrDefault(g => g.Key == s);
                return (s, new LinkedFigure($"claims.{s}", group?.Count ?? 0, group?.Cases ?? 0, within with { ClaimStatus = s }, FigureUnit.Claims));
            })
            .ToList();
        var pendingCases = await underWay.Select(p => p.CaseId).Distinct().CountAsync(cancellationToken);
        var pendingTotal = new LinkedFigure("claims.pending", pendingGroups.Sum(g => g.Count), pendingCases, within with { PendingClaim = true }, FigureUnit.Claims);
        var stale = await CountWithCasesAsync(claims.Where(policy.StaleClaims(now)).Select(p => p.CaseId), cancellationToken);
        return (pendingClaims, pendingTotal, new LinkedFigure("claims.stale", stale.Count, stale.Cases, within with { StaleClaim = true }, FigureUnit.Claims));
    }

    /// <summary>
    /// Cases opened and closed per month of the period: one range COUNT per month on the date indexes. A GROUP BY
    /// month would sort every case of the period first (SQLite groups through a sorter unless an index gives the order).
    /// For one country, SQLite (no statistics) would pick the country index and read every case of the country for each
    /// month; comparing the country as an expression leaves it the (closed date, country) index, read for the month alone.
    /// </summary>
    private static async Task<List<MonthCount>> MonthsAsync(
        PortalDbContext db, UserScope scope, string? country, QueueFilter within, DateRange period, CancellationToken cancellationToken)
    {
        var cases = CasesOf(db, scope, country);
        var closedCases = country is null ? cases : CasesOf(db, scope, null).Where(c => c.CountryCode + "" == country);
        var months = new List<MonthCount>();
        for (var month = new DateOnly(period.From.Year, period.From.Month, 1); month <= period.To; month = month.AddMonths(1))
        {
            var first = month < period.From ? period.From : month;
            var lastOfMonth = month.AddMonths(1).AddDays(-1);
            var last = lastOfMonth > period.To ? period.To : lastOfMonth;
            var (y, m) = (month.Year, month.Month);
            var (start, end) = (Clock.StartOfUtcDay(first), Clock.StartOfUtcDay(last.AddDays(1)));
            var opened = await cases.CountAsync(c => c.OpenedAtUtc >= start && c.OpenedAtUtc < end, cancellationToken);
            var closed = await closedCases.CountAsync(c => c.ClosedAtUtc >= start && c.ClosedAtUtc < end, cancellationToken);
            months.Add(new MonthCount(
                y,
                m,
                Figure($"opened.{y}-{m:00}", opened, within with { OpenedFrom = first, OpenedTo = last }),
                Figure($"closed.{y}-{m:00}", closed, within with { ClosedFrom = first, ClosedTo = last })));
        }

        return months;
    }

    /// <summary>
    /// Allegations by the year they were reported, split as the UN publishes them. Grouped by the indexed columns
    /// themselves (date reported, entity type), in the index's order, so SQLite counts while it reads the index instead
    /// of sorting every allegation by year first; the days are summed into years here.
    /// </summary>
    private static async Task<List<AllegationYear>> AllegationYearsAsync(
        PortalDbContext db, UserScope scope, string? country, QueueFilter within, CancellationToken cancellationToken)
    {
        var allegationGroups = (await AllegationCountsAsync(db, scope, country, cancellationToken))
            .Where(a => Enum.TryParse<AllegationEntityType>(a.EntityType, out _))
            .GroupBy(a => new { a.Year, EntityType = Enum.Parse<AllegationEntityType>(a.EntityType) })
            .Select(g => new { g.Key.Year, g.Key.EntityType, Count = g.Sum(a => a.Count) })
            .ToList();
        return allegationGroups.Select(g => g.Year).Distinct().Order()
            .Select(y => new AllegationYear(
                y,
                Figure($"allegations.{y}.missions", allegationGroups.Where(g => g.Year == y && IsMission(g.EntityType)).Sum(g => g.Count), within with { AllegationYear = y, AllegationUnMission = true }),
                Figure($"allegations.{y}.others", allegationGroups.Where(g => g.Year == y && !IsMission(g.EntityType)).Sum(g => g.Count), within with { AllegationYear = y, AllegationUnMission = false })))
            .ToList();
    }

    /// <summary>
    /// The allegation counts by country, year and entity type the database keeps with every change to a case
    /// (<see cref="AllegationYearCounts"/>): a few hundred rows where counting read every allegation ever reported.
    /// Narrowed here to the viewer's countries and the chosen one, as every other figure is.
    /// </summary>
    private static async Task<List<AllegationYearCounts.Row>> AllegationCountsAsync(PortalDbContext db, UserScope scope, string? country, CancellationToken cancellationToken) =>
        (await AllegationYearCounts.ReadAsync(db, cancellationToken)).AsQueryable()
            .InScope(scope, a => a.CountryCode)
            .Where(a => country == null || a.CountryCode == country)
            .ToList();

    private static bool IsMission(AllegationEntityType type) =>
        type is AllegationEntityType.PeacekeepingMission or AllegationEntityType.SpecialPoliticalMission;

    private static LinkedFigure Figure(string key, int cases, QueueFilter filter) => new(key, cases, cases, filter);

    /// <summary>How many rows, and how many cases they belong to, from one read of their case ids.</summary>
    private static async Task<(int Count, int Cases)> CountWithCasesAsync(IQueryable<Guid> caseIds, CancellationToken cancellationToken)
    {
        var tally = new Tally();
        await foreach (var id in caseIds.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            tally.Add(id);
        }

        return (tally.Count, tally.Cases.Count);
    }

    /// <summary>Rows counted, and the distinct cases they belong to.</summary>
    private sealed class Tally
    {
        public int Count { get; private set; }

        public HashSet<Guid> Cases { get; } = [];

        public void Add(Guid caseId)
        {
            Count++;
            Cases.Add(caseId);
        }
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count); null for no values.</summary>
    internal static TimeSpan? Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        Array.Sort(sorted);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : TimeSpan.FromTicks((sorted[middle - 1].Ticks + sorted[middle].Ticks) / 2);
    }
}
