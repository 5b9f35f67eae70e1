using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.FollowUps;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// The moment a case's earliest check still to do becomes overdue (<see cref="FollowUpRules.Overdue"/>: an urgent check
/// at its effective due moment, an ordinary one <see cref="FollowUp.OverdueAfter"/> later), kept on the case row so the
/// dashboard counts the cases with an overdue check from an index ("overdue from" at or before now) instead of reading
/// every overdue check's case. A case has an overdue check exactly when its earliest such moment has passed. Kept by
/// the database with triggers on both engines, in the same transaction as the change, as <see cref="CaseSortKeys"/>
/// are; the application never writes it. Created on start-up, where the regenerated "Initial" migration cannot lose them.
/// </summary>
public static class CaseOverdueKey
{
    public const string Column = "OverdueFromUtc";

    /// <summary>The name of a trigger each engine's set has; when it is missing, every case's key is worked out once.</summary>
    public const string MarkerTrigger = "FollowUps_OverdueFrom";

    private static readonly string Open = $"'{FollowUpStatus.Open}'";
    private static readonly string Snoozed = $"'{FollowUpStatus.Snoozed}'";

    /// <summary>
    /// The column and its indexes: across all countries and within one, the status before the key, so the open statuses
    /// (and the few closed cases still holding a check) are seeks.
    /// </summary>
    public static void Configure(EntityTypeBuilder<Case> builder)
    {
        var property = builder.Property<DateTime?>(Column);
        property.Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        property.Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        builder.HasIndex(nameof(Case.Status), Column);
        builder.HasIndex(nameof(Case.CountryCode), nameof(Case.Status), Column);
    }

    /// <summary>The cases with a check overdue at <paramref name="now"/> (UTC), by their kept key.</summary>
    public static IQueryable<Case> WithOverdueCheck(IQueryable<Case> cases, DateTime now) =>
        cases.Where(c => EF.Property<DateTime?>(c, Column) <= now);

    // SQLite keeps dates as text in one format: a whole number of days is added to the date part alone, which leaves
    // the text exactly as the application would write the later moment, so comparisons stay those of the rule.
    // PostgreSQL adds hours, which no time zone setting stretches as it can a day.
    private static readonly int GraceDays = FollowUp.OverdueAfter.Ticks % TimeSpan.TicksPerDay == 0
        ? (int)FollowUp.OverdueAfter.TotalDays
        : throw new InvalidOperationException("The overdue key adds whole days; FollowUp.OverdueAfter is not a whole number of days.");

    private static readonly string EffectiveDue = $"""CASE WHEN f."Status" = {Snoozed} THEN f."SnoozedUntilUtc" ELSE f."DueAtUtc" END""";

    private static readonly string SqliteOverdueFrom =
        $"""CASE WHEN f."IsUrgent" THEN {EffectiveDue} ELSE date(substr({EffectiveDue}, 1, 10), '+{GraceDays} days') || substr({EffectiveDue}, 11) END""";

    private static readonly string PostgresOverdueFrom =
        $"""CASE WHEN f."IsUrgent" THEN {EffectiveDue} ELSE {EffectiveDue} + interval '{GraceDays * 24} hours' END""";

    private static string KeyOfCase(string overdueFrom) =>
        $"""
        (SELECT MIN({overdueFrom}) FROM "FollowUps" f WHERE f."CaseId" = "Cases"."Id" AND f."Status" IN ({Open}, {Snoozed}))
        """;

    /// <summary>Sets every case's key from scratch: after the triggers were missing (a bulk load drops them), or first made.</summary>
    public static readonly string SqliteRecomputeSql = $"""UPDATE "Cases" SET "{Column}" = {KeyOfCase(SqliteOverdueFrom)};""";

    public static readonly string PostgresRecomputeSql = $"""UPDATE "Cases" SET "{Column}" = {KeyOfCase(PostgresOverdueFrom)};""";

    public static readonly string SqliteTriggers =
        $"""
        DROP TRIGGER IF EXISTS "{MarkerTrigger}";
        CREATE TRIGGER "{MarkerTrigger}" AFTER INSERT ON "FollowUps"
        BEGIN UPDATE "Cases" SET "{Column}" = {KeyOfCase(SqliteOverdueFrom)} WHERE "Id" = NEW."CaseId"; END;
        DROP TRIGGER IF EXISTS "{MarkerTrigger}_Update";
        CREATE TRIGGER "{MarkerTrigger}_Update" AFTER UPDATE OF "CaseId", "Status", "DueAtUtc", "SnoozedUntilUtc", "IsUrgent" ON "FollowUps"
        BEGIN UPDATE "Cases" SET "{Column}" = {KeyOfCase(SqliteOverdueFrom)} WHERE "Id" IN (OLD."CaseId", NEW."CaseId"); END;
        DROP TRIGGER IF EXISTS "{MarkerTrigger}_Delete";
        CREATE TRIGGER "{MarkerTrigger}_Delete" AFTER DELETE ON "FollowUps"
        BEGIN UPDATE "Cases" SET "{Column}" = {KeyOfCase(SqliteOverdueFrom)} WHERE "Id" = OLD."CaseId"; END;
        """;

    // The row locks make concurrent writers of one case's checks take turns, each reading what the one before
    // committed, as for the sort keys.
    public static readonly string PostgresTriggers =
        $$"""
        CREATE OR REPLACE FUNCTION "FollowUps_KeepOverdueFrom"() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE ids uuid[];
        BEGIN
            IF TG_OP = 'INSERT' THEN ids := ARRAY[NEW."CaseId"];
            ELSIF TG_OP = 'DELETE' THEN ids := ARRAY[OLD."CaseId"];
            ELSE ids := ARRAY[OLD."CaseId", NEW."CaseId"];
            END IF;
            PERFORM 1 FROM "Cases" WHERE "Id" = ANY(ids) ORDER BY "Id" FOR UPDATE;
            UPDATE "Cases" SET "{{Column}}" = {{KeyOfCase(PostgresOverdueFrom)}} WHERE "Id" = ANY(ids);
            RETURN NULL;
        END
        $$;
        DROP TRIGGER IF EXISTS "{{MarkerTrigger}}" ON "FollowUps";
        CREATE TRIGGER "{{MarkerTrigger}}" AFTER INSERT OR DELETE OR UPDATE OF "CaseId", "Status", "DueAtUtc", "SnoozedUntilUtc", "IsUrgent" ON "FollowUps"
            FOR EACH ROW EXECUTE FUNCTION "FollowUps_KeepOverdueFrom"();
        """;
}
