using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Writes many rows of one entity type with one prepared statement, executed once per row in the context's current
/// transaction. SaveChanges on SQLite builds a separate command per row: the 20,000 notifications of one reminder
/// scan took about 4.5 s to insert that way (BENCHMARKS.md, reminders at scale).
/// <para>
/// The values go through EF's own type mapping of each property (its value converter and parameter setup), so a row
/// is stored exactly as SaveChanges would store it. For entity types whose columns are all plain properties of the
/// class (no shadow or owned parts) and that carry no audit stamps, which only SaveChanges sets.
/// </para>
/// </summary>
public static class BulkWrite
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

        var (entityType, table, transaction, sql) = Prepare<T>(db);
        var columns = entityType.GetProperties().Select(p => (Property: p, Getter: p.GetGetter())).ToList();

        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => Column(c.Property)))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        try
        {
            foreach (var row in rows)
            {
                command.Parameters.Clear();
                for (var i = 0; i < columns.Count; i++)
                {
                    command.Parameters.Add(Parameter(command, "@p" + i, columns[i].Property, columns[i].Getter.GetClrValue(row)));
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch (DbException ex)
        {
            throw new DbUpdateException($"A bulk insert of {typeof(T).Name} was refused: {ex.Message}", ex);
        }

        string Column(IProperty property) => sql.DelimitIdentifier(property.GetColumnName(table) ?? throw new InvalidOperationException($"{property.Name} has no column."));
    }

    /// <summary>
    /// Writes the changes of these tracked entities (those modified), each checked against its original concurrency
    /// token as SaveChanges checks it, with one prepared UPDATE per set of changed columns. False when a row was changed
    /// by someone else first: then nothing of the transaction should be committed. After the commit, call
    /// <see cref="Accept"/> with the same entities so that the context knows their rows as written.
    /// </summary>
    public static async Task<bool> UpdateAsync<T>(this PortalDbContext db, IEnumerable<T> entities, CancellationToken cancellationToken)
        where T : class
    {
        var (entityType, table, transaction, sql) = Prepare<T>(db);
        var key = entityType.FindPrimaryKey()?.Properties.SingleOrDefault() ?? throw new NotSupportedException($"{typeof(T).Name} has no single-column key.");
        var token = entityType.GetProperties().SingleOrDefault(p => p.IsConcurrencyToken);
        db.ChangeTracker.DetectChanges();
        var commands = new Dictionary<string, DbCommand>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in entities.Select(e => db.Entry(e)).Where(e => e.State == EntityState.Modified))
            {
                var changed = entry.Properties.Where(p => p.IsModified).Select(p => p.Metadata).ToList();
                var signature = string.Join(',', changed.Select(p => p.Name));
                if (!commands.TryGetValue(signature, out var command))
                {
                    command = transaction.Connection!.CreateCommand();
                    command.Transaction = transaction;
                    var sets = changed.Select((p, i) => $"{Column(p)} = @p{i}");
                    command.CommandText = $"UPDATE {sql.DelimitIdentifier(table.Name, table.Schema)} SET {string.Join(", ", sets)} WHERE {Column(key)} = @key" +
                        (token is null ? "" : $" AND {Column(token)} = @token");
                    commands[signature] = command;
                }

                command.Parameters.Clear();
                for (var i = 0; i < changed.Count; i++)
                {
                    command.Parameters.Add(Parameter(command, "@p" + i, changed[i], entry.Property(changed[i].Name).CurrentValue));
                }

                command.Parameters.Add(Parameter(command, "@key", key, entry.Property(key.Name).OriginalValue));
                if (token is not null)
                {
                    command.Parameters.Add(Parameter(command, "@token", token, entry.Property(token.Name).OriginalValue));
                }

                if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
                {
                    return false;
                }
            }
        }
        catch (DbException ex)
        {
            throw new DbUpdateException($"A bulk update of {typeof(T).Name} was refused: {ex.Message}", ex);
        }
        finally
        {
            foreach (var command in commands.Values)
            {
                await command.DisposeAsync();
            }
        }

        return true;

        string Column(IProperty property) => sql.DelimitIdentifier(property.GetColumnName(table) ?? throw new InvalidOperationException($"{property.Name} has no column."));
    }

    /// <summary>Takes the entities' current values as what the database holds (after <see cref="UpdateAsync"/> committed).</summary>
    public static void Accept<T>(this PortalDbContext db, IEnumerable<T> entities)
        where T : class
    {
        foreach (var entry in entities.Select(e => db.Entry(e)).Where(e => e.State == EntityState.Modified))
        {
            entry.OriginalValues.SetValues(entry.CurrentValues);
            entry.State = EntityState.Unchanged;
        }
    }

    private static DbParameter Parameter(DbCommand command, string name, IProperty property, object? value) =>
        property.GetRelationalTypeMapping().CreateParameter(command, name, value, property.IsNullable);

    private static (IEntityType EntityType, StoreObjectIdentifier Table, DbTransaction Transaction, ISqlGenerationHelper Sql) Prepare<T>(PortalDbContext db)
    {
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity type.");
        if (entityType.GetProperties().Any(p => p.IsShadowProperty()) || entityType.GetNavigations().Any(n => n.TargetEntityType.IsOwned())
            || typeof(Domain.Common.IAuditedEntity).IsAssignableFrom(typeof(T)))
        {
            throw new NotSupportedException($"{typeof(T).Name} has shadow, owned or audit-stamped parts, which only SaveChanges writes.");
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A bulk write runs in the caller's transaction; begin one first.");
        return (entityType, StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema()), transaction, db.GetService<ISqlGenerationHelper>());
    }
}
