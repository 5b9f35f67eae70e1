using Microsoft.EntityFrameworkCore;
using Portal.Domain.Referrals;
using Portal.Features.Queues;
using Portal.Infrastructure.Data;

namespace Portal.Features.Dashboard;

/// <summary>The referral figures of a period: by type, by type and status, and the time to acceptance.</summary>
public sealed record ReferralFigures(List<ReferralTypeSummary> Types, List<ReferralCell> Cells, MedianFigure ToAcceptance);

/// <summary>
/// The referrals sent in a period, as the referral figures need them (type, status, time to acceptance), held by case.
/// Every referral figure counts referrals and the distinct cases behind them, so holding the rows by case lets the
/// figures be summed again without a set of case ids per figure, and lets one case's referrals be read again after a
/// change (<see cref="RefreshCasesAsync"/>) instead of every referral of the period: the full read is the dashboard's
/// longest (BENCHMARKS.md, queues at scale), a case's referrals a read of a few index entries.
/// </summary>
public sealed class ReferralRows
{
    /// <summary>At most this many case ids in one re-read (one SQL parameter each).</summary>
    private const int CasesPerRead = 500;

    private readonly Dictionary<Guid, Row[]> _byCase = [];

    /// <summary>How many referrals are held.</summary>
    public int Count => _byCase.Values.Sum(rows => rows.Length);

    /// <summary>Every referral of <paramref name="sent"/> (the viewer's referrals of the period), in one read.</summary>
    public static async Task<ReferralRows> ReadAsync(PortalDbContext db, IQueryable<Referral> sent, CancellationToken cancellationToken)
    {
        var rows = new ReferralRows();
        var read = new Dictionary<Guid, List<Row>>();
        await ReadIntoAsync(db, sent, read, cancellationToken);
        foreach (var (caseId, ofCase) in read)
        {
            rows._byCase[caseId] = [.. ofCase];
        }

        return rows;
    }

    /// <summary>
    /// Reads the referrals of <paramref name="caseIds"/> in <paramref name="sent"/> again and replaces what is held for
    /// those cases: a referral changed, sent into the period, or no longer visible is then as the database has it.
    /// </summary>
    /// <returns>Whether any of those cases' rows changed (most events about a case leave its referrals as they were).</returns>
    public async Task<bool> RefreshCasesAsync(PortalDbContext db, IQueryable<Referral> sent, IReadOnlyCollection<Guid> caseIds, CancellationToken cancellationToken)
    {
        var read = new Dictionary<Guid, List<Row>>();
        foreach (var chunk in caseIds.Chunk(CasesPerRead))
        {
            await ReadIntoAsync(db, OfCases(sent, chunk), read, cancellationToken);
        }

        var changed = false;
        foreach (var caseId in caseIds)
        {
            var held = _byCase.GetValueOrDefault(caseId);
            if (read.TryGetValue(caseId, out var ofCase))
            {
                changed |= held is null || !held.SequenceEqual(ofCase);
                _byCase[caseId] = [.. ofCase];
            }
            else
            {
                changed |= _byCase.Remove(caseId);
            }
        }

        return changed;
    }

    /// <summary>The referrals of some cases: SQLite seeks each case in the (case, status) index, whatever the period.</summary>
    internal static IQueryable<Referral> OfCases(IQueryable<Referral> sent, Guid[] caseIds) => sent.Where(r => caseIds.Contains(r.CaseId));

    /// <summary>The figures of the rows held; every figure links to <paramref name="sentWithin"/> narrowed to what it counts.</summary>
    public ReferralFigures Summarize(QueueFilter sentWithin)
    {
        var cells = new Dictionary<(ReferralType Type, ReferralStatus Status), Tally>();
        var ofType = new Dictionary<ReferralType, Tally>();
        var accepted = new Tally();
        var acceptanceTimes = new List<TimeSpan>();
        foreach (var rows in _byCase.Values)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                var row = rows[i];
                // A case counts once per figure: at its first row in that figure (a case has a handful of referrals).
                var (cellSeen, typeSeen, acceptedSeen) = (false, false, false);
                for (var j = 0; j < i; j++)
                {
                    var earlier = rows[j];
                    typeSeen |= earlier.Type == row.Type;
                    cellSeen |= earlier.Type == row.Type && earlier.Status == row.Status;
                    acceptedSeen |= earlier.IsAccepted;
                }

                Tally.In(cells, (row.Type, row.Status)).Add(newCase: !cellSeen);
                Tally.In(ofType, row.Type).Add(newCase: !typeSeen);
                if (row.IsAccepted)
                {
                    accepted.Add(newCase: !acceptedSeen);
                    acceptanceTimes.Add(PortalDbFunctions.ToTimeSpan(row.AcceptedAfterDays));
                }
            }
        }

        var referralCells = cells
            .OrderBy(g => g.Key.Type).ThenBy(g => g.Key.Status)
            .Select(g => new ReferralCell(g.Key.Type, g.Key.Status, new LinkedFigure(
                $"referrals.{g.Key.Type}.{g.Key.Status}", g.Value.Count, g.Value.Cases, sentWithin with { ReferralType = g.Key.Type, ReferralStatus = g.Key.Status }, FigureUnit.Referrals)))
            .ToList();
        var referralTypes = Enum.GetValues<ReferralType>()
            .Select(t =>
            {
                var type = ofType.GetValueOrDefault(t) ?? new Tally();
                return new ReferralTypeSummary(
                    t,
                    type.Count,
                    type.Count, // every referral counted here was sent in the period
                    cells.GetValueOrDefault((t, ReferralStatus.Completed))?.Count ?? 0,
                    new LinkedFigure($"referrals.{t}", type.Count, type.Cases, sentWithin with { ReferralType = t }, FigureUnit.Referrals));
            })
            .ToList();
        var toAcceptance = new MedianFigure(
            DashboardService.Median(acceptanceTimes),
            new LinkedFigure("median.acceptance", accepted.Count, accepted.Cases, sentWithin with { ReferralAccepted = true }, FigureUnit.Referrals));
        return new ReferralFigures(referralTypes, referralCells, toAcceptance);
    }

    /// <summary>
    /// One read of the covering (sent date, country, type, status, case, accepted date) index. The rows are read straight
    /// from the data reader: EF's materializer took a large share of this read's time on a big file.
    /// </summary>
    private static async Task ReadIntoAsync(PortalDbContext db, IQueryable<Referral> sent, Dictionary<Guid, List<Row>> into, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = sent.Select(r => new
        {
            r.Type,
            r.Status,
            r.CaseId,
            AcceptedAfterDays = (double?)(PortalDbFunctions.Days(r.AcceptedAtUtc!.Value) - PortalDbFunctions.Days(r.SentAtUtc!.Value)),
        }).CreateDbCommand();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var (typeAt, statusAt, caseAt, acceptedAt) = (reader.GetOrdinal("Type"), reader.GetOrdinal("Status"), reader.GetOrdinal("CaseId"), reader.GetOrdinal("AcceptedAfterDays"));
        while (await reader.ReadAsync(cancellationToken))
        {
            var caseId = reader.GetGuid(caseAt);
            if (!into.TryGetValue(caseId, out var ofCase))
            {
                into[caseId] = ofCase = new List<Row>(3);
            }

            var acceptedAfterDays = await reader.IsDBNullAsync(acceptedAt, cancellationToken) ? double.NaN : reader.GetDouble(acceptedAt);
            ofCase.Add(new Row(
                Enum.Parse<ReferralType>(reader.GetString(typeAt)),
                Enum.Parse<ReferralStatus>(reader.GetString(statusAt)),
                acceptedAfterDays));
        }
    }

    /// <param name="AcceptedAfterDays">Days from sending to acceptance; NaN when it was never accepted.</param>
    private readonly record struct Row(ReferralType Type, ReferralStatus Status, double AcceptedAfterDays)
    {
        public bool IsAccepted => !double.IsNaN(AcceptedAfterDays);
    }

    /// <summary>Referrals counted, and the distinct cases they belong to.</summary>
    private sealed class Tally
    {
        public int Count { get; private set; }

        public int Cases { get; private set; }

        public void Add(bool newCase)
        {
            Count++;
            Cases += newCase ? 1 : 0;
        }

        public static Tally In<TKey>(Dictionary<TKey, Tally> tallies, TKey key)
            where TKey : notnull
        {
            if (!tallies.TryGetValue(key, out var tally))
            {
                tallies[key] = tally = new Tally();
            }

            return tally;
        }
    }
}
