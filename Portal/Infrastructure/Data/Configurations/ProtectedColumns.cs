using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// Identifying columns are marked in their entity configuration with <see cref="IsProtected{T}"/>, the one place that
/// says which columns are protected; <see cref="HasDataKey{T}"/> says which case an entity belongs to, so that its
/// protected columns are sealed with that case's key (owned types use their owner's). The columns hold ciphertext only
/// (see <see cref="Security.FieldProtector"/>); <see cref="ProtectedFieldsInterceptor"/> seals on save and opens on
/// load. The database cannot search, sort or filter by them, which is the point: a query that tries fails to translate.
/// <para>
/// How: each marked property is taken out of the model and a shadow property of the same column takes its place; the
/// entity's own property holds the text, the shadow property the stored ciphertext.
/// </para>
/// </summary>
public static class ProtectedColumns
{
    /// <summary>On a stored (shadow) property: the name of the entity's property whose text it holds sealed.</summary>
    internal const string Annotation = "Portal:Protected";

    /// <summary>On an entity type: the property holding the id of the case whose key seals its protected columns.</summary>
    internal const string DataKeyAnnotation = "Portal:DataKey";

    private const string MarkAnnotation = "Portal:ProtectedMark";
    private const string StoredSuffix = "Sealed";

    public static PropertyBuilder<T> IsProtected<T>(this PropertyBuilder<T> property) => property.HasAnnotation(MarkAnnotation, true);

    /// <summary>The entity belongs to the case whose id this property holds: its protected columns use that case's key.</summary>
    public static EntityTypeBuilder<T> HasDataKey<T>(this EntityTypeBuilder<T> entity, Expression<Func<T, Guid?>> caseId)
        where T : class =>
        entity.HasAnnotation(DataKeyAnnotation, MemberName(caseId));

    /// <summary>Replaces every marked property by its stored shadow property; run after the entity configurations.</summary>
    internal static void Apply(ModelBuilder builder)
    {
        foreach (var entityType in builder.Model.GetEntityTypes().ToList())
        {
            foreach (var property in entityType.GetDeclaredProperties().Where(p => p.FindAnnotation(MarkAnnotation) is not null).ToList())
            {
                if (property.ClrType != typeof(string) || property.PropertyInfo is null)
                {
                    throw new InvalidOperationException($"{entityType.DisplayName()}.{property.Name}: only string properties of the entity can be protected.");
                }

                var name = property.Name;
                var column = property.GetColumnName();
                var nullable = property.IsNullable;
                entityType.RemoveProperty(property);
                entityType.AddIgnored(name);
                var stored = entityType.AddProperty(name + StoredSuffix, typeof(string));
                stored.SetColumnName(column);
                stored.IsNullable = nullable;
                stored.SetAnnotation(Annotation, name);
            }
        }
    }

    private static string MemberName<T>(Expression<Func<T, Guid?>> expression) =>
        (expression.Body is UnaryExpression { Operand: MemberExpression converted } ? converted : expression.Body as MemberExpression)?.Member is PropertyInfo property
            ? property.Name
            : throw new ArgumentException("Name a property of the entity, as in e => e.CaseId.", nameof(expression));
}
