using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// Finds cases by any part of their number ("0042") without reading every number in scope: a trigram index answers
/// LIKE '%0042%' from the numbers holding the part's three-letter pieces. SQLite keeps one in an FTS5 table with the
/// trigram tokenizer, filled by triggers on the cases; PostgreSQL indexes the column itself (pg_trgm). Both are made
/// on start-up, like the sort keys (<see cref="CaseSortKeys"/>), where the regenerated migration cannot lose them.
/// </summary>
public static class CaseNumberSearch
{
    /// <summary>SQLite's FTS5 table: a case's number and id, the number indexed by trigrams.</summary>
    private const string SqliteTable = "CaseNumberSearch";

    /// <summary>
    /// The table and the triggers that keep it. A case is never deleted and its number never changes (both are
    /// kept by triggers all the same, at the cost of a scan of the table, so that no write path can leave it stale).
    /// </summary>
    private const string SqliteSchema =
        """
        CREATE VIRTUAL TABLE IF NOT EXISTS "CaseNumberSearch" USING fts5("Number", "CaseId" UNINDEXED, tokenize = 'trigram');
        DROP TRIGGER IF EXISTS "Cases_NumberSearch";
        CREATE TRIGGER "Cases_NumberSearch" AFTER INSERT ON "Cases"
        BEGIN INSERT INTO "CaseNumberSearch" ("Number", "CaseId") VALUES (NEW."Number", NEW."Id"); END;
        DROP TRIGGER IF EXISTS "Cases_NumberSearch_Update";
        CREATE TRIGGER "Cases_NumberSearch_Update" AFTER UPDATE OF "Id", "Number" ON "Cases"
        BEGIN
            DELETE FROM "CaseNumberSearch" WHERE "CaseId" = OLD."Id";
            INSERT INTO "CaseNumberSearch" ("Number", "CaseId") VALUES (NEW."Number", NEW."Id");
        END;
        DROP TRIGGER IF EXISTS "Cases_NumberSearch_Delete";
        CREATE TRIGGER "Cases_NumberSearch_Delete" AFTER DELETE ON "Cases"
        BEGIN DELETE FROM "CaseNumberSearch" WHERE "CaseId" = OLD."Id"; END;
        """;

    /// <summary>
    /// Makes the table and its triggers on SQLite; the triggers are replaced on every start, so a changed one reaches
    /// existing databases, and the table is filled from the cases once, where it was missing.
    /// </summary>
    public static async Task KeepSqliteAsync(PortalDbContext db)
    {
        var existed = await db.Database
            .SqlQuery<int>($"""SELECT count(*) AS "Value" FROM sqlite_master WHERE type = 'table' AND name = {SqliteTable}""").SingleAsync() > 0;
        await db.Database.ExecuteSqlRawAsync(SqliteSchema);
        if (!existed)
        {
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "CaseNumberSearch" ("Number", "CaseId") SELECT "Number", "Id" FROM "Cases";""");
        }
    }

    /// <summary>pg_trgm is a trusted extension: the database's owner may create it.</summary>
    public const string PostgresIndex =
        """
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX IF NOT EXISTS "IX_Cases_Number_Trigrams" ON "Cases" USING gin ("Number" gin_trgm_ops);
        """;

    /// <summary>
    /// One country's cases by number, then by opening date (<see cref="CaseConfiguration"/>): a number prefix's cases are
    /// a range of it, and a page of them in opened-date order is picked from the index alone.
    /// </summary>
    public const string CountryNumberIndex = "IX_Cases_CountryCode_Number_OpenedAtUtc";

    /// <summary>
    /// The cases of <paramref name="countryCode"/> whose number is at least <paramref name="from"/> and below
    /// <paramref name="to"/>, as the root of a query.
    /// </summary>
    public static IQueryable<Case> CasesWithNumberStarting(PortalDbContext db, string countryCode, string from, string to)
    {
        if (db.Database.IsNpgsql())
        {
            return db.Cases.Where(c => c.CountryCode == countryCode && string.Compare(c.Number, from) >= 0 && string.Compare(c.Number, to) < 0);
        }

        // Read as a range of the (country, number, opened) index, whatever the page's order: left to choose, SQLite walks
        // the country's cases in opened-date order from the newest, through every later year, to reach the range's.
        return db.Cases.FromSqlRaw(SqliteNumberRange, countryCode, from, to);
    }

    private const string SqliteNumberRange =
        """SELECT * FROM "Cases" INDEXED BY "IX_Cases_CountryCode_Number_OpenedAtUtc" WHERE "CountryCode" = {0} AND "Number" >= {1} AND "Number" < {2}""";

    /// <summary>
    /// The cases whose number contains <paramref name="part"/> (upper case, as numbers are written), as the root of a
    /// query. A part with a character no number has finds nothing: the pattern then needs no escape clause, which
    /// SQLite's FTS5 would not answer from its index.
    /// </summary>
    public static IQueryable<Case> CasesWithNumberContaining(PortalDbContext db, string part)
    {
        if (!part.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            return db.Cases.Where(c => false);
        }

        var pattern = "%" + part + "%";
        if (db.Database.IsNpgsql())
        {
            return db.Cases.Where(c => EF.Functions.Like(c.Number, pattern));
        }

        // SQLite keeps the order of a CROSS JOIN: it reads the numbers the index finds, then each one's case by its key.
        // Left to choose, it walks a country's cases and tests each against the matches, having no statistics to tell
        // it that a country holds far more cases than a search finds.
        return db.Cases.FromSql(
            $"""SELECT "c".* FROM "CaseNumberSearch" AS "s" CROSS JOIN "Cases" AS "c" ON "c"."Id" = "s"."CaseId" WHERE "s"."Number" LIKE {pattern}""");
    }
}
