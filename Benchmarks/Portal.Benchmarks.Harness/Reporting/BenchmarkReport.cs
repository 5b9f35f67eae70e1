using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Scenarios;

namespace Portal.Benchmarks.Reporting;

/// <summary>Where a run writes: the summary (BENCHMARKS.md) and the folder of the scenarios' detail files.</summary>
public sealed record ReportFiles(string Summary, string DetailDirectory)
{
    /// <summary>BENCHMARKS.md at the repository root, the details in <c>Benchmarks/results/</c>.</summary>
    public static ReportFiles Committed { get; } = new(Path.Combine(RepositoryPaths.Root, "BENCHMARKS.md"), Path.Combine(RepositoryPaths.Root, "Benchmarks", "results"));

    /// <summary>A quick run's tiny figures: an ignored folder, so they never replace the real ones.</summary>
    public static ReportFiles Quick { get; } = new(Path.Combine(RepositoryPaths.Root, "Benchmarks", "quick", "BENCHMARKS.md"), Path.Combine(RepositoryPaths.Root, "Benchmarks", "quick", "results"));

    /// <summary><c>--output FILE</c>: that file, its details in a <c>results</c> folder beside it; otherwise as above.</summary>
    public static ReportFiles For(string? output, bool quick)
    {
        if (output is null)
        {
            return quick ? Quick : Committed;
        }

        var summary = Path.GetFullPath(output);
        return new ReportFiles(summary, Path.Combine(Path.GetDirectoryName(summary)!, "results"));
    }

    public string DetailPath(int number) => Path.Combine(DetailDirectory, BenchmarkReport.DetailFileName(number));

    /// <summary>The detail file as a link from the summary (relative, forward slashes).</summary>
    public string DetailLink(int number) => Path.GetRelativePath(Path.GetDirectoryName(Summary)!, DetailPath(number)).Replace('\\', '/');

    /// <summary>The summary as a link from a detail file.</summary>
    public string SummaryLink => Path.GetRelativePath(DetailDirectory, Summary).Replace('\\', '/');

    /// <summary>The harness's own documentation as a link from the summary.</summary>
    public string HarnessReadmeLink =>
        Path.GetRelativePath(Path.GetDirectoryName(Summary)!, Path.Combine(RepositoryPaths.Root, "Benchmarks", "README.md")).Replace('\\', '/');
}

/// <summary>
/// Writes BENCHMARKS.md, a summary a reader can take in (each scenario's goal, headline figures, verdict, how to
/// rerun), and one detail file per scenario with the method, every table and the analysis.
/// </summary>
public static class BenchmarkReport
{
    /// <summary>The scenarios by their <c>--only</c> name, and the number their section's title starts with.</summary>
    public static readonly IReadOnlyDictionary<string, string> Scenarios = new Dictionary<string, string>
    {
        ["parity"] = "0",
        ["hub"] = "1",
        ["density"] = "2",
        ["latency"] = "3",
        ["queues"] = "4",
        ["reminders"] = "5",
        ["intake"] = "6",
        ["signin"] = "7",
        ["phone"] = "8",
        ["slowlink"] = "9",
        ["retained"] = "10",
    };

    /// <summary>"4-queues.md" for section 4.</summary>
    public static string DetailFileName(int number) =>
        $"{number}-{Scenarios.Single(s => s.Value == number.ToString(CultureInfo.InvariantCulture)).Key}.md";

    /// <summary>
    /// Writes this run's detail files and the summary: the sections this run measured replace theirs, the summary's other
    /// sections and every other detail file stay as the last run that measured them left them.
    /// </summary>
    public static async Task WriteAsync(ReportFiles files, IReadOnlyList<ScenarioReport> sections, string commandLine, TimeSpan elapsed)
    {
        var now = DateTime.UtcNow;
        Directory.CreateDirectory(files.DetailDirectory);
        foreach (var section in sections)
        {
            await File.WriteAllTextAsync(files.DetailPath(NumberOf(section)), RenderDetail(section, files, commandLine, elapsed, now));
        }

        var existing = File.Exists(files.Summary) ? await File.ReadAllTextAsync(files.Summary) : null;
        await File.WriteAllTextAsync(files.Summary, Render(sections, commandLine, elapsed, existing, now, files));
    }

    /// <summary>
    /// The summary: the sections this run measured, each with a line saying when and by which command, and the numbered
    /// sections of <paramref name="existing"/> (the summary as it was) that this run did not measure, as they were.
    /// </summary>
    public static string Render(IReadOnlyList<ScenarioReport> sections, string commandLine, TimeSpan elapsed, string? existing = null, DateTime? nowUtc = null, ReportFiles? files = null)
    {
        files ??= ReportFiles.Committed;
        var now = nowUtc ?? DateTime.UtcNow;
        var blocks = new SortedDictionary<int, string>();
        foreach (var (number, block) in KeptSections(existing))
        {
            blocks[number] = block;
        }

        foreach (var section in sections)
        {
            var number = NumberOf(section);
            var block = new StringBuilder();
            block.AppendLine("## " + section.Title);
            block.AppendLine();
            block.AppendLine(MeasuredLine(commandLine, elapsed, now));
            block.AppendLine();
            block.AppendLine("**Goal.** " + section.Summary.Goal.Trim());
            block.AppendLine();
            block.AppendLine(section.Summary.Figures.Trim());
            block.AppendLine();
            block.AppendLine("**Verdict.** " + section.Summary.Verdict.Trim());
            block.AppendLine();
            block.AppendLine($"Method, every table and where the time goes: [{files.DetailLink(number)}]({files.DetailLink(number)}). Rerun: {section.Reproduce}");
            blocks[number] = block.ToString();
        }

        var md = new StringBuilder();
        md.AppendLine("# Benchmarks");
        md.AppendLine();
        md.AppendLine("Where the portal stands against its speed goals. Written by `./bench.sh` (`Benchmarks/Portal.Benchmarks`); do not edit by hand, rerun it. " +
                      "Each section gives the scenario's goal, the latest figures, the verdict, a link to its detail file (method, every table, query plans, " +
                      "where the time goes) and the command that measures it again; a run with `--only` replaces its own sections and detail files and keeps " +
                      "the others. The figures come from a shared 2-core machine on which the load generator competes with the server: compare the ratios and " +
                      $"side-by-side figures within a section rather than absolute numbers across sections. How the harness works: " +
                      $"[Benchmarks/README.md]({files.HarnessReadmeLink}).");
        md.AppendLine();
        md.AppendLine("| last run | |");
        md.AppendLine("|---|---|");
        md.AppendLine($"| date | {now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC |");
        md.AppendLine($"| command | `{commandLine}` ({elapsed.TotalMinutes:0.0} min): sections {(sections.Count == 0 ? "none" : string.Join(", ", sections.Select(NumberOf).Order()))} |");
        md.AppendLine($"| machine | {Machine()} |");
        md.AppendLine();

        foreach (var block in blocks.Values)
        {
            md.Append(block.TrimEnd()).AppendLine().AppendLine();
        }

        var missing = Scenarios.Where(s => !blocks.ContainsKey(int.Parse(s.Value, CultureInfo.InvariantCulture))).Select(s => s.Key).ToList();
        if (missing.Count > 0)
        {
            md.AppendLine(NotMeasured + string.Join(", ", missing) + " (`./bench.sh --only " + string.Join(',', missing) + "`).");
            md.AppendLine();
        }

        md.AppendLine(HowToRun.Replace("(Benchmarks/README.md)", $"({files.HarnessReadmeLink})", StringComparison.Ordinal));
        return md.ToString();
    }

    /// <summary>A scenario's detail file: the summary's parts, then the method, every table and the analysis.</summary>
    public static string RenderDetail(ScenarioReport section, ReportFiles files, string commandLine, TimeSpan elapsed, DateTime nowUtc)
    {
        var md = new StringBuilder();
        md.AppendLine("# " + section.Title);
        md.AppendLine();
        md.AppendLine($"{MeasuredLine(commandLine, elapsed, nowUtc)} Machine: {Machine()}. Written by `./bench.sh`; the summary of every scenario is " +
                      $"[BENCHMARKS.md]({files.SummaryLink}).");
        md.AppendLine();
        md.AppendLine("**Goal.** " + section.Summary.Goal.Trim());
        md.AppendLine();
        md.AppendLine("**Verdict.** " + section.Summary.Verdict.Trim());
        md.AppendLine();
        md.AppendLine("## Method");
        md.AppendLine();
        md.AppendLine(section.What.Trim());
        md.AppendLine();
        md.AppendLine("## Figures");
        md.AppendLine();
        md.AppendLine(section.Figures.Trim());
        md.AppendLine();
        if (!string.IsNullOrWhiteSpace(section.Comparison))
        {
            md.AppendLine("## Comparisons and where the time goes");
            md.AppendLine();
            md.AppendLine(section.Comparison.Trim());
            md.AppendLine();
        }

        md.AppendLine("Reproduce: " + section.Reproduce);
        return md.ToString();
    }

    /// <summary>The numbered sections of an earlier summary, each up to the next heading or the writer's closing lines.</summary>
    internal static IEnumerable<(int Number, string Block)> KeptSections(string? existing)
    {
        if (string.IsNullOrEmpty(existing))
        {
            yield break;
        }

        var lines = existing.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("## ", StringComparison.Ordinal) || SectionNumber(lines[i][3..]) is not { } number)
            {
                continue;
            }

            var block = new List<string> { lines[i] };
            var j = i + 1;
            for (; j < lines.Length && !lines[j].StartsWith("## ", StringComparison.Ordinal) && !lines[j].StartsWith(NotMeasured, StringComparison.Ordinal); j++)
            {
                block.Add(lines[j]);
            }

            i = j - 1;
            yield return (number, string.Join('\n', block).TrimEnd() + "\n\n");
        }
    }

    private const string NotMeasured = "Not measured yet: ";

    private static string MeasuredLine(string commandLine, TimeSpan elapsed, DateTime now) =>
        $"_Measured {now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC by `{commandLine}` (a {elapsed.TotalMinutes:0.0} min run)._";

    private static int NumberOf(ScenarioReport section) =>
        SectionNumber(section.Title) ?? throw new ArgumentException($"A section title starts with its number: {section.Title}");

    private static int? SectionNumber(string title)
    {
        var dot = title.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && int.TryParse(title.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    private static string Machine() =>
        $"{Environment.ProcessorCount} cores ({CpuModel()}), {Format.Mb(TotalMemoryBytes())} memory, {RuntimeInformation.OSDescription}; " +
        $"{RuntimeInformation.FrameworkDescription}, portal and baselines in Release, Development environment, log level Warning";

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static long TotalMemoryBytes()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line["MemTotal:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
    }

    private const string HowToRun = """
        ## How to run

        ```bash
        ./bench.sh                               # every scenario at full size (about an hour on 2 busy cores)
        ./bench.sh --only parity,latency         # some scenarios: parity, hub, density, latency, queues, reminders, intake, signin, phone, slowlink, retained
        ./bench.sh --max-circuits 1000           # circuit density also at 1000 circuits
        ./bench.sh --only queues --cases 200000  # queues on another size
        ./bench.sh --quick                       # tiny sizes, short runs: checks the harness in about a minute
        ```

        `bench.sh` builds the solution in Release and runs `Portal.Benchmarks run` with the same arguments. Every server under test
        runs as its own process on a fresh data folder and a free loopback port; the load comes from the benchmark program's headless
        circuit driver. `--quick` writes to `Benchmarks/quick/` (ignored by git), never over these figures; `--output FILE` writes FILE
        and its details in a `results` folder beside it. All options, the driver and how memory is read: [Benchmarks/README.md](Benchmarks/README.md).
        """;
}
