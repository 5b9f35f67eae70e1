using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Queues;
using Portal.Benchmarks.Scenarios;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Benchmarks.Tests;

/// <summary>
/// Scenario 5 tiny: a bulk-loaded file with a few referrals due, two scans at once, the Hangfire server delivering on
/// each job storage; every due reminder must arrive exactly once. Each class has a database of its own.
/// </summary>
public sealed class ReminderScaleTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const int Due = 40;

    [Fact]
    public async Task Every_due_reminder_is_delivered_exactly_once_on_either_job_storage_and_a_third_scan_adds_nothing()
    {
        var world = new CaseWorld(database);
        await world.StaffAsync(Roles.Advocate, "CF");
        await world.StaffAsync(Roles.Advocate, "CD");
        var scanAt = ReminderScaleScenario.ScanMoment(DateTime.UtcNow);
        var load = await PortalDatabase.BulkLoadAsync(database.DataDirectory, 3000, referralsPerCase: 3, _ => { }, scanAt - ReminderScaleScenario.LoadBeforeScan, exclusive: false);
        var arranged = await PortalDatabase.ArrangeDueReferralsAsync(database.DataDirectory, Due, scanAt - ReminderScaleScenario.Window, scanAt);
        Assert.Equal(Due, arranged);

        var runs = new List<ReminderRun>();
        foreach (var storage in ReminderScaleScenario.Storages)
        {
            runs.Add(await ReminderScaleRunner.RunAsync(database.DataDirectory, storage, Due, scanAt, _ => { }, TimeSpan.FromSeconds(60)));
        }

        Assert.All(runs, run =>
        {
            Assert.False(run.TimedOut, run.Storage);
            Assert.Equal(Due, run.DueReferrals);
            Assert.Equal(9000, run.ReferralsInFile);
            Assert.Equal(Due, run.EmailFiles);
            Assert.Equal(Due, run.DueEmailed);
            Assert.Equal(Due, run.InAppDelivered);
            Assert.Equal(0, run.DuplicateSends);
            Assert.Equal(0, run.DuplicateNotifications);
            Assert.Equal(0, run.OtherNotifications);
            Assert.Equal(2 * Due, run.Planned.Sum());
            Assert.True(run.JobsQueued >= 2 * Due, $"{run.Storage}: {run.JobsQueued} jobs");
            Assert.Equal(0, run.RescanPlanned);
            Assert.Equal(0, run.RescanDispatched);
            Assert.True(run.ExactlyOnce, run.Storage);
        });

        var report = ReminderScaleScenario.Report(runs, load);
        Assert.Contains("| Sqlite |", report.Figures, StringComparison.Ordinal);
        Assert.Contains("every due reminder delivered exactly once", report.Comparison, StringComparison.Ordinal);
        Assert.Contains("| Sqlite | 40 |", report.Summary.Figures, StringComparison.Ordinal);
        Assert.Contains("0 e-mails handed over twice, 0 duplicate notifications", report.Summary.Verdict, StringComparison.Ordinal);
    }
}
