using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Portal.Infrastructure.Data.Configurations;
using Portal.Infrastructure.Security;

namespace Portal.Infrastructure.Data;

/// <summary>
/// Seals the protected columns (see <see cref="ProtectedColumns"/>) that changed as a unit of work is saved: with the
/// key of the case the entity belongs to, created in the same unit of work when the case has none yet.
/// <see cref="ProtectedFieldsMaterializer"/> opens them as rows are loaded. The text each entity was loaded or last
/// saved with is remembered beside it (weakly), so only a changed field is sealed and written again.
/// <para>
/// Register it before <see cref="AuditStampInterceptor"/>: a changed protected field is a change to its row, which is
/// then stamped like any other.
/// </para>
/// </summary>
public sealed class ProtectedFieldsInterceptor(FieldProtector protector, CaseKeyRing keys) : SaveChangesInterceptor
{
    /// <summary>The texts each tracked entity was loaded or last saved with; process-wide, since entities are.</summary>
    private static readonly ConditionalWeakTable<object, string?[]> Texts = new();
    private static readonly ConcurrentDictionary<IReadOnlyEntityType, Plan?> Plans = new();

    /// <exception cref="ProtectedDataUnreadableException">A field cannot be opened: its case key is destroyed or missing.</exception>
    internal void Open(MaterializationInterceptionData materializationData, object entity, Plan plan)
    {
        var texts = new string?[plan.Fields.Length];
        for (var i = 0; i < plan.Fields.Length; i++)
        {
            var stored = materializationData.GetPropertyValue<string?>(plan.Fields[i].Stored);
            texts[i] = stored is null ? null : protector.Open(stored);
            plan.Fields[i].Text.SetValue(entity, texts[i]);
        }

        Texts.AddOrUpdate(entity, texts);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is PortalDbContext db && Changed(db) is { Count: > 0 } changes)
        {
            var lookUp = CasesToLookUp(db, changes);
            Seal(db, changes, lookUp.Count == 0 ? [] : keys.LiveKeys(db, lookUp));
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is PortalDbContext db && Changed(db) is { Count: > 0 } changes)
        {
            var lookUp = CasesToLookUp(db, changes);
            Seal(db, changes, lookUp.Count == 0 ? [] : await keys.LiveKeysAsync(db, lookUp, cancellationToken));
        }

        return result;
    }

    /// <summary>Protected fields of tracked entities that are new or differ from what was loaded or last saved.</summary>
    private List<Change> Changed(PortalDbContext db)
    {
        var changes = new List<Change>();
        var entries = db.ChangeTracker.Entries().ToList();
        foreach (var entry in entries)
        {
            if (entry.State is EntityState.Deleted or EntityState.Detached || PlanFor(entry.Metadata) is not { } plan)
            {
                continue;
            }

            Texts.TryGetValue(entry.Entity, out var known);
            Guid? caseId = null;
            var caseIdKnown = false;

            // A row that moved to another case (a request linked into the person's case) is sealed again, every field,
            // with its new case's key: the old case's key, and retention of the old case, no longer reach it.
            var moved = entry.State != EntityState.Added && plan.Fields.Length > 0 && MovedCase(entry, entries);
            for (var i = 0; i < plan.Fields.Length; i++)
            {
                var text = (string?)plan.Fields[i].Text.GetValue(entry.Entity);
                if (!moved && entry.State != EntityState.Added && known is not null && known[i] == text)
                {
                    continue;
                }

                if (!caseIdKnown)
                {
                    caseId = CaseIdOf(entry, entries);
                    caseIdKnown = true;
                }

                changes.Add(new Change(entry, plan, i, text, caseId));
            }
        }

        return changes;
    }

    /// <summary>Cases whose key must be read: not those created in this unit of work, nor those whose key it creates.</summary>
    private static List<Guid> CasesToLookUp(PortalDbContext db, List<Change> changes)
    {
        var newCases = db.ChangeTracker.Entries<Portal.Domain.Cases.Case>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.Id)
            .Concat(db.ChangeTracker.Entries<CaseKey>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.CaseId))
            .ToHashSet();
        return changes.Where(c => c.Text is { Length: > 0 } && c.CaseId is { } id && !newCases.Contains(id)).Select(c => c.CaseId!.Value).Distinct().ToList();
    }

    private void Seal(PortalDbContext db, List<Change> changes, Dictionary<Guid, (Guid KeyId, byte[] Key)> live)
    {
        foreach (var added in db.ChangeTracker.Entries<CaseKey>().Where(e => e.State == EntityState.Added))
        {
            live.TryAdd(added.Entity.CaseId, (added.Entity.Id, keys.KeyFor(added.Entity.Id)));
        }

        foreach (var change in changes)
        {
            string? stored = change.Text;
            if (change.Text is { Length: > 0 } text)
            {
                if (change.CaseId is { } caseId)
                {
                    if (!live.TryGetValue(caseId, out var key))
                    {
                        key = keys.Create(db, caseId);
                        live[caseId] = key;
                    }

                    stored = protector.Seal(text, key.KeyId, key.Key);
                }
                else
                {
                    stored = protector.SealWithKeyRing(text);
                }
            }

            var field = change.Plan.Fields[change.Index];
            change.Entry.Property(field.Stored.Name).CurrentValue = stored;
            var texts = Texts.TryGetValue(change.Entry.Entity, out var known) ? known : new string?[change.Plan.Fields.Length];
            if (known is null)
            {
                // A new entity's other fields are sealed in this same pass; record them all as they are now.
                for (var i = 0; i < texts.Length; i++)
                {
                    texts[i] = (string?)change.Plan.Fields[i].Text.GetValue(change.Entry.Entity);
                }

                Texts.AddOrUpdate(change.Entry.Entity, texts);
            }

            texts[change.Index] = change.Text;
        }
    }

    /// <summary>Whether the case an entry belongs to changed since it was loaded: its own data key, or its owner's.</summary>
    private static bool MovedCase(EntityEntry entry, List<EntityEntry> entries)
    {
        var plan = PlanFor(entry.Metadata);
        if (plan?.DataKey is { } property)
        {
            var key = entry.Property(property);
            return key.IsModified && !Equals(key.OriginalValue, key.CurrentValue);
        }

        if (entry.Metadata.FindOwnership() is not { } ownership)
        {
            return false;
        }

        var ownerKey = ownership.Properties.Select(p => entry.Property(p.Name).CurrentValue).ToArray();
        var owner = entries.FirstOrDefault(e => e.Metadata == ownership.PrincipalEntityType
            && ownership.PrincipalKey.Properties.Select(p => e.Property(p.Name).CurrentValue).SequenceEqual(ownerKey));
        return owner is not null && MovedCase(owner, entries);
    }

    /// <summary>The case an entry belongs to: its own data key property, or its owner's for an owned type.</summary>
    private Guid? CaseIdOf(EntityEntry entry, List<EntityEntry> entries)
    {
        var plan = PlanFor(entry.Metadata);
        if (plan?.DataKey is { } property)
        {
            return (Guid?)entry.Property(property).CurrentValue;
        }

        if (entry.Metadata.FindOwnership() is not { } ownership)
        {
            return null;
        }

        var ownerKey = ownership.Properties.Select(p => entry.Property(p.Name).CurrentValue).ToArray();
        var owner = entries.FirstOrDefault(e => e.Metadata == ownership.PrincipalEntityType
            && ownership.PrincipalKey.Properties.Select(p => e.Property(p.Name).CurrentValue).SequenceEqual(ownerKey));
        return owner is null ? null : CaseIdOf(owner, entries);
    }

    /// <summary>What of an entity type is protected (from its model annotations); null when nothing is.</summary>
    internal static Plan? PlanFor(IReadOnlyEntityType entityType) => Plans.GetOrAdd(entityType, type =>
    {
        var fields = type.GetProperties()
            .Where(p => p.FindAnnotation(ProtectedColumns.Annotation) is not null)
            .Select(p => new Field(
                (IProperty)p,
                type.ClrType.GetProperty((string)p[ProtectedColumns.Annotation]!, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                    ?? throw new InvalidOperationException($"{type.DisplayName()} has no property {p[ProtectedColumns.Annotation]}.")))
            .ToArray();
        var dataKey = (string?)type.FindAnnotation(ProtectedColumns.DataKeyAnnotation)?.Value;
        return fields.Length == 0 && dataKey is null ? null : new Plan(fields, dataKey);
    });

    internal sealed record Field(IProperty Stored, PropertyInfo Text);

    internal sealed record Plan(Field[] Fields, string? DataKey);

    private sealed record Change(EntityEntry Entry, Plan Plan, int Index, string? Text, Guid? CaseId);
}

/// <summary>
/// Opens protected columns as rows are materialised, with the key ring of the app whose context loads them. One
/// instance for the whole process: EF builds its internal services around materialisation interceptors, so an
/// instance per app (tests start dozens in one process) would make it build them again for every app.
/// </summary>
public sealed class ProtectedFieldsMaterializer : IMaterializationInterceptor
{
    public static ProtectedFieldsMaterializer Instance { get; } = new();

    private ProtectedFieldsMaterializer()
    {
    }

    /// <exception cref="ProtectedDataUnreadableException">A field cannot be opened: its case key is destroyed or missing.</exception>
    public object InitializedInstance(MaterializationInterceptionData materializationData, object entity)
    {
        if (ProtectedFieldsInterceptor.PlanFor(materializationData.EntityType) is not { Fields.Length: > 0 } plan)
        {
            return entity;
        }

        var app = materializationData.Context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider
            ?? throw new InvalidOperationException("The portal's contexts come from its own DbContext factory, which knows the app's services.");
        app.GetRequiredService<ProtectedFieldsInterceptor>().Open(materializationData, entity, plan);
        return entity;
    }
}
