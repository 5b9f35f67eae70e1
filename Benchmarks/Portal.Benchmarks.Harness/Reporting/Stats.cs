using System.Globalization;

namespace Portal.Benchmarks.Reporting;

/// <summary>Percentiles of a set of durations, in milliseconds.</summary>
public sealed record LatencySummary(int Count, double P50, double P95, double P99, double Max)
{
    public static LatencySummary Of(IEnumerable<TimeSpan> samples)
    {
        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        if (sorted.Length == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        return new LatencySummary(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99), sorted[^1]);
    }

    /// <summary>Nearest-rank percentile of an ascending array.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

public static class Format
{
    public static string Ms(double value) => double.IsNaN(value) ? "n/a" : value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Ratio(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "n/a" : value.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    public static string Kb(double bytes) => (bytes / 1024).ToString("0", CultureInfo.InvariantCulture) + " KB";

    public static string Mb(double bytes) => (bytes / (1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
