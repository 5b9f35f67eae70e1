using System.Globalization;

namespace Portal.Benchmarks.Hosting;

/// <summary>
/// CPU time of the Web Worker threads in the Chromium renderers this benchmark started (through Playwright's driver), from
/// /proc: what a worker computed, however long the machine made it wait. DevTools' CPU throttling slows a page but not its
/// workers, so a slower phone's figures scale this.
/// </summary>
public static class ChromiumCpu
{
    /// <summary>CPU time so far of each live dedicated worker thread in a renderer below this process, by "pid/tid"; empty without /proc.</summary>
    public static IReadOnlyDictionary<string, TimeSpan> WorkerThreads()
    {
        var threads = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        if (!Directory.Exists("/proc/self"))
        {
            return threads;
        }

        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Parent(pid) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        var self = Environment.ProcessId;
        foreach (var pid in parents.Keys.Where(pid => IsBelow(pid, self, parents) && IsRenderer(pid)))
        {
            foreach (var task in Read(() => Directory.GetDirectories($"/proc/{pid}/task")) ?? [])
            {
                // Chromium names each dedicated worker's thread so (the name is cut at 15 characters).
                if (Read(() => File.ReadAllText(Path.Combine(task, "comm")).Trim()) == "DedicatedWorker"
                    && Read(() => File.ReadAllText(Path.Combine(task, "schedstat"))) is { } schedstat)
                {
                    // The first field of schedstat: nanoseconds spent on a CPU.
                    var nanoseconds = long.Parse(schedstat.Split(' ')[0], CultureInfo.InvariantCulture);
                    threads[$"{pid}/{Path.GetFileName(task)}"] = TimeSpan.FromTicks(nanoseconds / 100);
                }
            }
        }

        return threads;
    }

    /// <summary>The CPU time of the one worker thread in <paramref name="after"/> that was not in <paramref name="before"/>.</summary>
    public static TimeSpan NewWorker(IReadOnlyDictionary<string, TimeSpan> before, IReadOnlyDictionary<string, TimeSpan> after)
    {
        var started = after.Where(t => !before.ContainsKey(t.Key)).ToList();
        return started.Count == 1
            ? started[0].Value
            : throw new InvalidOperationException($"Expected one new Web Worker thread in Chromium's renderers, found {started.Count} (/proc readable: {Directory.Exists("/proc/self")}).");
    }

    private static bool IsBelow(int pid, int ancestor, Dictionary<int, int> parents)
    {
        for (var current = pid; parents.TryGetValue(current, out var parent) && parent > 1; current = parent)
        {
            if (parent == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRenderer(int pid) =>
        Read(() => File.ReadAllText($"/proc/{pid}/cmdline"))?.Contains("--type=renderer", StringComparison.Ordinal) == true;

    /// <summary>The parent in /proc/PID/stat (field 4; the name in field 2 may hold spaces).</summary>
    private static int? Parent(int pid) => Read(() => File.ReadAllText($"/proc/{pid}/stat")) is { } text
        ? int.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture)
        : null;

    /// <summary>Null for a process or thread that exited meanwhile, or one this user may not read.</summary>
    private static T? Read<T>(Func<T> read) where T : class
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
