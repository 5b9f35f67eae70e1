using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Infrastructure.Security;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// Identifying columns are marked in their entity configuration with <see cref="IsProtected{T}"/> and encrypted
/// with the app's <see cref="FieldProtector"/> on the way in and out. They cannot be searched or sorted by the
/// database, which is the point.
/// </summary>
public static class ProtectedColumns
{
    private const string Annotation = "Portal:Protected";

    public static PropertyBuilder<T> IsProtected<T>(this PropertyBuilder<T> property) => property.HasAnnotation(Annotation, true);

    internal static void Apply(ModelBuilder builder, FieldProtector protector)
    {
        var converter = new ValueConverter<string, string>(v => protector.Protect(v)!, v => protector.Unprotect(v)!);
        var protectedProperties = builder.Model.GetEntityTypes()
            .SelectMany(e => e.GetProperties())
            .Where(p => p.FindAnnotation(Annotation) is not null);
        foreach (var property in protectedProperties)
        {
            property.SetValueConverter(converter);
        }
    }
}
