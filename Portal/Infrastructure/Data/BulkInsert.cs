using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Inserts many new rows of one entity type with one prepared INSERT, executed once per row in the context's current
/// transaction. SaveChanges on SQLite sends a separately built command per row and tracks every entity: 20,000
/// notifications of one reminder scan took about 4.5 s that way (BENCHMARKS.md, reminders at scale).
/// <para>
/// The values go through EF's own type mapping of each property (its value converter and parameter setup), so a row
/// is stored exactly as SaveChanges would store it. For entity types whose columns are all plain properties of the
/// class (no shadow or owned parts), that neither EF nor the audit stamps need to see being added.
/// </para>
/// </summary>
public static class BulkInsert
{
    /// <exception cref="DbUpdateException">The database refused a row (a unique key, for example); nothing of the
    /// transaction should be committed then.</exception>
    public static async Task InsertAsync<T>(this PortalDbContext db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity type.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var properties = entityType.GetProperties().ToList();
        if (properties.Any(p => p.IsShadowProperty()) || entityType.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
        {
            throw new NotSupportedException($"{typeof(T).Name} has shadow or owned parts, which a bulk insert would not write.");
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A bulk insert runs in the caller's transaction; begin one first.");
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = properties.Select(p => (
            Name: sql.DelimitIdentifier(p.GetColumnName(table) ?? throw new InvalidOperationException($"{p.Name} has no column.")),
            Mapping: p.GetRelationalTypeMapping(),
            Getter: p.GetGetter(),
            p.IsNullable)).ToList();

        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => c.Name))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        try
        {
            foreach (var row in rows)
            {
                command.Parameters.Clear();
                for (var i = 0; i < columns.Count; i++)
                {
                    var column = columns[i];
                    command.Parameters.Add(column.Mapping.CreateParameter(command, "@p" + i, column.Getter.GetClrValue(row), column.IsNullable));
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch (DbException ex)
        {
            throw new DbUpdateException($"A bulk insert of {typeof(T).Name} was refused: {ex.Message}", ex);
        }
    }
}
