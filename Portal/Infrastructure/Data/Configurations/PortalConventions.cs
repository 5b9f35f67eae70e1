using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Domain.Cases;
using Portal.Domain.Common;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// Model-wide rules, applied before the per-entity configurations: every domain enum is stored by name (readable in
/// the database and immune to reordering the enum), and every instant is UTC on the way in and out.
/// </summary>
public static class PortalConventions
{
    /// <summary>Room for any enum name the domain has or is likely to get; checked when the model is built.</summary>
    public const int EnumMaxLength = 64;

    public const int CountryCodeMaxLength = 2;

    /// <summary>CC-yyyy-nnnnnnnnn: the longest number <see cref="CaseNumber"/> can issue.</summary>
    public const int CaseNumberMaxLength = 17;

    public static void Apply(ModelConfigurationBuilder configuration)
    {
        foreach (var enumType in typeof(Case).Assembly.GetTypes().Where(t => t.IsEnum && (t.IsPublic || t.IsNestedPublic)))
        {
            var longest = Enum.GetNames(enumType).Max(n => n.Length);
            if (longest > EnumMaxLength)
            {
                throw new InvalidOperationException($"{enumType.Name} has a value name longer than {EnumMaxLength} characters; widen {nameof(EnumMaxLength)}.");
            }

            configuration.Properties(enumType).HaveConversion<string>().HaveMaxLength(EnumMaxLength);
        }

        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configuration.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    /// <summary>
    /// A versioned record's version is its concurrency token: the update names the version that was loaded, so of two
    /// people saving changes to the same record, the second is refused (DbUpdateConcurrencyException), never merged.
    /// </summary>
    public static void VersionsAreConcurrencyTokens(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes().Where(e => !e.IsOwned() && typeof(VersionedEntity).IsAssignableFrom(e.ClrType)))
        {
            builder.Entity(entity.ClrType).Property(nameof(VersionedEntity.Version)).IsConcurrencyToken();
        }
    }

    /// <summary>Who created and last changed the record; the ids are ASP.NET Core Identity user ids or job names.</summary>
    public static void HasAuditStamps<T>(this EntityTypeBuilder<T> builder)
        where T : AuditedEntity
    {
        builder.Property(e => e.CreatedBy).HasMaxLength(Guard.UserIdMaxLength);
        builder.Property(e => e.ChangedBy).HasMaxLength(Guard.UserIdMaxLength);
    }

    /// <summary>Enum elements of a JSON primitive collection are stored by name too: ["Medical","Legal"].</summary>
    public static PrimitiveCollectionBuilder<TProperty> HasEnumNames<TProperty>(this PrimitiveCollectionBuilder<TProperty> collection)
    {
        collection.ElementType(e => e.HasConversion<string>());
        return collection;
    }
}

/// <summary>
/// SQLite has no date type and gives DateTime back as Unspecified; everything the portal stores is UTC, so say so on
/// the way out. On the way in an Unspecified value is taken as UTC (the domain's convention) and a Local one converted,
/// which PostgreSQL's timestamptz also requires.
/// </summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
