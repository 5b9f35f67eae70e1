using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Benchmarks.Scenarios;
using Portal.Domain.Notifications;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Features.Cases;
using Portal.Features.Dashboard;
using Portal.Features.Health;
using Portal.Features.Intake;
using Portal.Features.Localization;
using Portal.Features.Referrals;
using Portal.Features.Reminders;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Jobs;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Startup;

namespace Portal.Benchmarks.Queues;

/// <summary>
/// Scenario 5's in-process half: the portal's own services (the registrations of Portal/Program.cs, no HTTP pipeline)
/// on a loaded data folder, a Hangfire server on the chosen job storage, e-mail to the pickup folder. Two scans start
/// at once; the run waits until every due reminder's e-mail is in the folder and Hangfire is idle, scans a third time,
/// and counts what was delivered, and how often.
/// </summary>
public static class ReminderScaleRunner
{
    /// <summary>The job storage file of this benchmark, apart from the portal's own <c>jobs.db</c>.</summary>
    public const string JobsFile = "bench-jobs.db";

    /// <summary>reminders DATA-FOLDER OUTPUT.json --storage Sqlite|InMemory --due N --scan-at ISO-8601 [--timeout SECONDS]</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync("Usage: Portal.Benchmarks.Queues reminders DATA-FOLDER OUTPUT.json --storage Sqlite|InMemory --due N --scan-at ISO-8601 [--timeout SECONDS]");
            return 2;
        }

        var storage = "Sqlite";
        var due = 10_000;
        var scanAt = ReminderScaleScenario.ScanMoment(DateTime.UtcNow);
        var timeout = TimeSpan.FromMinutes(15);
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--storage":
                    storage = args[++i];
                    break;
                case "--due":
                    due = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--scan-at":
                    scanAt = DateTime.Parse(args[++i], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                    break;
                case "--timeout":
                    timeout = TimeSpan.FromSeconds(int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown option '{args[i]}'.");
                    return 2;
            }
        }

        var result = await RunAsync(args[0], storage, due, scanAt, Console.WriteLine, timeout);
        await using var output = File.Create(args[1]);
        await JsonSerializer.SerializeAsync(output, result, QueueScaleScenario.Json);
        return 0;
    }

    public static async Task<ReminderRun> RunAsync(string dataDirectory, string storage, int due, DateTime scanAtUtc, Action<string> log, TimeSpan? timeout = null, int? workers = null)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(15);
        foreach (var file in Directory.EnumerateFiles(dataDirectory, JobsFile + "*"))
        {
            File.Delete(file);
        }

        var clock = new OffsetClock(scanAtUtc);
        var sends = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await using var app = BuildHost(dataDirectory, storage, clock, sends, workers);
        var factory = app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var pickup = app.Services.GetRequiredService<IOptions<EmailOptions>>().Value.ResolvePickupDirectory(dataDirectory);
        if (Directory.Exists(pickup))
        {
            Directory.Delete(pickup, recursive: true);
        }

        Directory.CreateDirectory(pickup);
        var windowFrom = scanAtUtc - ReminderScaleScenario.Window;
        long referrals;
        await ResetAsync();
        await using (var db = await factory.CreateDbContextAsync())
        {
            referrals = await db.Referrals.LongCountAsync();
        }

        var jobsOptions = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
        var scanner = app.Services.GetRequiredService<ReminderScanner>();
        var outbox = app.Services.GetRequiredService<NotificationOutbox>();
        var monitor = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await app.StartAsync();

        // A portal node has been running for a while when reminders fall due; a fresh process first compiles its code
        // (tiered JIT, with profiling) on the same cores. So the same work, smaller, runs once unmeasured: a scan
        // half an hour before the measured one (about half the due referrals), its deliveries, then everything reset.
        clock.MoveTo(scanAtUtc - ReminderScaleScenario.Window / 2);
        var warmUp = Stopwatch.StartNew();
        var warm = await ScanAsync(CancellationToken.None);
        while (Busy(monitor) > 0 && warmUp.Elapsed < limit)
        {
            await Task.Delay(100);
        }

        var warmMs = warmUp.Elapsed.TotalMilliseconds;
        log($"{storage}: warm-up (not measured): {warm.Planned:N0} notifications of the first half hour planned and delivered in {warmMs / 1000:0.0} s; reset");
        await ResetAsync();
        sends.Clear();
        clock.MoveTo(scanAtUtc);
        log($"{storage}: {referrals:N0} referrals in the file, {due:N0} due; Hangfire server with {jobsOptions.WorkerCount} workers; two scans at once");

        // Everything (both scans, every delivery) must finish within the limit; what is left then is reported as such.
        using var limitReached = new CancellationTokenSource(limit);
        var watch = Stopwatch.StartNew();
        var scans = await Task.WhenAll(Task.Run(() => ScanAsync(limitReached.Token)), Task.Run(() => ScanAsync(limitReached.Token)));
        var scanMs = watch.Elapsed.TotalMilliseconds;
        log($"{storage}: scans done in {scanMs:0} ms: planned {scans[0].Planned} and {scans[1].Planned}, queued {scans[0].Dispatched} and {scans[1].Dispatched} jobs");

        double? allEmails = null;
        double? done = null;
        var nextLog = TimeSpan.FromSeconds(10);
        var files = 0;
        while (!limitReached.IsCancellationRequested)
        {
            // Light polling: the folder until every e-mail is there, then Hangfire's monitoring (a query on SQLite storage).
            files = CountEmails(pickup);
            if (allEmails is null && files >= due)
            {
                allEmails = watch.Elapsed.TotalMilliseconds;
            }

            if (allEmails is not null && Busy(monitor) == 0)
            {
                done = watch.Elapsed.TotalMilliseconds;
                break;
            }

            if (watch.Elapsed > nextLog)
            {
                log($"{storage}: {files:N0} e-mails after {watch.Elapsed.TotalSeconds:0} s");
                nextLog += TimeSpan.FromSeconds(10);
            }

            await Task.Delay(allEmails is null ? 200 : 50);
        }

        var timedOut = done is null;
        var emailsWithinLimit = timedOut ? CountEmails(pickup) : files;
        log($"{storage}: {(timedOut ? $"stopped after {limit.TotalSeconds:0} s with {emailsWithinLimit:N0} e-mails" : $"all e-mails after {allEmails / 1000:0.00} s, every job done after {done / 1000:0.00} s")}");

        // A third scan after everything was delivered: nothing is new, nothing is queued again.
        var rescan = timedOut ? new ScanTiming(-1, -1, double.NaN, double.NaN) : await ScanAsync(CancellationToken.None);
        var settle = Stopwatch.StartNew();
        while (!timedOut && Busy(monitor) > 0 && settle.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        await app.StopAsync();

        await using var check = await factory.CreateDbContextAsync();
        var dueIds = (await check.Referrals.AsNoTracking()
                .Where(r => r.Status == ReferralStatus.Sent && r.AcceptanceDueAtUtc > windowFrom && r.AcceptanceDueAtUtc <= scanAtUtc)
                .Select(r => r.Id).ToListAsync())
            .ToHashSet();
        var notifications = await check.Notifications.AsNoTracking()
            .Select(n => new { n.Kind, n.Channel, n.Status, n.SubjectId, n.RecipientUserId, n.DeliveryKey, n.DispatchCount })
            .ToListAsync();
        var ofDue = notifications.Where(n => n.SubjectId is { } id && dueIds.Contains(id)).ToList();
        var emailedOnce = ofDue
            .Where(n => n.Channel == NotificationChannel.Email && n.Status == NotificationStatus.Delivered)
            .GroupBy(n => n.SubjectId)
            .Count(g => g.Count() == 1 && sends.GetValueOrDefault(g.Single().DeliveryKey) == 1 && File.Exists(Path.Combine(pickup, g.Single().DeliveryKey + ".eml")));
        return new ReminderRun(
            storage,
            jobsOptions.WorkerCount,
            dueIds.Count,
            referrals,
            scanMs,
            scans.Select(s => s.PlanMs).ToList(),
            scans.Select(s => s.DispatchMs).ToList(),
            allEmails ?? double.NaN,
            done ?? double.NaN,
            scans.Select(s => s.Planned).ToList(),
            notifications.Sum(n => n.DispatchCount),
            notifications.Count,
            ofDue.Count(n => n.Channel == NotificationChannel.InApp && n.Status == NotificationStatus.Delivered),
            notifications.Count(n => n.Channel == NotificationChannel.Email && n.Status == NotificationStatus.Delivered),
            notifications.Count(n => n.Status == NotificationStatus.Skipped),
            notifications.Count(n => n.Status == NotificationStatus.Pending),
            CountEmails(pickup),
            sends.Values.Sum(),
            sends.Values.Sum(v => v - 1),
            notifications.GroupBy(n => (n.Kind, n.SubjectId, n.RecipientUserId, n.Channel)).Sum(g => g.Count() - 1),
            emailedOnce,
            rescan.Planned,
            rescan.Dispatched,
            notifications.Count - ofDue.Count,
            timedOut,
            emailsWithinLimit,
            limit.TotalSeconds,
            warm.Planned,
            warmMs);

        // No notifications, the last scan an hour before the scan moment, an empty pickup folder.
        async Task ResetAsync()
        {
            await using var db = await factory.CreateDbContextAsync();
            db.ActorId = "system:benchmark";
            await db.Notifications.ExecuteDeleteAsync();
            await db.Set<ReminderScanState>().ExecuteDeleteAsync();
            db.Add(new ReminderScanState { ScannedUpToUtc = windowFrom, DigestWeekUtc = MondayOf(scanAtUtc) });
            await db.SaveChangesAsync();
            foreach (var file in Directory.EnumerateFiles(pickup, "*.eml"))
            {
                File.Delete(file);
            }
        }

        // As ReminderScanner.RunAsync does (plan, then queue what is due), timed apart.
        async Task<ScanTiming> ScanAsync(CancellationToken cancellationToken)
        {
            var timer = Stopwatch.StartNew();
            var planned = -1;
            var planMs = double.NaN;
            try
            {
                planned = await scanner.PlanAsync(cancellationToken);
                planMs = timer.Elapsed.TotalMilliseconds;
                var dispatched = await outbox.DispatchAsync(cancellationToken);
                return new ScanTiming(planned, dispatched, planMs, timer.Elapsed.TotalMilliseconds - planMs);
            }
            catch (OperationCanceledException)
            {
                return new ScanTiming(planned, -1, planMs, double.IsNaN(planMs) ? double.NaN : timer.Elapsed.TotalMilliseconds - planMs);
            }
        }
    }

    /// <summary>
    /// The portal's registrations as Portal/Program.cs makes them, on the data folder, with this run's job storage and
    /// clock, the recurring scan off, and the e-mail transport wrapped to count hand-overs per delivery key.
    /// </summary>
    public static WebApplication BuildHost(string dataDirectory, string storage, TimeProvider clock, ConcurrentDictionary<string, int> sends, int? workers = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = dataDirectory });
        builder.Configuration["Portal:DataDirectory"] = dataDirectory;
        var inMemory = string.Equals(storage, "InMemory", StringComparison.OrdinalIgnoreCase);
        builder.Configuration["Portal:Jobs:Storage"] = inMemory ? "Sqlite" : storage;
        builder.Configuration["Portal:Jobs:SqliteFile"] = JobsFile;
        if (workers is { } count)
        {
            builder.Configuration["Portal:Jobs:WorkerCount"] = count.ToString(CultureInfo.InvariantCulture);
        }

        builder.Configuration["Portal:Reminders:ScanEnabled"] = "false";
        builder.Configuration["Portal:SeedDemoData"] = "false";
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // The concurrent scans' expected collision on the delivery keys' unique index is logged by EF Core as an error; the scanner looks again.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None);
        builder.Services.AddSingleton(clock);

        builder.AddPortalServices();

        // The portal knows only durable storages; the in-memory one, for comparison, is this benchmark's own.
        if (inMemory)
        {
            builder.Services.RemoveAll<JobStorage>();
            builder.Services.AddSingleton<JobStorage>(_ => new InMemoryStorage(new InMemoryStorageOptions()));
        }

        var transport = builder.Services.Last(d => d.ServiceType == typeof(IEmailTransport));
        builder.Services.Remove(transport);
        builder.Services.AddSingleton<IEmailTransport>(sp => new CountingTransport(
            transport.ImplementationFactory is { } create ? (IEmailTransport)create(sp) : (IEmailTransport)ActivatorUtilities.CreateInstance(sp, transport.ImplementationType!),
            sends));
        return builder.Build();
    }

    private static long Busy(Hangfire.Storage.IMonitoringApi monitor) =>
        monitor.EnqueuedCount("default") + monitor.ProcessingCount() + monitor.ScheduledCount();

    private static int CountEmails(string pickup) => Directory.EnumerateFiles(pickup, "*.eml").Count();

    private static DateTime MondayOf(DateTime utc)
    {
        var date = DateOnly.FromDateTime(utc);
        var monday = date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
        return DateTime.SpecifyKind(monday.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc);
    }

    private sealed record ScanTiming(int Planned, int Dispatched, double PlanMs, double DispatchMs);

    /// <summary>Real time, moved so that it reads <c>start</c> now (and again when moved).</summary>
    private sealed class OffsetClock : TimeProvider
    {
        private TimeSpan _offset;

        public OffsetClock(DateTime start) => MoveTo(start);

        public void MoveTo(DateTime start) =>
            _offset = new DateTimeOffset(DateTime.SpecifyKind(start, DateTimeKind.Utc)) - TimeProvider.System.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + _offset;
    }

    private sealed class CountingTransport(IEmailTransport inner, ConcurrentDictionary<string, int> sends) : IEmailTransport
    {
        public bool IgnoresRepeats => inner.IgnoresRepeats;

        public Task SendAsync(MimeMessage message, string deliveryKey, CancellationToken cancellationToken = default)
        {
            sends.AddOrUpdate(deliveryKey, 1, (_, n) => n + 1);
            return inner.SendAsync(message, deliveryKey, cancellationToken);
        }
    }
}
