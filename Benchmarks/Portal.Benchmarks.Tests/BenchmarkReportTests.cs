using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;
using Portal.Benchmarks.Scenarios;

namespace Portal.Benchmarks.Tests;

/// <summary>
/// BENCHMARKS.md is a short summary; each scenario's long figures go to its own detail file. A run with <c>--only</c>
/// replaces its own sections and detail files and keeps the others.
/// </summary>
public sealed class BenchmarkReportTests
{
    private static ScenarioReport Section(string title, string headline, string figures = "Long figures.") =>
        new(title, new ScenarioSummary("The goal.", headline, "The verdict."), "The method.", figures, "The analysis.", "`./bench.sh`");

    [Fact]
    public void A_partial_run_replaces_only_its_sections_and_each_section_says_when_and_by_what_it_was_measured()
    {
        const string Old = """
            # Benchmarks

            ## 0. Driver validation

            _Measured 2026-11-29 03:01 UTC by `./bench.sh --max-circuits 1000` (a 13.5 min run)._

            Old parity figures.

            ## 4. Queues at scale

            _Measured 2026-11-29 03:01 UTC by `./bench.sh --max-circuits 1000` (a 13.5 min run)._

            Old queue figures.

            ## 5. Reminders at scale

            Old reminder figures.

            Not measured yet: hub.

            ## How to run

            Old instructions.
            """;

        var first = BenchmarkReport.Render([Section("5. Reminders at scale", "New reminder figures.")], "./bench.sh --only reminders", TimeSpan.FromMinutes(3), Old, new DateTime(2026, 11, 29, 4, 0, 0, DateTimeKind.Utc));

        Assert.Contains("Old parity figures.", first, StringComparison.Ordinal);
        Assert.Contains("Old queue figures.", first, StringComparison.Ordinal);
        Assert.Contains("New reminder figures.", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Old reminder figures.", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Old instructions.", first, StringComparison.Ordinal);
        Assert.Contains("## 4. Queues at scale\n\n_Measured 2026-11-29 03:01 UTC by `./bench.sh --max-circuits 1000`", first, StringComparison.Ordinal);
        Assert.Contains("## 5. Reminders at scale\n\n_Measured 2026-11-29 04:00 UTC by `./bench.sh --only reminders`", first, StringComparison.Ordinal);
        Assert.Contains("[Benchmarks/results/5-reminders.md](Benchmarks/results/5-reminders.md)", first, StringComparison.Ordinal);
        Assert.True(first.IndexOf("## 4.", StringComparison.Ordinal) < first.IndexOf("## 5.", StringComparison.Ordinal));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(first, "Not measured yet: "));
        Assert.Contains("Not measured yet: hub, density, latency, intake, signin", first, StringComparison.Ordinal);

        // A later partial run keeps the section the first one measured, with its own line, and replaces another.
        var second = BenchmarkReport.Render([Section("4. Queues at scale", "Newer queue figures.")], "./bench.sh --only queues", TimeSpan.FromMinutes(5), first, new DateTime(2026, 11, 30, 1, 0, 0, DateTimeKind.Utc));

        Assert.Contains("New reminder figures.", second, StringComparison.Ordinal);
        Assert.Contains("_Measured 2026-11-29 04:00 UTC by `./bench.sh --only reminders`", second, StringComparison.Ordinal);
        Assert.Contains("Newer queue figures.", second, StringComparison.Ordinal);
        Assert.DoesNotContain("Old queue figures.", second, StringComparison.Ordinal);
        Assert.Contains("Old parity figures.", second, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(second, "## 5\\. "));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(second, "## How to run"));
    }

    [Fact]
    public async Task The_long_figures_go_to_the_scenarios_detail_files_and_a_partial_run_rewrites_only_its_own()
    {
        var folder = Directory.CreateTempSubdirectory("bench-report-").FullName;
        try
        {
            var files = ReportFiles.For(Path.Combine(folder, "BENCHMARKS.md"), quick: false);
            var plans = string.Concat(Enumerable.Repeat("- a query plan line that only the detail file needs to hold\n", 2000));
            await BenchmarkReport.WriteAsync(files, [Section("4. Queues at scale", "| queue headline |", plans), Section("6. Public intake throughput", "| intake headline |")], "./bench.sh", TimeSpan.FromMinutes(60));

            var summary = await File.ReadAllTextAsync(files.Summary);
            var queues = await File.ReadAllTextAsync(Path.Combine(folder, "results", "4-queues.md"));
            Assert.Contains("| queue headline |", summary, StringComparison.Ordinal);
            Assert.DoesNotContain("a query plan line", summary, StringComparison.Ordinal);
            Assert.True(summary.Length < 5000, $"the summary holds {summary.Length} characters");
            Assert.Contains("[results/4-queues.md](results/4-queues.md)", summary, StringComparison.Ordinal);
            Assert.Contains(plans.Trim(), queues, StringComparison.Ordinal);
            Assert.Contains("The method.", queues, StringComparison.Ordinal);
            Assert.Contains("The analysis.", queues, StringComparison.Ordinal);
            Assert.Contains("[BENCHMARKS.md](../BENCHMARKS.md)", queues, StringComparison.Ordinal);

            // --only intake: the queue detail file and summary section stay as they were.
            await BenchmarkReport.WriteAsync(files, [Section("6. Public intake throughput", "| newer intake headline |", "Newer intake figures.")], "./bench.sh --only intake", TimeSpan.FromMinutes(3));

            Assert.Equal(queues, await File.ReadAllTextAsync(Path.Combine(folder, "results", "4-queues.md")));
            Assert.Contains("Newer intake figures.", await File.ReadAllTextAsync(Path.Combine(folder, "results", "6-intake.md")), StringComparison.Ordinal);
            var after = await File.ReadAllTextAsync(files.Summary);
            Assert.Contains("| queue headline |", after, StringComparison.Ordinal);
            Assert.Contains("| newer intake headline |", after, StringComparison.Ordinal);
            Assert.DoesNotContain("| intake headline |", after, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_quick_run_writes_outside_the_committed_report()
    {
        var quick = ReportFiles.For(null, quick: true);

        Assert.NotEqual(ReportFiles.Committed.Summary, quick.Summary);
        Assert.False(quick.DetailDirectory.StartsWith(ReportFiles.Committed.DetailDirectory, StringComparison.Ordinal));
        Assert.Equal(ReportFiles.Committed, ReportFiles.For(null, quick: false));
        Assert.Equal("Benchmarks/results/4-queues.md", ReportFiles.Committed.DetailLink(4));
        Assert.Equal("Benchmarks/README.md", ReportFiles.Committed.HarnessReadmeLink);
        Assert.Equal("../README.md", quick.HarnessReadmeLink);
        Assert.Contains("Benchmarks/quick/", File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".gitignore")));
    }
}
