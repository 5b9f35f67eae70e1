using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Infrastructure.Data.Configurations;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Issues case numbers (CD-2026-0042) per country and year: unique, consecutive, never reused.
/// <para>
/// One statement does it: an upsert that creates the year's row at 1 or adds one to it, and returns the result
/// (<c>INSERT … ON CONFLICT DO UPDATE … RETURNING</c>, SQLite 3.35+ and PostgreSQL alike; the existing row's column is
/// named with its table, which PostgreSQL requires to tell it from the proposed row). The database serialises
/// concurrent writers on the row, so two requests on two nodes can never read the same value, there is no retry loop,
/// and no number is skipped. A load-increment-save loop on the <see cref="CaseNumberSequence.LastNumber"/>
/// concurrency token would work too, but costs a read plus a write per attempt and retries under contention; on SQLite
/// in WAL mode a deferred transaction that read first cannot even wait for the lock, it fails at once with
/// SQLITE_BUSY.
/// </para>
/// <para>
/// It runs on the caller's context, inside the caller's transaction when there is one: if that transaction rolls back,
/// so does the number, and the next case gets it (no case ever held it, so it is not "reused"). Without a transaction
/// the number is committed on its own and a case that then fails to save leaves a gap, which is harmless.
/// </para>
/// </summary>
public sealed class CaseNumbers
{
    private static readonly string Upsert =
        $"""
        INSERT INTO "{CaseNumberSequenceConfiguration.TableName}" ("CountryCode", "Year", "LastNumber")
        VALUES (@country, @year, 1)
        ON CONFLICT ("CountryCode", "Year") DO UPDATE SET "LastNumber" = "{CaseNumberSequenceConfiguration.TableName}"."LastNumber" + 1
            WHERE "{CaseNumberSequenceConfiguration.TableName}"."LastNumber" < @max
        RETURNING "LastNumber"
        """;

    /// <summary>The next number for <paramref name="countryCode"/> in <paramref name="year"/> (the year the case opens, UTC).</summary>
    public async Task<CaseNumber> NextAsync(PortalDbContext db, string countryCode, int year, CancellationToken cancellationToken = default)
    {
        var country = Guard.CountryCode(countryCode);
        _ = new CaseNumber(country, year, 1); // refuses an impossible year before touching the database

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = Upsert;
            AddParameter(command, "@country", country);
            AddParameter(command, "@year", year);
            AddParameter(command, "@max", CaseNumber.MaxSequence);
            var issued = await command.ExecuteScalarAsync(cancellationToken);
            if (issued is null or DBNull)
            {
                throw new DomainException(
                    ErrorCodes.CaseNumberExhausted,
                    $"Cannot issue another case number for {country} in {year}: all {CaseNumber.MaxSequence} are used.");
            }

            return new CaseNumber(country, year, Convert.ToInt32(issued, CultureInfo.InvariantCulture));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The next number for a case opening now.</summary>
    public Task<CaseNumber> NextAsync(PortalDbContext db, string countryCode, TimeProvider clock, CancellationToken cancellationToken = default) =>
        NextAsync(db, countryCode, clock.GetUtcDateTime().Year, cancellationToken);

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
