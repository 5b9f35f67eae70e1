using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// The country of a case, copied onto the rows of the tables that belong to it (follow-ups, children, paternity claims),
/// so a figure about one country reads that country's rows from an index instead of looking up the case of every row
/// of every country: those look-ups into the wide case rows were most of a country's dashboard. The rule is that a
/// row's country is its case's; the database keeps it with triggers on both engines, in the same transaction as the
/// change (as <see cref="CaseSortKeys"/> are), so no write path can leave it stale, and the application never writes it.
/// Created on start-up, where the regenerated "Initial" migration cannot lose them.
/// </summary>
public static class CaseCountryCopies
{
    public const string Column = "CountryCode";

    /// <summary>The tables holding a copy; each has a "CaseId" naming its case.</summary>
    public static readonly IReadOnlyList<string> Tables = ["FollowUps", "Children", "PaternityClaims"];

    /// <summary>The name of a trigger each engine's set has; when it is missing, every copy is worked out once.</summary>
    public const string MarkerTrigger = "Cases_CountryCopies";

    /// <summary>The column, never written by the application, with the indexes that start from it.</summary>
    public static PropertyBuilder<string> Configure<T>(EntityTypeBuilder<T> builder)
        where T : class
    {
        var property = builder.Property<string>(Column).HasMaxLength(PortalConventions.CountryCodeMaxLength).HasDefaultValue("");
        property.Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        property.Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        return property;
    }

    private static string CountryOfCase(string table) =>
        $"""(SELECT c."CountryCode" FROM "Cases" c WHERE c."Id" = "{table}"."CaseId")""";

    /// <summary>Sets every copy from scratch: after the triggers were missing (a bulk load drops them), or first made.</summary>
    public static readonly string RecomputeSql =
        string.Concat(Tables.Select(t => $"""UPDATE "{t}" SET "{Column}" = {CountryOfCase(t)};""" + "\n"));

    // A row written, moved to another case, or its copy written by hand, takes its case's country; a case whose country
    // changes passes it on to its rows.
    public static readonly string SqliteTriggers =
        string.Concat(Tables.Select(t =>
            $"""
            DROP TRIGGER IF EXISTS "{t}_CaseCountry";
            CREATE TRIGGER "{t}_CaseCountry" AFTER INSERT ON "{t}"
            BEGIN UPDATE "{t}" SET "{Column}" = {CountryOfCase(t)} WHERE "Id" = NEW."Id"; END;
            DROP TRIGGER IF EXISTS "{t}_CaseCountry_Update";
            CREATE TRIGGER "{t}_CaseCountry_Update" AFTER UPDATE OF "CaseId", "{Column}" ON "{t}"
            BEGIN UPDATE "{t}" SET "{Column}" = {CountryOfCase(t)} WHERE "Id" = NEW."Id"; END;

            """)) +
        $"""
        DROP TRIGGER IF EXISTS "{MarkerTrigger}";
        CREATE TRIGGER "{MarkerTrigger}" AFTER UPDATE OF "CountryCode" ON "Cases"
        BEGIN {string.Concat(Tables.Select(t => $"""UPDATE "{t}" SET "{Column}" = NEW."CountryCode" WHERE "CaseId" = NEW."Id"; """))}END;
        """;

    // The row's writer locks its case: a change of the case's country committing meanwhile would otherwise miss the row it
    // cannot see yet, and the row keep the old country. FOR UPDATE, the lock the case's other keys take next: two writers
    // that both held a share lock deadlocked when each then wanted the update lock.
    public static readonly string PostgresTriggers =
        $$"""
        CREATE OR REPLACE FUNCTION "CaseRows_CopyCountry"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            SELECT c."CountryCode" INTO NEW."{{Column}}" FROM "Cases" c WHERE c."Id" = NEW."CaseId" FOR UPDATE;
            RETURN NEW;
        END
        $$;
        {{string.Concat(Tables.Select(t =>
            $"""
            DROP TRIGGER IF EXISTS "{t}_CaseCountry" ON "{t}";
            CREATE TRIGGER "{t}_CaseCountry" BEFORE INSERT OR UPDATE OF "CaseId", "{Column}" ON "{t}"
                FOR EACH ROW EXECUTE FUNCTION "CaseRows_CopyCountry"();

            """))}}
        CREATE OR REPLACE FUNCTION "Cases_CopyCountry"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {{string.Concat(Tables.Select(t => $"""UPDATE "{t}" SET "{Column}" = NEW."CountryCode" WHERE "CaseId" = NEW."Id"; """))}}
            RETURN NULL;
        END
        $$;
        DROP TRIGGER IF EXISTS "{{MarkerTrigger}}" ON "Cases";
        CREATE TRIGGER "{{MarkerTrigger}}" AFTER UPDATE OF "CountryCode" ON "Cases"
            FOR EACH ROW WHEN (OLD."CountryCode" IS DISTINCT FROM NEW."CountryCode") EXECUTE FUNCTION "Cases_CopyCountry"();
        """;
}
