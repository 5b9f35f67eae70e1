using System.Globalization;
using System.Text;
using System.Text.Json;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;

namespace Portal.Benchmarks.Scenarios;

/// <summary>One SQL command a queue request ran: its time (median over the repetitions) and SQLite's query plan.</summary>
public sealed record QueueCommandTiming(string Kind, double MedianMs, IReadOnlyList<string> Plan, string Sql);

/// <summary>One queue request, repeated: what was asked, how long it took, and what SQL it ran.</summary>
/// <param name="Page">"first", "deep (offset)", "deep (keyset)" or "nav counts".</param>
/// <param name="SameRowsAsOffset">For keyset pages: whether they returned exactly the rows the offset query returned.</param>
/// <param name="TotalBeyondLimit">The queue counts no further than its limit: <paramref name="TotalRows"/> is the limit and one more.</param>
public sealed record QueueMeasurement(
    string User, string Queue, string Variant, string Page, int PageNumber, int TotalRows, double MedianMs, double MinMs, double MaxMs,
    IReadOnlyList<QueueCommandTiming> Commands, bool? SameRowsAsOffset = null, double? TimedOutAfterMs = null, bool TotalBeyondLimit = false)
{
    /// <summary>The total as the queue page shows it.</summary>
    public string TotalShown => TotalBeyondLimit
        ? "more than " + (TotalRows - 1).ToString("N0", CultureInfo.InvariantCulture)
        : TotalRows.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The median, or the timeout for a request that did not finish in time (counts as over every goal).</summary>
    public double EffectiveMs => TimedOutAfterMs ?? MedianMs;
}

public sealed record QueueScaleResult(string Label, long Cases, long Referrals, long FollowUps, IReadOnlyList<QueueMeasurement> Measurements);

/// <summary>One thing the real portal did on the loaded file: a short label and figure for the summary, a sentence for the detail.</summary>
public sealed record PortalObservation(string What, string Figure, string Detail);

/// <summary>
/// Scenario 4: every built-in queue on a large SQLite file (<c>--cases</c>, three referrals per case). The data is
/// bulk-loaded by <see cref="PortalDatabase"/> into a file the portal migrated; the queries run in-process through
/// the portal's own QueueService (the Portal.Benchmarks.Queues program, which references the portal) and come back
/// as JSON, so this program need not reference the portal's web project.
/// </summary>
public static class QueueScaleScenario
{
    public const int PageSize = 25;
    public const double GoalMs = 50;
    public const double GoalDeepRatio = 1.5;
    public const double GoalDashboardMs = 200;

    /// <summary>A dashboard computation (the figures or the annual summary), not a queue request.</summary>
    public static bool IsComputation(QueueMeasurement m) => m.Page is "dashboard" or "annual summary";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Runs the queue program (built next to this one) on a loaded data folder and reads its results.</summary>
    public static async Task<IReadOnlyList<QueueMeasurement>> MeasureAsync(string dataDirectory, int repeat, int deepPage, Action<string> log, string? output = null)
    {
        output ??= Path.Combine(dataDirectory, "queue-results.json");
        await InProcessProgram.RunAsync(
            [dataDirectory, output, "--repeat", repeat.ToString(CultureInfo.InvariantCulture), "--deep-page", deepPage.ToString(CultureInfo.InvariantCulture)],
            line => log("queues: " + line));
        await using var file = File.OpenRead(output);
        return await JsonSerializer.DeserializeAsync<List<QueueMeasurement>>(file, Json) ?? [];
    }

    /// <param name="portalPages">What the real portal did on the loaded file: starting, opening queue pages, updating an open dashboard.</param>
    public static ScenarioReport Report(IReadOnlyList<QueueScaleResult> results, BulkLoadResult? load, IReadOnlyList<PortalObservation>? portalPages = null)
    {
        var figures = new StringBuilder();
        if (portalPages is { Count: > 0 })
        {
            figures.AppendLine("The portal itself on the loaded file:");
            figures.AppendLine();
            foreach (var observation in portalPages)
            {
                figures.AppendLine("- " + observation.Detail);
            }

            figures.AppendLine();
        }

        foreach (var result in results)
        {
            figures.AppendLine($"**{result.Label}** ({result.Cases:N0} cases, {result.Referrals:N0} referrals, {result.FollowUps:N0} follow-ups in the file):");
            figures.AppendLine();
            figures.AppendLine("| user | queue, order, filter | rows | first page | of which count | deep page | deep, offset | deep, keyset | deep/first | within goal | without the count |");
            figures.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
            foreach (var group in result.Measurements.Where(m => m.Page != "nav counts" && !IsComputation(m)).GroupBy(m => (m.User, m.Queue, m.Variant)))
            {
                var first = group.FirstOrDefault(m => m.Page == "first");
                var offset = group.FirstOrDefault(m => m.Page == "deep (offset)");
                var keyset = group.FirstOrDefault(m => m.Page == "deep (keyset)");
                var deep = keyset ?? offset;
                var ratio = first is not null && deep is not null ? deep.EffectiveMs / first.EffectiveMs : double.NaN;
                var slowest = group.Max(m => m.EffectiveMs);
                var ok = slowest <= GoalMs && (double.IsNaN(ratio) || ratio <= GoalDeepRatio);
                var mismatch = keyset?.SameRowsAsOffset == false ? " ⚠ keyset rows differ from offset rows" : string.Empty;
                // What the page would cost if the total were known (cached): every command but the COUNT, first and deep.
                var withoutCount = new[] { first, deep }.OfType<QueueMeasurement>().Where(m => m.TimedOutAfterMs is null)
                    .Select(m => m.Commands.Where(c => c.Kind != "count").Sum(c => c.MedianMs)).DefaultIfEmpty(double.NaN).Max();
                figures.AppendLine(
                    $"| {group.Key.User} | {group.Key.Queue}{(group.Key.Variant.Length > 0 ? ", " + group.Key.Variant : string.Empty)} | {first?.TotalShown ?? "?"} | " +
                    $"{Ms(first)} | {CountMs(first)} | {(deep is null ? "—" : "p. " + (deep.PageNumber + 1).ToString("N0", CultureInfo.InvariantCulture))} | {Ms(offset)} | {Ms(keyset)}{mismatch} | " +
                    $"{Format.Ratio(ratio)} | {(ok ? "yes" : "**no**")} | {(double.IsNaN(withoutCount) ? "—" : (withoutCount <= GoalMs ? "yes" : "no") + $" ({Format.Ms(withoutCount)})")} |");
            }

            var counts = result.Measurements.Where(m => m.Page == "nav counts").ToList();
            if (counts.Count > 0)
            {
                figures.AppendLine();
                figures.AppendLine("Navigation counts (`QueueService.GetCountsAsync`: every open page's queue navigation runs it on start and after every live event in its scope):");
                figures.AppendLine();
                figures.AppendLine("| user | counts | total | slowest count |");
                figures.AppendLine("|---|---:|---:|---:|");
                foreach (var m in counts)
                {
                    var slowest = m.Commands.OrderByDescending(c => c.MedianMs).FirstOrDefault();
                    figures.AppendLine($"| {m.User} | {m.Commands.Count} | {Time(m)} | {(slowest is null || double.IsNaN(slowest.MedianMs) ? "—" : Format.Ms(slowest.MedianMs))} |");
                }
            }

            var computations = result.Measurements.Where(IsComputation).ToList();
            if (computations.Count > 0)
            {
                figures.AppendLine();
                figures.AppendLine($"Dashboard computation (`DashboardService.GetAsync`, what the /dashboard page asks for on opening and after every live event in its scope, and `GetAnnualAsync` for /reports/annual), goal ≤ {GoalDashboardMs:0} ms:");
                figures.AppendLine();
                figures.AppendLine("| user | computation | scope and period | headline | queries | slowest query | median | min | max | within goal |");
                figures.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---|");
                foreach (var m in computations)
                {
                    var slowest = m.Commands.Where(c => !double.IsNaN(c.MedianMs)).OrderByDescending(c => c.MedianMs).FirstOrDefault();
                    figures.AppendLine(
                        $"| {m.User} | {m.Queue} | {m.Variant} | {(m.TimedOutAfterMs is null ? m.TotalShown : "—")} | {m.Commands.Count} | " +
                        $"{(slowest is null ? "—" : Format.Ms(slowest.MedianMs))} | {Time(m)} | {(m.TimedOutAfterMs is null ? Format.Ms(m.MinMs) : "—")} | " +
                        $"{(m.TimedOutAfterMs is null ? Format.Ms(m.MaxMs) : "—")} | {(m.EffectiveMs <= GoalDashboardMs ? "yes" : "**no**")} |");
                }

                figures.AppendLine();
                figures.AppendLine("Headline: the open cases for the dashboard, the cases opened in the year for the annual summary. Advocates see no figures " +
                                   "(`DashboardService` refuses anyone but coordinators and administrators, audited), so there is no advocate row.");
                figures.AppendLine();
                figures.AppendLine("The figures' reads run at once, each on a connection of its own, so a computation takes less than the sum of its queries, and " +
                                   "each query is timed while the others share the two cores with it. The referral pass (every referral sent in the period, " +
                                   "read from the covering sent-date index) goes straight to the data reader rather than through EF, so it is missing from " +
                                   "the query list and its plan below; it is the longest read of the computation.");
            }

            figures.AppendLine();
        }

        var comparison = new StringBuilder();
        foreach (var result in results)
        {
            var measured = result.Measurements.Where(m => m.Page != "nav counts" && !IsComputation(m)).ToList();
            var over = measured.Where(m => m.EffectiveMs > GoalMs).ToList();
            comparison.AppendLine($"- {result.Label}: {measured.Count - over.Count} of {measured.Count} page requests within {GoalMs:0} ms" +
                                  (over.Count == 0 ? "." : $"; over: {string.Join(", ", over.OrderByDescending(m => m.EffectiveMs).Take(8).Select(m => $"{m.User} {m.Queue}{(m.Variant.Length > 0 ? " " + m.Variant : string.Empty)} {m.Page} {Time(m)}"))}{(over.Count > 8 ? ", …" : string.Empty)}."));
        }

        comparison.AppendLine();
        comparison.AppendLine("<details><summary>Where the time goes: SQL time per command (median) and SQLite's plans</summary>");
        comparison.AppendLine();
        foreach (var result in results)
        {
            comparison.AppendLine($"**{result.Label}**");
            comparison.AppendLine();
            foreach (var m in result.Measurements)
            {
                var label = IsComputation(m) ? $"{m.User} · {m.Queue} · {m.Variant}" : $"{m.User} · {m.Queue}{(m.Variant.Length > 0 ? " · " + m.Variant : string.Empty)} · {m.Page}";
                comparison.AppendLine($"- {label}{(m.PageNumber > 0 ? $" (p. {m.PageNumber + 1:N0})" : string.Empty)}: {Time(m)}");
                foreach (var c in m.Commands)
                {
                    comparison.AppendLine($"  - {c.Kind}{(double.IsNaN(c.MedianMs) ? string.Empty : " " + Format.Ms(c.MedianMs))}: `{string.Join(" · ", c.Plan)}`");
                }
            }

            comparison.AppendLine();
        }

        comparison.AppendLine("</details>");

        var loadText = load is null
            ? string.Empty
            : $" Loading took {load.Elapsed.TotalMinutes:0.0} min ({load.Cases:N0} cases, {load.Referrals:N0} referrals, {load.FollowUps:N0} follow-ups, {load.Children:N0} children, {load.PaternityClaims:N0} paternity claims; the file is {Format.Mb(load.FileBytes)}).";
        return new ScenarioReport(
            "4. Queues at scale",
            Summary(results, load, portalPages),
            "The portal is started once on a fresh data folder (it migrates and seeds the demo data and accounts), stopped, and the SQLite file " +
            "is bulk-loaded (`PortalDatabase.BulkLoadAsync`: multi-row `INSERT … SELECT` from a generated sequence in one transaction, indexes " +
            "dropped and rebuilt): cases over 2016–today in every country (older ones mostly closed, the newest still intakes), three referrals " +
            "per case and two follow-ups per open case, assigned to the demo advocates of each country; 85% of cases carry an allegation, 4% a child " +
            "born of SEA, half of those children a paternity claim." + loadText +
            $" Then the portal's own `QueueService` runs in-process against that file (`Benchmarks/Portal.Benchmarks.Queues`, the portal's data " +
            $"registration, nothing else): each request once to warm up, then repeated; the median is reported. Pages of {PageSize} rows, as the queue page asks. " +
            "\"Deep\" is page 5,000 or the queue's last page when it has fewer; *offset* asks for the page by its number (QueueService skips the earlier rows, or, for a page in the second half of the queue such as its last, reads back from the end), *keyset* seeks past the last row of " +
            "the page before (`QueueRequest.After`, what the queue page does when paging forward; only the opened-date and number orders can seek). " +
            $"Every request also counts the queue (the pager's total). Goals: ≤ {GoalMs:0} ms per page, deep/first ≤ {GoalDeepRatio:0.0}; the dashboard's figures ≤ {GoalDashboardMs:0} ms. " +
            "The advocate is `advocate.cf@example.org` (CF only), the coordinator sees every country.",
            figures.ToString(),
            comparison.ToString(),
            "`./bench.sh --only queues` (`--cases N` to load another size).");

        static string Ms(QueueMeasurement? m) => m is null ? "—" : Time(m);

        static string CountMs(QueueMeasurement? m) =>
            m?.Commands.FirstOrDefault(c => c.Kind.StartsWith("count", StringComparison.Ordinal)) is { } count
                ? double.IsNaN(count.MedianMs) ? "stopped" : Format.Ms(count.MedianMs)
                : "—";
    }

    private static ScenarioSummary Summary(IReadOnlyList<QueueScaleResult> results, BulkLoadResult? load, IReadOnlyList<PortalObservation>? portalPages)
    {
        var table = new StringBuilder();
        if (portalPages is { Count: > 0 })
        {
            table.AppendLine("| the real portal on the loaded file | time |");
            table.AppendLine("|---|---:|");
            foreach (var observation in portalPages)
            {
                table.AppendLine($"| {observation.What} | {observation.Figure} |");
            }

            table.AppendLine();
        }

        var all = results.SelectMany(r => r.Measurements).ToList();
        var requests = all.Where(m => m.Page != "nav counts" && !IsComputation(m)).ToList();
        var over = requests.Where(m => m.EffectiveMs > GoalMs).ToList();
        var counts = all.Where(m => m.Page == "nav counts").ToList();
        var computations = all.Where(IsComputation).ToList();
        if (requests.Count > 0)
        {
            table.AppendLine($"| QueueService, in-process | requests | within {GoalMs:0} ms | slowest |");
            table.AppendLine("|---|---:|---:|---|");
            foreach (var user in requests.GroupBy(m => m.User))
            {
                var slowest = user.MaxBy(m => m.EffectiveMs)!;
                table.AppendLine($"| {user.Key}: queue pages | {user.Count()} | {user.Count(m => m.EffectiveMs <= GoalMs)} | {Time(slowest)} ({Queue(slowest)}, {slowest.Page}) |");
            }

            foreach (var m in counts)
            {
                table.AppendLine($"| {m.User}: navigation counts | 1 | {(m.EffectiveMs <= GoalMs ? 1 : 0)} | {Time(m)} ({m.Commands.Count} counts) |");
            }

            table.AppendLine();
        }

        if (computations.Count > 0)
        {
            table.AppendLine($"| DashboardService, in-process | scope and period | median | within {GoalDashboardMs:0} ms |");
            table.AppendLine("|---|---|---:|---|");
            foreach (var m in computations)
            {
                table.AppendLine($"| {m.Queue} | {m.Variant} | {Time(m)} | {(m.EffectiveMs <= GoalDashboardMs ? "yes" : "**no**")} |");
            }
        }

        var verdict = new StringBuilder();
        if (requests.Count > 0)
        {
            verdict.Append($"{requests.Count - over.Count} of {requests.Count} queue page requests within {GoalMs:0} ms" +
                           (over.Count == 0
                               ? ". "
                               : $"; over it: {string.Join("; ", over.GroupBy(m => Name(m)).OrderByDescending(g => g.Max(m => m.EffectiveMs)).Take(6).Select(g => g.Key))}" +
                                 $"{(over.Select(Name).Distinct().Count() > 6 ? "; and others" : string.Empty)}. "));
        }

        if (computations.Count > 0)
        {
            var within = computations.Count(m => m.EffectiveMs <= GoalDashboardMs);
            verdict.Append($"{within} of {computations.Count} dashboard computations within {GoalDashboardMs:0} ms.");
        }

        var size = load is null ? "a bulk-loaded file" : $"{load.Cases:N0} cases and {load.Referrals:N0} referrals";
        return new ScenarioSummary(
            $"Queues and the dashboard stay fast on {size}: every queue page in ≤ {GoalMs:0} ms with a deep page no slower than {GoalDeepRatio:0.0}× the first, " +
            $"the dashboard's figures in ≤ {GoalDashboardMs:0} ms, and changes reaching open pages within a second.",
            table.ToString(),
            verdict.Length == 0 ? "Nothing was measured in this run." : verdict.ToString().Trim());

        static string Queue(QueueMeasurement m) => m.Queue + (m.Variant.Length > 0 ? ", " + m.Variant : string.Empty);

        static string Name(QueueMeasurement m) => $"{m.User}: {Queue(m)}";
    }

    private static string Time(QueueMeasurement m) =>
        m.TimedOutAfterMs is { } timeout ? $"> {timeout / 1000:0} s (stopped)" : Format.Ms(m.MedianMs);
}
