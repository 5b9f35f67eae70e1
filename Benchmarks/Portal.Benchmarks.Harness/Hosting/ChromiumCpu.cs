using System.Globalization;

namespace Portal.Benchmarks.Hosting;

/// <summary>
/// CPU time of the Chromium renderer processes this benchmark started (through Playwright's driver), from /proc: what the
/// pages and their workers computed, whatever else the machine was doing at the time.
/// </summary>
public static class ChromiumCpu
{
    /// <summary>User and system ticks of each live renderer process below this one, by process id; null without /proc.</summary>
    public static IReadOnlyDictionary<int, long>? RendererTicks()
    {
        if (!Directory.Exists("/proc/self"))
        {
            return null;
        }

        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || Stat(pid) is not { } stat)
            {
                continue;
            }

            parents[pid] = stat.Parent;
            ticks[pid] = stat.Ticks;
        }

        var self = Environment.ProcessId;
        return ticks.Where(t => IsBelow(t.Key, self, parents) && IsRenderer(t.Key)).ToDictionary();
    }

    /// <summary>
    /// CPU seconds that the renderers started after <paramref name="baseline"/> used between <paramref name="before"/> and
    /// <paramref name="after"/>. Other tests run browsers in the same process at the same time, and their renderers start,
    /// work and exit meanwhile; only the processes that were new at <paramref name="before"/> and still alive at
    /// <paramref name="after"/> belong to the measured page.
    /// </summary>
    public static double? SecondsOfNew(IReadOnlyDictionary<int, long>? baseline, IReadOnlyDictionary<int, long>? before, IReadOnlyDictionary<int, long>? after)
    {
        if (baseline is null || before is null || after is null)
        {
            return null;
        }

        var ticks = before.Keys.Where(pid => !baseline.ContainsKey(pid) && after.ContainsKey(pid)).Sum(pid => after[pid] - before[pid]);
        // USER_HZ, the unit of /proc's times, is 100 on every Linux build that matters here.
        return ticks > 0 ? ticks / 100.0 : null;
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

    private static bool IsRenderer(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("--type=renderer", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The parent and utime + stime of /proc/PID/stat (fields 4, 14 and 15; the name in field 2 may hold spaces).</summary>
    private static (int Parent, long Ticks)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null; // exited meanwhile
        }

        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
    }
}
