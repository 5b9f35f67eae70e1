using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Benchmarks.Scenarios;
using Portal.Domain.Cases;
using Portal.Domain.Referrals;
using Portal.Features.Queues;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Benchmarks.Queues;

/// <summary>A user the queues are measured for, with a filter that suits their countries.</summary>
public sealed record QueueUser(string Label, UserScope Scope, string FilterCountry);

/// <summary>
/// Calls the portal's QueueService the way the queue page does (first page, paging forward with the keyset, the
/// navigation counts) for each user and queue, times every call and the SQL commands inside it, and asks SQLite
/// for the plan of each command.
/// </summary>
public sealed class QueueScaleRunner(QueueService queues, string databaseFile, int repeat, int deepPage, Action<string> log, TimeSpan? timeout = null)
{
    // A request slower than this is reported as such and not repeated (nor paged deeper): a plan that needs minutes
    // on the loaded file would otherwise hold the whole run.
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(20);

    public async Task<IReadOnlyList<QueueMeasurement>> RunAsync(IReadOnlyList<QueueUser> users)
    {
        using var capture = new CommandCapture(databaseFile);
        var results = new List<QueueMeasurement>();
        foreach (var user in users)
        {
            var scope = user.Scope;
            var requests = new List<(string Queue, string Variant, QueueRequest Request)>();
            foreach (var (kind, _) in QueueRoutes.BuiltIn)
            {
                if (kind == QueueKind.AwaitingClosure && !scope.IsCoordinator)
                {
                    continue; // always empty for advocates, by rule
                }

                // As the queue page asks: in the queue's own order.
                requests.Add((kind.ToString(), "", new QueueRequest(kind, QueueFilter.None)));
            }

            // Every column's order both ways, where the whole country's cases have to be put in it.
            foreach (var sort in Enum.GetValues<QueueSort>())
            {
                foreach (var descending in new[] { false, true })
                {
                    requests.Add((nameof(QueueKind.AllCases), $"by {sort}, {(descending ? "descending" : "ascending")}", new QueueRequest(QueueKind.AllCases, QueueFilter.None, sort, descending)));
                }
            }

            requests.Add((nameof(QueueKind.AllCases), $"country {user.FilterCountry} + high risk",
                new QueueRequest(QueueKind.AllCases, new QueueFilter { CountryCode = user.FilterCountry, RiskLevels = [RiskLevel.High] }, QueueSort.Opened, Descending: true)));
            requests.Add((nameof(QueueKind.AllCases), $"number search \"{user.FilterCountry}-2024\"",
                new QueueRequest(QueueKind.AllCases, new QueueFilter { NumberSearch = user.FilterCountry + "-2024" }, QueueSort.Opened, Descending: true)));
            requests.Add((nameof(QueueKind.AllCases), "number search \"0042\"",
                new QueueRequest(QueueKind.AllCases, new QueueFilter { NumberSearch = "0042" }, QueueSort.Opened, Descending: true)));
            requests.Add((nameof(QueueKind.AllCases), "legal referrals",
                new QueueRequest(QueueKind.AllCases, new QueueFilter { ReferralType = ReferralType.Legal }, QueueSort.Opened, Descending: true)));
            requests.Add((nameof(QueueKind.MyCases), "overdue only",
                new QueueRequest(QueueKind.MyCases, new QueueFilter { OverdueOnly = true }, QueueSort.Opened)));

            foreach (var (queue, variant, request) in requests)
            {
                var first = await MeasureAsync(capture, user, queue, variant, "first", request with { Page = 0, PageSize = QueueScaleScenario.PageSize });
                results.Add(first.Measurement);
                if (first.Page is null)
                {
                    log($"{user.Label} {queue} {variant}: first page timed out after {_timeout.TotalSeconds:0} s");
                    continue;
                }

                var deep = await DeepPageAsync(scope, request, first.Page.TotalCount);
                if (deep >= 1)
                {
                    var offset = await MeasureAsync(capture, user, queue, variant, "deep (offset)", request with { Page = deep, PageSize = QueueScaleScenario.PageSize });
                    results.Add(offset.Measurement);
                    if (offset.Page is not null)
                    {
                        // What the page holds when the user pages forward: the last row of the page before.
                        var before = await queues.GetPageAsync(scope, request with { Page = deep - 1, PageSize = QueueScaleScenario.PageSize });
                        var keyset = await MeasureAsync(capture, user, queue, variant, "deep (keyset)", request with { Page = deep, PageSize = QueueScaleScenario.PageSize, After = before.Rows[^1] });
                        var same = keyset.Page?.Rows.Select(r => r.CaseId).SequenceEqual(offset.Page.Rows.Select(r => r.CaseId));
                        results.Add(keyset.Measurement with { SameRowsAsOffset = same });
                    }
                }

                log($"{user.Label} {queue} {variant}: {first.Measurement.TotalShown} rows, first page {first.Measurement.MedianMs:0.0} ms" +
                    (results[^1].Page.StartsWith("deep", StringComparison.Ordinal) ? $", deep {results[^1].MedianMs:0.0} ms" : string.Empty));
            }

            results.Add(await MeasureCountsAsync(capture, user));
        }

        return results;
    }

    /// <summary>
    /// The page measured as deep: the deep page asked for, or the queue's last when it has fewer. Past the counted limit
    /// (<see cref="QueueCount"/>) the total does not say which, so pages are probed, halving the range each time.
    /// </summary>
    private async Task<int> DeepPageAsync(UserScope scope, QueueRequest request, int total)
    {
        if (!QueueCount.IsBeyondLimit(total))
        {
            return Math.Min(deepPage - 1, Math.Max(0, (total - 1) / QueueScaleScenario.PageSize));
        }

        async Task<bool> HoldsRowsAsync(int page) =>
            (await queues.GetPageAsync(scope, request with { Page = page, PageSize = QueueScaleScenario.PageSize })).Rows.Count > 0;

        // More than the limit is at least one row past it: that page holds rows.
        var withRows = QueueCount.Limit / QueueScaleScenario.PageSize;
        var asked = deepPage - 1;
        if (asked <= withRows || await HoldsRowsAsync(asked))
        {
            return asked;
        }

        var withoutRows = asked;
        while (withoutRows - withRows > 1)
        {
            var middle = (withRows + withoutRows) / 2;
            if (await HoldsRowsAsync(middle))
            {
                withRows = middle;
            }
            else
            {
                withoutRows = middle;
            }
        }

        return withRows;
    }

    /// <summary>
    /// Times one computation that is not a queue page (the dashboard's figures, the annual summary), the same way:
    /// warm-up, then the median of the repetitions, with the SQL commands inside it and their plans.
    /// </summary>
    /// <param name="call">Returns a headline number for the report (the open cases, the cases opened in the year).</param>
    public async Task<QueueMeasurement> MeasureComputationAsync(string user, string what, string variant, Func<CancellationToken, Task<int>> call)
    {
        using var capture = new CommandCapture(databaseFile);
        var headline = 0;
        var (times, commands) = await RepeatAsync(capture, async token => headline = await call(token));
        var queries = commands.Select(c => c with { Kind = c.Kind.Replace("page", "query", StringComparison.Ordinal) }).ToList();
        var measurement = times.Count == 0
            ? new QueueMeasurement(user, what, variant, what, 0, 0, double.NaN, double.NaN, double.NaN, queries, TimedOutAfterMs: _timeout.TotalMilliseconds)
            : new QueueMeasurement(user, what, variant, what, 0, headline, Median(times), times.Min(), times.Max(), queries);
        log($"{user} {what} {variant}: {(times.Count == 0 ? $"timed out after {_timeout.TotalSeconds:0} s" : $"{measurement.MedianMs:0.0} ms in {queries.Count} queries")}");
        return measurement;
    }

    private async Task<(QueueMeasurement Measurement, QueuePage? Page)> MeasureAsync(CommandCapture capture, QueueUser user, string queue, string variant, string label, QueueRequest request)
    {
        QueuePage? page = null;
        var (times, commands) = await RepeatAsync(capture, async token => page = await queues.GetPageAsync(user.Scope, request, token));
        return times.Count == 0
            ? (new QueueMeasurement(user.Label, queue, variant, label, request.Page, 0, double.NaN, double.NaN, double.NaN, commands, TimedOutAfterMs: _timeout.TotalMilliseconds), null)
            : (new QueueMeasurement(user.Label, queue, variant, label, request.Page, page!.TotalCount, Median(times), times.Min(), times.Max(), commands,
                TotalBeyondLimit: QueueCount.IsBeyondLimit(page.TotalCount)), page);
    }

    private async Task<QueueMeasurement> MeasureCountsAsync(CommandCapture capture, QueueUser user)
    {
        var (times, commands) = await RepeatAsync(capture, token => queues.GetCountsAsync(user.Scope, token));
        return times.Count == 0
            ? new QueueMeasurement(user.Label, "navigation", "", "nav counts", 0, 0, double.NaN, double.NaN, double.NaN, commands, TimedOutAfterMs: _timeout.TotalMilliseconds)
            : new QueueMeasurement(user.Label, "navigation", "", "nav counts", 0, 0, Median(times), times.Min(), times.Max(), commands);
    }

    /// <summary>Runs <paramref name="call"/> once to warm up, then <c>repeat</c> times; no times at all when the warm-up ran out of time.</summary>
    private async Task<(List<double> Times, IReadOnlyList<QueueCommandTiming> Commands)> RepeatAsync(CommandCapture capture, Func<CancellationToken, Task> call)
    {
        // Warm: JIT, EF's query cache, SQLite's page cache. Its commands still say what ran, for the plans.
        var warmup = capture.Start();
        var timedOut = false;
        // SQLite runs a statement to its end whatever the cancellation token says; sqlite3_interrupt stops it.
        using (new Timer(_ => { timedOut = true; capture.InterruptRunning(); }, null, _timeout, Timeout.InfiniteTimeSpan))
        {
            try
            {
                await call(CancellationToken.None);
            }
            catch (Exception ex) when (Volatile.Read(ref timedOut) && ex is OperationCanceledException or SqliteException or InvalidOperationException)
            {
                capture.Stop(warmup);
                var stopped = new List<QueueCommandTiming>();
                foreach (var command in warmup.Concat(capture.Unfinished()))
                {
                    stopped.Add(new QueueCommandTiming(Kind(command.Sql) + (command.Elapsed == TimeSpan.Zero ? " (stopped)" : string.Empty), command.Elapsed == TimeSpan.Zero ? double.NaN : command.Elapsed.TotalMilliseconds, await PlanAsync(command), command.Sql));
                }

                return ([], stopped);
            }
        }

        capture.Stop(warmup);
        var times = new List<double>();
        var perCommand = new List<List<CapturedCommand>>();
        for (var i = 0; i < repeat; i++)
        {
            var commands = capture.Start();
            var started = Stopwatch.GetTimestamp();
            await call(CancellationToken.None);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            perCommand.Add(capture.Stop(commands));
        }

        // Commands come in the same order every time: the n-th command's median over the repetitions.
        var shape = perCommand[0];
        var timings = new List<QueueCommandTiming>();
        for (var c = 0; c < shape.Count; c++)
        {
            var index = c;
            var ms = perCommand.Where(p => p.Count > index).Select(p => p[index].Elapsed.TotalMilliseconds).ToList();
            timings.Add(new QueueCommandTiming(Kind(shape[c].Sql), Median(ms), await PlanAsync(shape[c]), shape[c].Sql));
        }

        return (times, timings);
    }

    private static string Kind(string sql) =>
        sql.Contains("FROM \"AspNetUsers\"", StringComparison.Ordinal) ? "assignee names"
        : sql.TrimStart().StartsWith("SELECT COUNT(*)", StringComparison.OrdinalIgnoreCase) ? "count"
        : "page";

    private async Task<IReadOnlyList<string>> PlanAsync(CapturedCommand command)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Sql;
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }

        return lines;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

internal sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters, TimeSpan Elapsed);

/// <summary>
/// Times every SQL command EF Core runs, through its DiagnosticListener: from executing to the reader's disposal
/// (reading every row included) or, for scalar commands such as COUNT, to the result.
/// </summary>
internal sealed class CommandCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly IDisposable _listeners;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Dictionary<Guid, (long Started, DbCommand Command)> _started = [];
    private List<CapturedCommand>? _sink;

    // EF Core's diagnostics are process-wide: in the smoke tests other tests' databases run commands in the same
    // process, so only commands on this run's file are timed (and ever interrupted).
    private readonly string _databaseFile;

    public CommandCapture(string databaseFile)
    {
        _databaseFile = Path.GetFullPath(databaseFile);
        _listeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    private bool IsOnThisDatabase(DbCommand command) =>
        command.Connection is SqliteConnection { DataSource: { Length: > 0 } source } &&
        string.Equals(Path.GetFullPath(source), _databaseFile, StringComparison.Ordinal);

    public List<CapturedCommand> Start()
    {
        lock (_started)
        {
            _sink = [];
            return _sink;
        }
    }

    public List<CapturedCommand> Stop(List<CapturedCommand> commands)
    {
        lock (_started)
        {
            _sink = null;
            return commands;
        }
    }

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(listener.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_started)
        {
            if (_sink is null)
            {
                return;
            }

            switch (value.Value)
            {
                case CommandExecutedEventData executed when value.Key == RelationalEventId.CommandExecuted.Name:
                    if (executed.Result is not DbDataReader)
                    {
                        Finish(executed.CommandId, executed.Command, now);
                    }

                    break;
                case CommandEventData executing when value.Key == RelationalEventId.CommandExecuting.Name && IsOnThisDatabase(executing.Command):
                    _started[executing.CommandId] = (now, executing.Command);
                    break;
                case DataReaderDisposingEventData disposing when value.Key == RelationalEventId.DataReaderDisposing.Name:
                    Finish(disposing.CommandId, disposing.Command, now);
                    break;
            }
        }
    }

    private void Finish(Guid commandId, DbCommand command, long now)
    {
        if (_sink is not null && _started.Remove(commandId, out var started))
        {
            _sink.Add(new CapturedCommand(command.CommandText, ParametersOf(command), Stopwatch.GetElapsedTime(started.Started, now)));
        }
    }

    /// <summary>Interrupts every statement running now (sqlite3_interrupt on its connection): it fails with SQLITE_INTERRUPT.</summary>
    public void InterruptRunning()
    {
        lock (_started)
        {
            foreach (var (_, command) in _started.Values)
            {
                if (command.Connection is SqliteConnection { Handle: { } handle })
                {
                    SQLitePCL.raw.sqlite3_interrupt(handle);
                }
            }
        }
    }

    /// <summary>Commands that started and never finished (a request cancelled on its timeout); forgets them.</summary>
    public List<CapturedCommand> Unfinished()
    {
        lock (_started)
        {
            var unfinished = _started.Values.Select(s => new CapturedCommand(s.Command.CommandText, ParametersOf(s.Command), TimeSpan.Zero)).ToList();
            _started.Clear();
            return unfinished;
        }
    }

    private static List<(string Name, object? Value)> ParametersOf(DbCommand command) =>
        command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value is DBNull ? null : p.Value)).ToList();

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _listeners.Dispose();
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
