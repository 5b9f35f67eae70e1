using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// One row per country and year. <see cref="CaseNumbers"/> bumps it with a single atomic upsert; the concurrency
/// token guards any code that loads and saves the entity instead.
/// </summary>
public sealed class CaseNumberSequenceConfiguration : IEntityTypeConfiguration<CaseNumberSequence>
{
    public const string TableName = "CaseNumberSequences";

    public void Configure(EntityTypeBuilder<CaseNumberSequence> builder)
    {
        builder.ToTable(TableName);
        builder.HasKey(s => new { s.CountryCode, s.Year });
        builder.Property(s => s.CountryCode).HasMaxLength(PortalConventions.CountryCodeMaxLength);
        builder.Property(s => s.Year).ValueGeneratedNever();
        builder.Property(s => s.LastNumber).IsConcurrencyToken();
    }
}
