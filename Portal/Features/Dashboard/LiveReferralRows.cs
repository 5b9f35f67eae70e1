using System.Collections.Concurrent;
using Portal.Infrastructure.Live;

namespace Portal.Features.Dashboard;

/// <summary>How a view's referral rows are read and summed (closures over the viewer's scope and the period).</summary>
/// <param name="ReadAll">Every referral of the period.</param>
/// <param name="RefreshCases">Reads the referrals of some cases again into the rows given; true when any of them changed.</param>
/// <param name="Summarize">The figures of the rows.</param>
public sealed record ReferralReads(
    Func<Task<ReferralRows>> ReadAll,
    Func<ReferralRows, IReadOnlyCollection<Guid>, Task<bool>> RefreshCases,
    Func<ReferralRows, ReferralFigures> Summarize);

/// <summary>
/// The referral rows of each open dashboard view (<see cref="ReferralRows"/>), kept current by the live events so that
/// a change costs a read of its case's referrals, not of every referral of the period. Every event about a case marks
/// that case, whatever its kind and whichever feature wrote the change, and the next request for the view reads the
/// marked cases again before summing; an event without its case has the rows read in full. So the rows rely only on
/// what every open page relies on: a committed change publishes an event naming its case.
/// <para>
/// Against an event lost on the way (a Redis outage between nodes), the rows are also read in full every
/// <see cref="MaxAge"/>, in the background: the request that finds them old is still answered from the rows held
/// (current, as far as the events said), so no refresh of an open dashboard waits for that read. The cases changed
/// while it runs are read again on top of it. A view nobody asked for during <see cref="IdleLimit"/> is let go.
/// </para>
/// </summary>
internal sealed class LiveReferralRows(TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>Open dashboards refresh at least once a minute, so a view unasked for this long has no page left.</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, View> _views = new(StringComparer.Ordinal);
    private int _fullReads;
    private int _caseReads;

    /// <summary>How many times every referral of a view was read (tests).</summary>
    public int FullReads => Volatile.Read(ref _fullReads);

    /// <summary>How many times some cases' referrals were read again (tests).</summary>
    public int CaseReads => Volatile.Read(ref _caseReads);

    /// <summary>The background read started by the last request that found its rows old (tests wait for it).</summary>
    internal Task BackgroundRead { get; private set; } = Task.CompletedTask;

    /// <summary>Called for every live event, before pages hear of it (<see cref="InProcessLiveEvents.Observe"/>).</summary>
    public void Observe(LiveEvent e)
    {
        if (!DashboardPart.Referrals.MovedBy(e.Kind))
        {
            return;
        }

        foreach (var view in _views.Values)
        {
            view.Mark(e.CaseId);
        }
    }

    /// <summary>The view's figures, from rows read in full once and then only where a change was announced.</summary>
    /// <param name="key">Everything the rows depend on: the viewer's scope, the country and the period's dates.</param>
    public async Task<ReferralFigures> GetAsync(string key, ReferralReads reads)
    {
        var now = clock.GetUtcNow();
        foreach (var idle in _views.Where(v => now - v.Value.UsedAt > IdleLimit))
        {
            _views.TryRemove(idle);
        }

        var view = _views.GetOrAdd(key, _ => new View());
        view.UsedAt = now;
        await view.Gate.WaitAsync();
        try
        {
            var (readAll, changedCases, background) = view.TakeWork(now);
            if (readAll)
            {
                Interlocked.Increment(ref _fullReads);
                view.Rows = await reads.ReadAll();
                view.Figures = null;
            }
            else if (changedCases.Count > 0)
            {
                Interlocked.Increment(ref _caseReads);
                if (await reads.RefreshCases(view.Rows!, changedCases))
                {
                    view.Figures = null;
                }
            }

            if (background is not null)
            {
                BackgroundRead = ReadInBackgroundAsync(view, reads, background);
            }

            return view.Figures ??= reads.Summarize(view.Rows!);
        }
        catch
        {
            view.Mark(null); // what failed half way is read in full next time
            throw;
        }
        finally
        {
            view.Gate.Release();
        }
    }

    private async Task ReadInBackgroundAsync(View view, ReferralReads reads, HashSet<Guid> changedMeanwhile)
    {
        await Task.Yield(); // the request that started it is answered first
        try
        {
            Interlocked.Increment(ref _fullReads);
            var fresh = await reads.ReadAll();
            await view.Gate.WaitAsync();
            try
            {
                view.Replace(fresh, changedMeanwhile);
            }
            finally
            {
                view.Gate.Release();
            }
        }
        catch
        {
            view.Mark(null); // the next request reads in full, in the open, and reports what fails
        }
    }

    private sealed class View
    {
        private readonly Lock _lock = new();
        private HashSet<Guid> _changedCases = [];
        private HashSet<Guid>? _changedSinceBackgroundRead;
        private bool _readAll = true;
        private DateTimeOffset _readAt;
        private long _usedAtTicks;

        /// <summary>Held while the rows are read, patched or summed.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>When a request last asked for the view (read by other requests' eviction, so kept as one atomic value).</summary>
        public DateTimeOffset UsedAt
        {
            get => new(Interlocked.Read(ref _usedAtTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _usedAtTicks, value.UtcTicks);
        }

        public ReferralRows? Rows { get; set; }

        public ReferralFigures? Figures { get; set; }

        /// <summary>A case's referrals changed, or (null) the rows must be read in full.</summary>
        public void Mark(Guid? caseId)
        {
            lock (_lock)
            {
                if (caseId is { } id)
                {
                    _changedCases.Add(id);
                    _changedSinceBackgroundRead?.Add(id);
                }
                else
                {
                    _readAll = true;
                }
            }
        }

        /// <summary>
        /// What this request must do; the marks it takes are cleared (a mark made after this is kept for the next). When
        /// the rows are old, a background read is to start: it gets the set that collects the cases changed meanwhile.
        /// </summary>
        public (bool ReadAll, HashSet<Guid> ChangedCases, HashSet<Guid>? Background) TakeWork(DateTimeOffset now)
        {
            lock (_lock)
            {
                var changed = _changedCases;
                _changedCases = [];
                if (_readAll || Rows is null)
                {
                    // Every change marked so far committed before its event, so before this read. A background read
                    // still running started earlier: its rows are not wanted any more.
                    _readAll = false;
                    _readAt = now;
                    _changedSinceBackgroundRead = null;
                    return (true, [], null);
                }

                if (now - _readAt > MaxAge && _changedSinceBackgroundRead is null)
                {
                    _readAt = now;
                    _changedSinceBackgroundRead = [];
                    return (false, changed, _changedSinceBackgroundRead);
                }

                return (false, changed, null);
            }
        }

        /// <summary>
        /// A background read's rows replace the held ones, unless a full read made since has replaced them already;
        /// the cases changed since it started are read again on top.
        /// </summary>
        public void Replace(ReferralRows fresh, HashSet<Guid> changedMeanwhile)
        {
            lock (_lock)
            {
                if (!ReferenceEquals(_changedSinceBackgroundRead, changedMeanwhile))
                {
                    return;
                }

                _changedCases.UnionWith(changedMeanwhile);
                _changedSinceBackgroundRead = null;
            }

            Rows = fresh;
            Figures = null;
        }
    }
}
