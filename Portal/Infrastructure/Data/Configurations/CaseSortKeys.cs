using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.FollowUps;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// Two queue orders read from other tables: a case's next follow-up due (the earliest effective due moment of its
/// follow-ups still to do, <see cref="FollowUpRules.Open"/> and <see cref="FollowUp.EffectiveDueAtUtc"/>) and its
/// assignee's name. Worked out per case in each query, they made the database compute them for every case in scope
/// before it could sort a page; kept on the case row, they are indexed and read in order like the other keys.
/// The database keeps them, by triggers on both engines, so that no write path (a reminder job, a rename, raw SQL) can
/// leave them stale; the application never writes them. Created on start-up, like the audit triggers, where the
/// regenerated "Initial" migration cannot lose them.
/// </summary>
public static class CaseSortKeys
{
    public const string NextFollowUpDue = "NextFollowUpDueUtc";

    /// <summary>1 when the case has no follow-up to do: those come last in both directions, so the flag is a key of its own.</summary>
    public const string NextFollowUpDueMissing = "NextFollowUpDueMissing";

    public const string AssigneeName = "AssigneeName";

    /// <inheritdoc cref="NextFollowUpDueMissing"/>
    public const string AssigneeMissing = "AssigneeMissing";

    private static readonly string Open = $"'{FollowUpStatus.Open}'";
    private static readonly string Snoozed = $"'{FollowUpStatus.Snoozed}'";

    /// <summary>The columns, never written by the application, and their indexes.</summary>
    public static void Configure(EntityTypeBuilder<Case> builder)
    {
        // The status rides along in the next-due indexes: the Due queue keeps only open cases, checked in the index.
        Key(builder, NextFollowUpDue, NextFollowUpDueMissing, typeof(DateTime?), nameof(Case.Status));
        Key(builder, AssigneeName, AssigneeMissing, typeof(string));

        // An advocate's own cases by next due ("My cases", "Due"): a range within their country. The status, then the moment
        // the case falls overdue (CaseOverdueKey): "open" and "overdue only" are then checked in the index, so a deep page
        // skips closed and punctual cases without reading their rows.
        builder.HasIndex(
            nameof(Case.CountryCode), nameof(Case.AssignedAdvocateId), NextFollowUpDueMissing, NextFollowUpDue, nameof(Case.Number), nameof(Case.Status), CaseOverdueKey.Column);
    }

    // Cases without the key come last in both directions, so neither direction is the other read backwards: each has an
    // index of its own, across all countries and within one.
    private static void Key(EntityTypeBuilder<Case> builder, string value, string missing, Type type, params string[] carried)
    {
        var property = builder.Property(type, value);
        property.Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        property.Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        builder.Property<int>(missing).HasComputedColumnSql($"CASE WHEN \"{value}\" IS NULL THEN 1 ELSE 0 END", stored: true);
        foreach (var scope in new[] { Array.Empty<string>(), [nameof(Case.CountryCode)] })
        {
            string[] columns = [.. scope, missing, value, nameof(Case.Number), .. carried];
            builder.HasIndex(columns);
            builder.HasIndex(columns, $"IX_Cases_{string.Join("_", columns)}_Descending").IsDescending([.. scope.Select(_ => false), false, true, true, .. carried.Select(_ => false)]);
        }
    }

    // The next due moment of the case being updated, as FollowUpRules.Open and FollowUp.EffectiveDueAtUtc define it.
    private static readonly string NextDueOfCase =
        $"""
        (SELECT MIN(CASE WHEN f."Status" = {Snoozed} THEN f."SnoozedUntilUtc" ELSE f."DueAtUtc" END)
         FROM "FollowUps" f WHERE f."CaseId" = "Cases"."Id" AND f."Status" IN ({Open}, {Snoozed}))
        """;

    private const string AssigneeNameOfCase = """(SELECT u."DisplayName" FROM "AspNetUsers" u WHERE u."Id" = "Cases"."AssignedAdvocateId")""";

    /// <summary>Sets both keys of every case from scratch: after triggers were missing (a bulk load drops them), or first made.</summary>
    public static readonly string RecomputeSql = $"""UPDATE "Cases" SET "{NextFollowUpDue}" = {NextDueOfCase}, "{AssigneeName}" = {AssigneeNameOfCase};""";

    /// <summary>The name of a trigger each engine's set has; when it is missing, the keys are recomputed once.</summary>
    public const string MarkerTrigger = "FollowUps_NextDue";

    public static readonly string SqliteTriggers =
        $"""
        DROP TRIGGER IF EXISTS "FollowUps_NextDue";
        CREATE TRIGGER "FollowUps_NextDue" AFTER INSERT ON "FollowUps"
        BEGIN UPDATE "Cases" SET "{NextFollowUpDue}" = {NextDueOfCase} WHERE "Id" = NEW."CaseId"; END;
        DROP TRIGGER IF EXISTS "FollowUps_NextDue_Update";
        CREATE TRIGGER "FollowUps_NextDue_Update" AFTER UPDATE OF "CaseId", "Status", "DueAtUtc", "SnoozedUntilUtc" ON "FollowUps"
        BEGIN UPDATE "Cases" SET "{NextFollowUpDue}" = {NextDueOfCase} WHERE "Id" IN (OLD."CaseId", NEW."CaseId"); END;
        DROP TRIGGER IF EXISTS "FollowUps_NextDue_Delete";
        CREATE TRIGGER "FollowUps_NextDue_Delete" AFTER DELETE ON "FollowUps"
        BEGIN UPDATE "Cases" SET "{NextFollowUpDue}" = {NextDueOfCase} WHERE "Id" = OLD."CaseId"; END;
        DROP TRIGGER IF EXISTS "Cases_AssigneeName";
        CREATE TRIGGER "Cases_AssigneeName" AFTER INSERT ON "Cases" WHEN NEW."AssignedAdvocateId" IS NOT NULL
        BEGIN UPDATE "Cases" SET "{AssigneeName}" = {AssigneeNameOfCase} WHERE "Id" = NEW."Id"; END;
        DROP TRIGGER IF EXISTS "Cases_AssigneeName_Update";
        CREATE TRIGGER "Cases_AssigneeName_Update" AFTER UPDATE OF "AssignedAdvocateId" ON "Cases"
        BEGIN UPDATE "Cases" SET "{AssigneeName}" = {AssigneeNameOfCase} WHERE "Id" = NEW."Id"; END;
        DROP TRIGGER IF EXISTS "AspNetUsers_AssigneeName";
        CREATE TRIGGER "AspNetUsers_AssigneeName" AFTER UPDATE OF "DisplayName" ON "AspNetUsers"
        BEGIN UPDATE "Cases" SET "{AssigneeName}" = NEW."DisplayName" WHERE "AssignedAdvocateId" = NEW."Id"; END;
        """;

    // The row locks make concurrent writers take turns, each reading what the one before committed (every statement of
    // a PL/pgSQL function reads afresh under READ COMMITTED): a minimum or a name read before another transaction's
    // change commits would otherwise be written over it and stay stale.
    public static readonly string PostgresTriggers =
        $$"""
        CREATE OR REPLACE FUNCTION "FollowUps_KeepNextDue"() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE ids uuid[];
        BEGIN
            IF TG_OP = 'INSERT' THEN ids := ARRAY[NEW."CaseId"];
            ELSIF TG_OP = 'DELETE' THEN ids := ARRAY[OLD."CaseId"];
            ELSE ids := ARRAY[OLD."CaseId", NEW."CaseId"];
            END IF;
            PERFORM 1 FROM "Cases" WHERE "Id" = ANY(ids) ORDER BY "Id" FOR UPDATE;
            UPDATE "Cases" SET "{{NextFollowUpDue}}" = {{NextDueOfCase}} WHERE "Id" = ANY(ids);
            RETURN NULL;
        END
        $$;
        DROP TRIGGER IF EXISTS "FollowUps_NextDue" ON "FollowUps";
        CREATE TRIGGER "FollowUps_NextDue" AFTER INSERT OR DELETE OR UPDATE OF "CaseId", "Status", "DueAtUtc", "SnoozedUntilUtc" ON "FollowUps"
            FOR EACH ROW EXECUTE FUNCTION "FollowUps_KeepNextDue"();
        CREATE OR REPLACE FUNCTION "Cases_KeepAssigneeName"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            SELECT u."DisplayName" INTO NEW."{{AssigneeName}}" FROM "AspNetUsers" u WHERE u."Id" = NEW."AssignedAdvocateId" FOR SHARE;
            RETURN NEW;
        END
        $$;
        DROP TRIGGER IF EXISTS "Cases_AssigneeName" ON "Cases";
        CREATE TRIGGER "Cases_AssigneeName" BEFORE INSERT OR UPDATE OF "AssignedAdvocateId" ON "Cases"
            FOR EACH ROW EXECUTE FUNCTION "Cases_KeepAssigneeName"();
        CREATE OR REPLACE FUNCTION "AspNetUsers_KeepAssigneeName"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE "Cases" SET "{{AssigneeName}}" = NEW."DisplayName" WHERE "AssignedAdvocateId" = NEW."Id";
            RETURN NULL;
        END
        $$;
        DROP TRIGGER IF EXISTS "AspNetUsers_AssigneeName" ON "AspNetUsers";
        CREATE TRIGGER "AspNetUsers_AssigneeName" AFTER UPDATE OF "DisplayName" ON "AspNetUsers"
            FOR EACH ROW WHEN (OLD."DisplayName" IS DISTINCT FROM NEW."DisplayName") EXECUTE FUNCTION "AspNetUsers_KeepAssigneeName"();
        """;
}
