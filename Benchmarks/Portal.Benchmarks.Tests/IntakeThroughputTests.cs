using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;
using Portal.Benchmarks.Scenarios;

namespace Portal.Benchmarks.Tests;

/// <summary>Scenario 6 tiny: the portal as its own process, a few dozen real submissions with solved proofs of work.</summary>
public sealed class IntakeThroughputTests
{
    [Fact]
    public async Task Submissions_with_solved_proofs_of_work_are_accepted_and_every_one_is_in_the_file_after_the_portal_stops()
    {
        const int Forms = 30;
        var data = ServerProcess.NewDataDirectory();
        try
        {
            var portal = await ServerProcess.StartPortalAsync(RepositoryPaths.Configuration, IntakeThroughputScenario.PortalSettings(10_000, difficulty: 8), data);
            IntakeRun run;
            await using (portal)
            {
                run = await IntakeThroughputScenario.RunAsync(portal.BaseUri, portal.ProcessId, data, "test", 10_000, 8, Forms, [1, 3], TimeSpan.FromSeconds(1), _ => { });
                await portal.StopAsync();
            }

            run = run with { Durable = await IntakeThroughputScenario.CountSubmissionsAsync(data) - run.SubmissionsBefore };

            var file = Assert.Single(run.Sides, s => s.Name.StartsWith("bare static", StringComparison.Ordinal));
            Assert.True(file.Ok > 0 && file.Failures.Count == 0);
            var page = Assert.Single(run.Sides, s => s.Name.StartsWith("form page", StringComparison.Ordinal));
            Assert.Equal(Forms, page.Ok);
            var posts = run.Sides.Where(s => s.Name.StartsWith("submission", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, posts.Count);
            Assert.All(posts, s => Assert.Empty(s.Failures));
            Assert.True(posts.Sum(s => s.Ok) > 0);
            Assert.Equal(posts.Sum(s => s.Ok) + 1, run.Accepted); // and the warm-up
            Assert.Equal(run.Accepted, run.Durable);

            // The portal's own CPU is read for every side that answered, and a submission costs it at least its passphrase hash
            // (half of it here: the process's CPU clock is coarse). The forms can run out before the last side.
            Assert.All(run.Sides.Where(s => s.Ok > 0), s => Assert.True(s.PortalCpuMs > 0, $"{s.Name}: no portal CPU time read"));
            Assert.True(run.HashMs > 0);
            Assert.All(posts.Where(s => s.Ok > 0), s => Assert.True(s.PortalCpuMsPerRequest > run.HashMs * 0.5, $"{s.Name}: {s.PortalCpuMsPerRequest} ms of portal CPU per submission, hash {run.HashMs} ms"));

            var report = IntakeThroughputScenario.Report([run], TimeSpan.FromSeconds(1));
            Assert.Contains("submission POST /help (3 clients back to back)", report.Figures, StringComparison.Ordinal);
            Assert.Contains("of CPU per accepted submission", report.Comparison, StringComparison.Ordinal);
            Assert.Contains("| 10,000 PBKDF2 iterations (default) | 3 |", report.Summary.Figures, StringComparison.Ordinal);
            Assert.Contains($"Every accepted submission was in the database after the portal stopped ({run.Durable:N0})", report.Summary.Verdict, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // The OS cleans temp.
            }
        }
    }
}
