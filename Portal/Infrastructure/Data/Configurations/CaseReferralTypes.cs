using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.Referrals;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// The types of referral a case has ever had, as bits on the case row (bit n for the n-th declared
/// <see cref="ReferralType"/>), so the queues' referral-type filter is a test on the case instead of a look-up in the
/// referrals for every case walked: a deep page of "legal referrals" otherwise probed the referrals once per case before
/// it. Kept by the database with triggers on both engines, as <see cref="CaseSortKeys"/> are, so no write path can leave
/// it stale; the application never writes it. Created on start-up, where the regenerated "Initial" migration cannot
/// lose them.
/// </summary>
public static class CaseReferralTypes
{
    public const string Column = "ReferralTypes";

    /// <summary>The name of a trigger each engine's set has; when it is missing, every case's bits are worked out once.</summary>
    public const string MarkerTrigger = "Referrals_Types";

    /// <summary>The bit of one type.</summary>
    public static int Bit(ReferralType type) => 1 << CaseConfiguration.DeclaredPosition(type);

    public static void Configure(EntityTypeBuilder<Case> builder)
    {
        var property = builder.Property<int>(Column).HasDefaultValue(0);
        property.Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        property.Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);

        // One country's cases with a referral of one type, by age: the index holds only those cases, so a deep page of the
        // filter skips through them alone. The (country, opened, number, types) index otherwise walks every case of the
        // country before it and tests each one's bits. The query writes the bit as a literal (HasType): a partial index
        // serves only a query whose condition is its own.
        foreach (var type in Enum.GetValues<ReferralType>())
        {
            builder.HasIndex([nameof(Case.CountryCode), nameof(Case.OpenedAtUtc), nameof(Case.Number)], $"IX_Cases_CountryCode_OpenedAtUtc_Number_{type}")
                .HasFilter($"(\"{Column}\" & {Bit(type)}) <> 0");
        }
    }

    /// <summary>The cases that have had a referral of <paramref name="type"/>, as the partial indexes above state it.</summary>
    public static Expression<Func<Case, bool>> HasType(ReferralType type)
    {
        var bit = Bit(type);
        return c => (EF.Property<int>(c, Column) & EF.Constant(bit)) != 0;
    }

    // Every type a case's referrals have, as the sum of their distinct bits (each a power of two: the sum is the OR).
    private static readonly string TypesOfCase =
        $"""
        (SELECT coalesce(sum(DISTINCT CASE r."Type" {string.Join(" ", Enum.GetValues<ReferralType>().Select(t => $"WHEN '{t}' THEN {Bit(t)}"))} ELSE 0 END), 0)
         FROM "Referrals" r WHERE r."CaseId" = "Cases"."Id")
        """;

    /// <summary>Sets every case's bits from scratch: after the triggers were missing (a bulk load drops them), or first made.</summary>
    public static readonly string RecomputeSql = $"""UPDATE "Cases" SET "{Column}" = {TypesOfCase};""";

    public static readonly string SqliteTriggers =
        $"""
        DROP TRIGGER IF EXISTS "Referrals_Types";
        CREATE TRIGGER "Referrals_Types" AFTER INSERT ON "Referrals"
        BEGIN UPDATE "Cases" SET "{Column}" = {TypesOfCase} WHERE "Id" = NEW."CaseId"; END;
        DROP TRIGGER IF EXISTS "Referrals_Types_Update";
        CREATE TRIGGER "Referrals_Types_Update" AFTER UPDATE OF "CaseId", "Type" ON "Referrals"
        BEGIN UPDATE "Cases" SET "{Column}" = {TypesOfCase} WHERE "Id" IN (OLD."CaseId", NEW."CaseId"); END;
        DROP TRIGGER IF EXISTS "Referrals_Types_Delete";
        CREATE TRIGGER "Referrals_Types_Delete" AFTER DELETE ON "Referrals"
        BEGIN UPDATE "Cases" SET "{Column}" = {TypesOfCase} WHERE "Id" = OLD."CaseId"; END;
        """;

    // The row locks make concurrent writers of one case's referrals take turns, each reading what the one before
    // committed, as for the sort keys.
    public static readonly string PostgresTriggers =
        $$"""
        CREATE OR REPLACE FUNCTION "Referrals_KeepTypes"() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE ids uuid[];
        BEGIN
            IF TG_OP = 'INSERT' THEN ids := ARRAY[NEW."CaseId"];
            ELSIF TG_OP = 'DELETE' THEN ids := ARRAY[OLD."CaseId"];
            ELSE ids := ARRAY[OLD."CaseId", NEW."CaseId"];
            END IF;
            PERFORM 1 FROM "Cases" WHERE "Id" = ANY(ids) ORDER BY "Id" FOR UPDATE;
            UPDATE "Cases" SET "{{Column}}" = {{TypesOfCase}} WHERE "Id" = ANY(ids);
            RETURN NULL;
        END
        $$;
        DROP TRIGGER IF EXISTS "Referrals_Types" ON "Referrals";
        CREATE TRIGGER "Referrals_Types" AFTER INSERT OR DELETE OR UPDATE OF "CaseId", "Type" ON "Referrals"
            FOR EACH ROW EXECUTE FUNCTION "Referrals_KeepTypes"();
        """;
}
