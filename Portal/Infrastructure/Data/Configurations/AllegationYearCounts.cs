using Microsoft.EntityFrameworkCore;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// Allegations counted by country, year reported and entity type, kept by the database with triggers on the cases in
/// the same transaction as the change (as <see cref="CaseSortKeys"/> are), so the dashboard's allegations by year and
/// the annual summary read a few hundred rows instead of every allegation ever reported. Made on start-up, where the
/// regenerated "Initial" migration cannot lose it; worked out from the cases once when its triggers were missing.
/// </summary>
public static class AllegationYearCounts
{
    public const string Table = "AllegationYearCounts";

    /// <summary>The name of a trigger each engine's set has; when it is missing, the counts are worked out from scratch.</summary>
    public const string MarkerTrigger = "Cases_AllegationYearCounts";

    public sealed class Row
    {
        public string CountryCode { get; init; } = "";

        public int Year { get; init; }

        public string EntityType { get; init; } = "";

        public int Count { get; init; }
    }

    /// <summary>Every count (countries × years × entity types: a few hundred rows); the caller narrows them to the viewer's scope.</summary>
    public static Task<List<Row>> ReadAsync(PortalDbContext db, CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<Row>($"""SELECT "CountryCode", "Year", "EntityType", "Count" FROM "{Table}" WHERE "Count" > 0""").ToListAsync(cancellationToken);

    private const string CreateTable =
        $"""
        CREATE TABLE IF NOT EXISTS "{Table}" (
            "CountryCode" TEXT NOT NULL, "Year" INTEGER NOT NULL, "EntityType" TEXT NOT NULL, "Count" INTEGER NOT NULL,
            PRIMARY KEY ("CountryCode", "Year", "EntityType"));
        """;

    // One count up (sign 1) or down (sign -1) for a case's allegation, when it has a reported date.
    private static string Move(string row, int sign, string year) =>
        $"""
        INSERT INTO "{Table}" ("CountryCode", "Year", "EntityType", "Count")
        SELECT {row}."CountryCode", {year}, coalesce({row}."Allegation_EntityType", ''), {sign}
        WHERE {row}."Allegation_DateReported" IS NOT NULL
        ON CONFLICT ("CountryCode", "Year", "EntityType") DO UPDATE SET "Count" = "{Table}"."Count" + {sign};
        """;

    private static string Recompute(string year) =>
        $"""
        DELETE FROM "{Table}";
        INSERT INTO "{Table}" ("CountryCode", "Year", "EntityType", "Count")
        SELECT c."CountryCode", {year}, coalesce(c."Allegation_EntityType", ''), count(*)
        FROM "Cases" c WHERE c."Allegation_DateReported" IS NOT NULL
        GROUP BY c."CountryCode", {year}, coalesce(c."Allegation_EntityType", '');
        """;

    private static string SqliteYear(string row) => $"""CAST(substr({row}."Allegation_DateReported", 1, 4) AS INTEGER)""";

    private static string PostgresYear(string row) => $"""CAST(EXTRACT(YEAR FROM {row}."Allegation_DateReported") AS integer)""";

    public static readonly string SqliteCreate = CreateTable;

    public static readonly string SqliteRecomputeSql = Recompute(SqliteYear("c"));

    public static readonly string SqliteTriggers =
        $"""
        DROP TRIGGER IF EXISTS "Cases_AllegationYearCounts";
        CREATE TRIGGER "Cases_AllegationYearCounts" AFTER INSERT ON "Cases"
        BEGIN {Move("NEW", 1, SqliteYear("NEW"))} END;
        DROP TRIGGER IF EXISTS "Cases_AllegationYearCounts_Update";
        CREATE TRIGGER "Cases_AllegationYearCounts_Update" AFTER UPDATE OF "CountryCode", "Allegation_DateReported", "Allegation_EntityType" ON "Cases"
        BEGIN {Move("OLD", -1, SqliteYear("OLD"))} {Move("NEW", 1, SqliteYear("NEW"))} END;
        DROP TRIGGER IF EXISTS "Cases_AllegationYearCounts_Delete";
        CREATE TRIGGER "Cases_AllegationYearCounts_Delete" AFTER DELETE ON "Cases"
        BEGIN {Move("OLD", -1, SqliteYear("OLD"))} END;
        """;

    public static readonly string PostgresCreate = CreateTable;

    public static readonly string PostgresRecomputeSql = Recompute(PostgresYear("c"));

    public static readonly string PostgresTriggers =
        $$"""
        CREATE OR REPLACE FUNCTION "Cases_KeepAllegationYearCounts"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                {{Move("OLD", -1, PostgresYear("OLD"))}}
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                {{Move("NEW", 1, PostgresYear("NEW"))}}
            END IF;
            RETURN NULL;
        END
        $$;
        DROP TRIGGER IF EXISTS "Cases_AllegationYearCounts" ON "Cases";
        CREATE TRIGGER "Cases_AllegationYearCounts" AFTER INSERT OR DELETE OR UPDATE OF "CountryCode", "Allegation_DateReported", "Allegation_EntityType" ON "Cases"
            FOR EACH ROW EXECUTE FUNCTION "Cases_KeepAllegationYearCounts"();
        """;
}
