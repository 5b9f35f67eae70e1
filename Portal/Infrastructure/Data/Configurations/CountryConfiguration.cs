using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Countries;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>The default countries are inserted at start-up, not by the migration; see Seeding/ReferenceData.</summary>
public sealed class CountryConfiguration : IEntityTypeConfiguration<Country>
{
    public void Configure(EntityTypeBuilder<Country> builder)
    {
        builder.ToTable("Countries");
        builder.HasKey(c => c.Code);
        builder.Property(c => c.Code).HasMaxLength(PortalConventions.CountryCodeMaxLength).ValueGeneratedNever();
        builder.Property(c => c.Name).HasMaxLength(Country.NameMaxLength);
        builder.PrimitiveCollection(c => c.TimeZoneIds).HasField("_timeZoneIds").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.PrimitiveCollection(c => c.Languages).HasField("_languages").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasAuditStamps();
        builder.Ignore(c => c.PrimaryTimeZoneId);
    }
}
