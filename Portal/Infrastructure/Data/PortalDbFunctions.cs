using Microsoft.EntityFrameworkCore;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Database functions for queries. Each engine names its own: the model is built once per context type, and each engine
/// has its own (see <see cref="PostgresPortalDbContext"/>), so a query written once runs on both.
/// </summary>
public static class PortalDbFunctions
{
    /// <summary>The PostgreSQL function behind <see cref="Days"/>; created on start-up (see DataExtensions).</summary>
    internal const string PostgresDaysFunction =
        """
        CREATE OR REPLACE FUNCTION "portal_days"(timestamptz) RETURNS double precision
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT extract(epoch FROM $1)::double precision / 86400 $$;
        """;

    /// <summary>
    /// A moment as days since a fixed origin (SQLite: the Julian day; PostgreSQL: days since 1970), so the difference of
    /// two is the time between them, in days, worked out by the database. Reading both dates instead costs a text
    /// parse each on SQLite, most of a median's time at a million cases (BENCHMARKS.md, dashboard).
    /// </summary>
    public static double Days(DateTime moment) => throw new InvalidOperationException($"{nameof(Days)} runs only inside a query.");

    /// <summary>A difference of two <see cref="Days"/>, to the millisecond.</summary>
    public static TimeSpan ToTimeSpan(double days) => TimeSpan.FromMilliseconds(Math.Round(days * TimeSpan.MillisecondsPerDay));

    internal static void Map(ModelBuilder builder, bool sqlite) =>
        builder.HasDbFunction(typeof(PortalDbFunctions).GetMethod(nameof(Days))!).HasName(sqlite ? "julianday" : "portal_days");
}
