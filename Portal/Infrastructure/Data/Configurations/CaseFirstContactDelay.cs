using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// The days from a case's opening to its first contact, as the database works them out (<see cref="PortalDbFunctions.Days"/>
/// of each date, subtracted), kept on the case row so the dashboard's median reads one number per case from an index
/// instead of working two dates out per case of the period on every computation. Null until the first contact. Kept
/// by the database with triggers on both engines, in the same transaction as the change, as <see cref="CaseSortKeys"/>
/// are; the application never writes it. Created on start-up (after the PostgreSQL days function it calls), where the
/// regenerated "Initial" migration cannot lose them.
/// </summary>
public static class CaseFirstContactDelay
{
    public const string Column = "FirstContactAfterDays";

    /// <summary>The name of a trigger each engine's set has; when it is missing, every case's delay is worked out once.</summary>
    public const string MarkerTrigger = "Cases_FirstContactAfterDays";

    public static void Configure(EntityTypeBuilder<Case> builder)
    {
        var property = builder.Property<double?>(Column);
        property.Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        property.Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
    }

    private static string Delay(string days, string row) => $"""{days}({row}."FirstContactAtUtc") - {days}({row}."OpenedAtUtc")""";

    public static readonly string SqliteRecomputeSql = $"""UPDATE "Cases" SET "{Column}" = {Delay("julianday", "\"Cases\"")};""";

    public static readonly string PostgresRecomputeSql = $"""UPDATE "Cases" SET "{Column}" = {Delay("portal_days", "\"Cases\"")};""";

    public static readonly string SqliteTriggers =
        $"""
        DROP TRIGGER IF EXISTS "{MarkerTrigger}";
        CREATE TRIGGER "{MarkerTrigger}" AFTER INSERT ON "Cases" WHEN NEW."FirstContactAtUtc" IS NOT NULL
        BEGIN UPDATE "Cases" SET "{Column}" = {Delay("julianday", "NEW")} WHERE "Id" = NEW."Id"; END;
        DROP TRIGGER IF EXISTS "{MarkerTrigger}_Update";
        CREATE TRIGGER "{MarkerTrigger}_Update" AFTER UPDATE OF "OpenedAtUtc", "FirstContactAtUtc", "{Column}" ON "Cases"
        BEGIN UPDATE "Cases" SET "{Column}" = {Delay("julianday", "NEW")} WHERE "Id" = NEW."Id"; END;
        """;

    public static readonly string PostgresTriggers =
        $$"""
        CREATE OR REPLACE FUNCTION "Cases_KeepFirstContactAfterDays"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW."{{Column}}" := {{Delay("portal_days", "NEW")}};
            RETURN NEW;
        END
        $$;
        DROP TRIGGER IF EXISTS "{{MarkerTrigger}}" ON "Cases";
        CREATE TRIGGER "{{MarkerTrigger}}" BEFORE INSERT OR UPDATE OF "OpenedAtUtc", "FirstContactAtUtc", "{{Column}}" ON "Cases"
            FOR EACH ROW EXECUTE FUNCTION "Cases_KeepFirstContactAfterDays"();
        """;
}
