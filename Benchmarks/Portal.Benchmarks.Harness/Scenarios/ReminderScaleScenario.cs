using System.Globalization;
using System.Text;
using System.Text.Json;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;

namespace Portal.Benchmarks.Scenarios;

/// <summary>One reminder run: two scans at once on the loaded file, every delivery job the Hangfire server ran, and the counts that prove exactly once.</summary>
/// <param name="Storage">Hangfire's job storage (<c>Portal:Jobs:Storage</c>): Sqlite or InMemory.</param>
/// <param name="Workers">Hangfire workers (<c>Portal:Jobs:WorkerCount</c>).</param>
/// <param name="DueReferrals">Referrals arranged to fall due in the scan window.</param>
/// <param name="ScanMs">Both concurrent scans planned and queued their deliveries (the slower of the two).</param>
/// <param name="PlanMs">Each concurrent scan's planning (queries, notifications committed), in the order they started.</param>
/// <param name="DispatchMs">Each concurrent scan's dispatch (pending notifications marked, one Hangfire job each).</param>
/// <param name="AllEmailsMs">From the start of the scans until the last expected .eml file was in the pickup folder.</param>
/// <param name="DoneMs">From the start of the scans until Hangfire had no job enqueued or processing (every delivery, duplicates included).</param>
/// <param name="Planned">Notifications each concurrent scan planned (one plans them, the other finds the keys taken).</param>
/// <param name="JobsQueued">Deliveries queued (the notifications' dispatch counts added up: more than the notifications when both scans queued some of the same).</param>
/// <param name="EmailFiles">.eml files in the pickup folder at the end.</param>
/// <param name="EmailSends">Calls to the e-mail transport.</param>
/// <param name="DuplicateSends">Calls beyond the first for the same delivery key (an e-mail handed over twice).</param>
/// <param name="DuplicateNotifications">Notifications beyond the first for the same kind, subject, recipient and channel.</param>
/// <param name="DueEmailed">Arranged referrals whose advocate got exactly one e-mail about them.</param>
/// <param name="RescanPlanned">What a third scan, after delivery, planned again (0 expected).</param>
/// <param name="RescanDispatched">What the third scan queued again (0 expected).</param>
/// <param name="OtherNotifications">Notifications about anything but the arranged referrals (0 expected: nothing else is due in the window).</param>
/// <param name="TimedOut">The scans and deliveries did not all finish within <paramref name="LimitSeconds"/>; the run was stopped there.</param>
/// <param name="EmailsWithinLimit">.eml files in the folder when every delivery had finished, or when the run was stopped.</param>
public sealed record ReminderRun(
    string Storage,
    int Workers,
    int DueReferrals,
    long ReferralsInFile,
    double ScanMs,
    IReadOnlyList<double> PlanMs,
    IReadOnlyList<double> DispatchMs,
    double AllEmailsMs,
    double DoneMs,
    IReadOnlyList<int> Planned,
    int JobsQueued,
    int Notifications,
    int InAppDelivered,
    int EmailDelivered,
    int Skipped,
    int StillPending,
    int EmailFiles,
    int EmailSends,
    int DuplicateSends,
    int DuplicateNotifications,
    int DueEmailed,
    int RescanPlanned,
    int RescanDispatched,
    int OtherNotifications,
    bool TimedOut,
    int EmailsWithinLimit,
    double LimitSeconds,
    int WarmUpPlanned = 0,
    double WarmUpMs = double.NaN)
{
    public int ExpectedEmails => DueReferrals;

    public bool ExactlyOnce => !TimedOut && DuplicateSends == 0 && DuplicateNotifications == 0 && EmailFiles == DueReferrals && DueEmailed == DueReferrals
                               && InAppDelivered == DueReferrals && RescanPlanned == 0 && RescanDispatched == 0;
}

/// <summary>
/// Scenario 5: reminders at scale. Referrals bulk-loaded into a migrated portal file (<c>--referrals</c>), some of them
/// (<c>--due</c>) arranged to fall due in the last hour; the portal's own ReminderScanner, NotificationOutbox and DeliveryJob run
/// in-process (the Portal.Benchmarks.Queues program, <c>reminders</c> verb) with a Hangfire server on SQLite or
/// in-memory job storage, e-mail to the pickup folder.
/// </summary>
public static class ReminderScaleScenario
{
    public const double GoalSeconds = 10;

    public static readonly string[] Storages = ["Sqlite", "InMemory"];

    /// <summary>
    /// The scan's moment: a Wednesday at 14:00 UTC at least 60 days ahead (inside office hours in every demo advocate's
    /// zone, Port-au-Prince to Juba, so no reminder waits for the morning; far from the demo data's own deadlines).
    /// </summary>
    public static DateTime ScanMoment(DateTime realNowUtc)
    {
        var day = realNowUtc.Date.AddDays(60);
        while (day.DayOfWeek != DayOfWeek.Wednesday)
        {
            day = day.AddDays(1);
        }

        return DateTime.SpecifyKind(day.AddHours(14), DateTimeKind.Utc);
    }

    /// <summary>How long before the scan moment the loaded data's "now" is: its follow-ups (due up to 30 days after) and their escalations all end before the window.</summary>
    public static readonly TimeSpan LoadBeforeScan = TimeSpan.FromDays(45);

    /// <summary>The last scan ran this long before (the window the arranged referrals fall due in).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>Runs the in-process reminder program (built next to this one) once per storage, each in its own process.</summary>
    public static async Task<ReminderRun> MeasureAsync(string dataDirectory, string storage, DateTime scanAtUtc, int due, TimeSpan limit, Action<string> log)
    {
        var output = Path.Combine(dataDirectory, $"reminders-{storage}.json");
        await InProcessProgram.RunAsync(
            [
                "reminders", dataDirectory, output, "--storage", storage, "--due", due.ToString(CultureInfo.InvariantCulture),
                "--scan-at", scanAtUtc.ToString("O", CultureInfo.InvariantCulture), "--timeout", ((int)limit.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ],
            line => log("reminders: " + line));
        await using var file = File.OpenRead(output);
        return await JsonSerializer.DeserializeAsync<ReminderRun>(file, QueueScaleScenario.Json) ?? throw new InvalidOperationException("No reminder result.");
    }

    public static ScenarioReport Report(IReadOnlyList<ReminderRun> runs, BulkLoadResult? load)
    {
        var figures = new StringBuilder();
        figures.AppendLine("| job storage | workers | due | scan (2 at once) | all e-mails in the folder | all jobs done | deliveries queued | e-mail files | in-app delivered | duplicate e-mails | duplicate notifications | third scan | within goal |");
        figures.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var r in runs)
        {
            var ok = r.ExactlyOnce && r.DoneMs <= GoalSeconds * 1000;
            var rescan = r.RescanPlanned < 0 ? "not run (stopped)" : $"planned {r.RescanPlanned}, queued {r.RescanDispatched}";
            figures.AppendLine(
                $"| {r.Storage} | {r.Workers} | {r.DueReferrals:N0} | {(r.TimedOut && r.Planned.Any(p => p < 0) ? "**not finished**" : Seconds(r.ScanMs))} | " +
                $"{(double.IsNaN(r.AllEmailsMs) ? $"**not reached in {r.LimitSeconds:0} s** ({r.EmailsWithinLimit:N0} by then)" : "**" + Seconds(r.AllEmailsMs) + "**")} | " +
                $"{(r.TimedOut ? $"**stopped at {r.LimitSeconds:0} s**" : Seconds(r.DoneMs))} | {r.JobsQueued:N0} | {r.EmailFiles:N0} / {r.ExpectedEmails:N0} | {r.InAppDelivered:N0} / {r.DueReferrals:N0} | " +
                $"**{r.DuplicateSends}** | {r.DuplicateNotifications} | {rescan} | {(ok ? "yes" : "**no**")} |");
        }

        figures.AppendLine();
        foreach (var r in runs)
        {
            figures.AppendLine($"- {r.Storage}: the two concurrent scans planned {string.Join(" and ", r.Planned.Select(p => p.ToString("N0", CultureInfo.InvariantCulture)))} notifications " +
                               $"(planning {string.Join(" / ", r.PlanMs.Select(Seconds))}, queuing jobs {string.Join(" / ", r.DispatchMs.Select(d => double.IsNaN(d) ? "not finished" : Seconds(d)))}); " +
                               $"{r.Notifications:N0} notifications in all ({r.EmailDelivered:N0} e-mails delivered, {r.Skipped} skipped, {r.StillPending} still pending), " +
                               $"{r.EmailSends:N0} hand-overs to the e-mail transport, {r.DueEmailed:N0} of the {r.DueReferrals:N0} due referrals e-mailed exactly once to their advocate, " +
                               $"{r.OtherNotifications} notifications about anything else.");
        }

        var comparison = new StringBuilder();
        var sqlite = runs.FirstOrDefault(r => r.Storage == "Sqlite");
        var memory = runs.FirstOrDefault(r => r.Storage == "InMemory");
        if (sqlite is not null && memory is not null)
        {
            comparison.AppendLine($"- SQLite job storage vs in-memory job storage: {Rate(sqlite)} vs {Rate(memory)} e-mails per second, scan included " +
                                  $"(**{Format.Ratio(RatePerSecond(memory) / RatePerSecond(sqlite))}** faster in memory)" +
                                  (sqlite.TimedOut || memory.TimedOut ? "." : $"; scan + queuing {Format.Ratio(sqlite.ScanMs / memory.ScanMs)}, until every delivery job ran {Format.Ratio(sqlite.DoneMs / memory.DoneMs)}."));
        }

        foreach (var r in runs)
        {
            comparison.AppendLine(r.TimedOut
                ? $"- {r.Storage}: **not finished in {r.LimitSeconds:0} s** ({r.EmailsWithinLimit:N0} of {r.ExpectedEmails:N0} e-mails, {Rate(r)} per second; **over** the {GoalSeconds:0} s goal); " +
                  $"of what was delivered, {r.DuplicateSends} e-mails handed over twice and {r.DuplicateNotifications} duplicate notifications."
                : $"- {r.Storage}: {(r.ExactlyOnce ? "every due reminder delivered exactly once" : "**not exactly once**")}, all done in {Seconds(r.DoneMs)} " +
                  $"({(r.DoneMs <= GoalSeconds * 1000 ? "within" : "**over**")} the {GoalSeconds:0} s goal).");
        }

        foreach (var r in runs.Where(r => r.WarmUpPlanned > 0))
        {
            comparison.AppendLine($"- {r.Storage}: the warm-up before (not measured) planned and delivered {r.WarmUpPlanned:N0} notifications in {Seconds(r.WarmUpMs)}, in the cold process.");
        }

        comparison.AppendLine();
        var where = new StringBuilder();
        where.Append("Where the time goes: the scan's queries are ranges on deadline indexes (`IX_Referrals_Status_AcceptanceDueAtUtc` and the like), so what a " +
                     "scan reads grows with what fell due, not with the million referrals. It plans two notifications per due referral (in-app and e-mail) and " +
                     "stores them with one prepared INSERT in the transaction that moves the scan mark (`BulkWrite`, not one SaveChanges row at a time). " +
                     "The concurrent scan waits for that transaction (on SQLite the write transaction begins IMMEDIATE), then finds the keys " +
                     "taken and adds nothing. ");
        if (memory is not null)
        {
            where.Append($"Here planning took {Seconds(memory.PlanMs.Where(m => !double.IsNaN(m)).DefaultIfEmpty(double.NaN).Max())} with in-memory job storage. ");
        }

        where.Append("Queuing reads and marks up to 500 due notifications in one write transaction, so the two scans never queue the same one, and " +
                     "queues delivery jobs of 250 (`Portal:Reminders:DeliveriesPerJob`). A delivery job reads what its batch needs once (the notifications by id, " +
                     "their recipients and roles, cases, referrals and follow-ups), commits its in-app deliveries and skips together, writes each e-mail's .eml file " +
                     "(flushed to disk, then renamed into place), and records the e-mails in one more commit, on a SQLite file that takes one writer at a time; " +
                     "both commits are prepared UPDATEs checked against each row's concurrency token (`BulkWrite.UpdateAsync`), not a command built per row. ");
        if (memory is not null && !memory.TimedOut)
        {
            where.Append($"With in-memory storage {memory.Workers} workers handled {memory.JobsQueued:N0} queued deliveries in {Seconds(memory.DoneMs - memory.ScanMs)} after the scans. ");
        }

        if (sqlite is not null)
        {
            where.Append("With SQLite job storage each enqueue, fetch, state change and acknowledgement is also a write to a second SQLite file, shared by the " +
                         $"workers and both dispatching scans: {(sqlite.TimedOut ? $"in {sqlite.LimitSeconds:0} s the scans had not finished queuing and {sqlite.EmailsWithinLimit:N0} e-mails were out" : $"all done in {Seconds(sqlite.DoneMs)}")}. ");
        }

        where.Append("Exactly-once does not depend on any of this (delivery keys, the row's concurrency token, the claim before an SMTP hand-over, " +
                     "one file per key in the pickup folder), as the duplicate columns show.");
        comparison.AppendLine(where.ToString());

        var loadText = load is null
            ? string.Empty
            : $" Loading took {load.Elapsed.TotalMinutes:0.0} min ({load.Cases:N0} cases, {load.Referrals:N0} referrals, {load.FollowUps:N0} follow-ups; the file is {Format.Mb(load.FileBytes)}).";
        var summaryTable = new StringBuilder();
        summaryTable.AppendLine("| job storage | due reminders | all e-mails in the folder | duplicate e-mails | duplicate notifications | within goal |");
        summaryTable.AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var r in runs)
        {
            summaryTable.AppendLine($"| {r.Storage} | {r.DueReferrals:N0} | {(double.IsNaN(r.AllEmailsMs) ? $"**not reached in {r.LimitSeconds:0} s**" : Seconds(r.AllEmailsMs))} | " +
                                    $"{r.DuplicateSends} | {r.DuplicateNotifications} | {(r.ExactlyOnce && r.DoneMs <= GoalSeconds * 1000 ? "yes" : "**no**")} |");
        }

        var met = runs.Count(r => r.ExactlyOnce && !r.TimedOut && r.DoneMs <= GoalSeconds * 1000);
        var summary = new ScenarioSummary(
            $"Reminders never go missing or double, however many referrals there are: every due reminder delivered exactly once, all within {GoalSeconds:0} s " +
            $"of the scan's start, with two scans started at once{(load is null ? string.Empty : $", among {load.Referrals:N0} referrals")}.",
            summaryTable.ToString(),
            runs.Count == 0
                ? "Nothing was measured in this run."
                : $"{(met == runs.Count ? "Met" : "**Not met**")} on {met} of {runs.Count} job storages" +
                  (runs.Any(r => !r.TimedOut) ? $": all done in {string.Join(" and ", runs.Where(r => !r.TimedOut).Select(r => $"{Seconds(r.DoneMs)} ({r.Storage})"))}" : string.Empty) +
                  $"; {runs.Sum(r => r.DuplicateSends)} e-mails handed over twice, {runs.Sum(r => r.DuplicateNotifications)} duplicate notifications.");
        return new ScenarioReport(
            "5. Reminders at scale",
            summary,
            "The portal is started once on a fresh data folder (migrations, demo accounts), stopped, and bulk-loaded (`PortalDatabase.BulkLoadAsync`, three referrals per case, " +
            "its \"now\" 45 days before the scan, so none of its own deadlines or escalations falls in the scan's window); then " +
            "`PortalDatabase.ArrangeDueReferralsAsync` moves the acceptance deadline of sent referrals of open cases with an active advocate into the hour before the scan. " +
            "The last scan is recorded an hour before (`ReminderScanState`); the scan runs at a Wednesday 14:00 UTC, inside every demo advocate's office hours, " +
            "so each due referral is one reminder to its advocate, delivered at once, in-app and by e-mail." + loadText +
            " Then `Benchmarks/Portal.Benchmarks.Queues` (`reminders` verb) builds the portal's own services in-process on that file (the same registrations as " +
            "`Portal/Program.cs`, no HTTP pipeline) with a Hangfire server of the default worker count, the recurring scan off, e-mail to the pickup folder. " +
            "It starts **two `ReminderScanner.RunAsync` at once** (as two nodes without the scan lock would: both plan, both queue jobs), then waits until every .eml file is in the pickup " +
            "folder and Hangfire has nothing enqueued or processing, then scans a third time. The e-mail transport is wrapped to count hand-overs per delivery key. " +
            "Once per job storage (`Portal:Jobs:Storage` Sqlite, then InMemory), each in a fresh process on the same file, notifications and scan state reset in between. " +
            "A portal node has been running for a while when reminders fall due, and a fresh .NET process spends its first seconds compiling (tiered JIT with " +
            "profiling) on the same 2 cores, so each process first runs the same work unmeasured: a scan half an hour earlier (about half the due referrals), " +
            "its deliveries, then notifications, scan state and pickup folder reset. " +
            "A run that has not finished (both scans and every delivery) after 4 minutes is stopped there (cancelled scans, Hangfire server stopped) and reported with what it delivered by then. " +
            $"Goal: every due reminder delivered exactly once, all within {GoalSeconds:0} s of the scan's start.",
            figures.ToString(),
            comparison.ToString(),
            "`./bench.sh --only reminders` (`--referrals N --due N` for other sizes).");

        static string Seconds(double ms) => (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s";

        static double RatePerSecond(ReminderRun r) => r.TimedOut ? r.EmailsWithinLimit / r.LimitSeconds : r.EmailFiles / (r.DoneMs / 1000);

        static string Rate(ReminderRun r) => RatePerSecond(r).ToString(RatePerSecond(r) < 100 ? "0.0" : "N0", CultureInfo.InvariantCulture);
    }
}
