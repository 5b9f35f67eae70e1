using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Cases;
using Portal.Domain.FollowUps;
using Portal.Domain.Notifications;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Reminders;

/// <summary>
/// A thousand due reminders on a real SQLite file, worked by a real Hangfire server with eight parallel workers in many
/// small jobs while scans run over and over, four at the same time to begin with: each reminder is delivered once, no
/// more, no less. The ten-thousand run, with the workers' throughput, is the benchmarks' (<c>./bench.sh --only
/// reminders</c>); a real crash is <see cref="CrashRecoveryTests"/>.
/// </summary>
public sealed class ExactlyOnceTests
{
    private const int Reminders = 1_000;
    private const int Cases = 100;

    [Fact]
    public async Task Due_reminders_with_parallel_workers_and_repeated_concurrent_scans_are_delivered_exactly_once()
    {
        // In memory-backed storage where the machine has it: this is about who delivers what, not about disk flushes.
        using var data = new TempDirectory("portal-exactly-once", Directory.Exists("/dev/shm") ? "/dev/shm" : null);
        await using var app = new ReminderApp(
            new DateTimeOffset(2026, 3, 3, 10, 0, 0, TimeSpan.Zero),
            new Dictionary<string, string>
            {
                ["Portal:Jobs:RunServer"] = "true",
                ["Portal:Jobs:WorkerCount"] = "8",
                ["Portal:Email:Enabled"] = "false",

                // Many batches and many small jobs: the scans' dispatches and the workers' deliveries interleave.
                ["Portal:Reminders:DispatchBatchSize"] = "100",
                ["Portal:Reminders:DeliveriesPerJob"] = "10",
            },
            data.Path);
        var advocate = await app.StaffAsync(Roles.Advocate, ["SO"], "UTC");
        await SeedAsync(app, advocate.UserId);
        var published = 0;
        using var counting = app.Service<ILiveEvents>().Subscribe(
            e => e.Kind == LiveEventKind.NotificationCreated && e.RecipientUserId == advocate.UserId,
            _ =>
            {
                Interlocked.Increment(ref published);
                return Task.CompletedTask;
            });

        // Four scans at once, then two more at once each time the deliveries are found unfinished.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(app.ScanAsync)));
        var pending = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                pending = await CountAsync(app, NotificationStatus.Pending);
                if (pending == 0 && Volatile.Read(ref published) >= Reminders)
                {
                    return true;
                }

                await Task.WhenAll(Task.Run(app.ScanAsync), Task.Run(app.ScanAsync));
                return false;
            },
            TimeSpan.FromMinutes(5),
            () => $"Deliveries stopped making progress: {pending} pending, {Volatile.Read(ref published)} told to the advocate's pages.",
            TimeSpan.FromMilliseconds(200));

        await using var db = app.NewContext();
        var delivered = await db.Notifications.Where(n => n.Status == NotificationStatus.Delivered).ToListAsync();
        Assert.Equal(Reminders, delivered.Count);
        Assert.Equal(Reminders, await db.Notifications.CountAsync());
        Assert.Equal(Reminders, delivered.Select(n => n.SubjectId).Distinct().Count());
        Assert.Equal(Reminders, await db.FollowUps.CountAsync(f => db.Notifications.Count(n => n.SubjectId == f.Id && n.Status == NotificationStatus.Delivered) == 1));
        Assert.All(delivered, n => Assert.Equal((advocate.UserId, NotificationChannel.InApp), (n.RecipientUserId, n.Channel)));
        Assert.Equal(Reminders, Volatile.Read(ref published)); // only the worker that delivered told the advocate's pages
    }

    /// <summary>Bulk inserts: cases and follow-ups in one transaction each, through the app's own model.</summary>
    private static async Task SeedAsync(ReminderApp app, string advocateId)
    {
        var caseIds = new List<Guid>();
        await using (var db = app.NewContext())
        {
            for (var i = 0; i < Cases; i++)
            {
                var survivorCase = Case.OpenFromIntake(new CaseNumber("SO", 2026, i + 1), "SO", RiskLevel.Medium, "so", null, app.Clock);
                survivorCase.Claim(advocateId, app.Clock);
                db.Add(survivorCase);
                caseIds.Add(survivorCase.Id);
            }

            await db.SaveChangesAsync();
        }

        await using (var db = app.NewContext())
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var due = new DateTime(2026, 3, 3, 9, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < Reminders; i++)
            {
                db.Add(FollowUp.CreateManual(caseIds[i % Cases], null, FollowUpKind.PsychosocialCheck, null, due.AddSeconds(-i), isUrgent: false));
            }

            await db.SaveChangesAsync();
        }
    }

    private static async Task<int> CountAsync(ReminderApp app, NotificationStatus status)
    {
        await using var db = app.NewContext();
        return await db.Notifications.CountAsync(n => n.Status == status);
    }
}
