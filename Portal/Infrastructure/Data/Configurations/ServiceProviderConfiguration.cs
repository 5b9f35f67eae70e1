using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Countries;
using ServiceProvider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Infrastructure.Data.Configurations;

public sealed class ServiceProviderConfiguration : IEntityTypeConfiguration<ServiceProvider>
{
    public void Configure(EntityTypeBuilder<ServiceProvider> builder)
    {
        builder.ToTable("ServiceProviders");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.CountryCode).HasMaxLength(PortalConventions.CountryCodeMaxLength);
        builder.Property(p => p.Name).HasMaxLength(ServiceProvider.NameMaxLength);
        builder.Property(p => p.Contact).HasMaxLength(ServiceProvider.ContactMaxLength);
        builder.PrimitiveCollection(p => p.ServicesOffered).HasField("_servicesOffered").UsePropertyAccessMode(PropertyAccessMode.Field).HasEnumNames();
        builder.PrimitiveCollection(p => p.Languages).HasField("_languages").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasAuditStamps();

        builder.HasOne<Country>().WithMany().HasForeignKey(p => p.CountryCode).OnDelete(DeleteBehavior.Restrict);

        // The provider picker: active providers of one country by name.
        builder.HasIndex(p => new { p.CountryCode, p.IsActive, p.Name });
    }
}
