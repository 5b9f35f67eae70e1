using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Common;
using Portal.Domain.Countries;
using Portal.Domain.Intake;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// What the public form received. Contact details and safe times reach the person, so they are encrypted; so is
/// every text the person wrote (what happened and later additions), because that is where names and numbers end up
/// ("call my sister on ..."). The area is a quasi-identifier (a village with a date can name a person) and is encrypted
/// too; the country stays in clear for the queues and the dashboard. None of them is ever searched by the database, and
/// none has a length limit in the database: ciphertext is longer than the text, which the domain bounds.
/// </summary>
public sealed class IntakeSubmissionConfiguration : IEntityTypeConfiguration<IntakeSubmission>
{
    /// <summary>"K7QM-4HXP-R2TD".</summary>
    public const int ReferenceCodeLength = 14;

    public void Configure(EntityTypeBuilder<IntakeSubmission> builder)
    {
        builder.ToTable("IntakeSubmissions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasDataKey(s => s.CaseId);
        builder.Property(s => s.Language).HasMaxLength(Guard.CultureCodeMaxLength);
        builder.Property(s => s.CountryCode).HasMaxLength(PortalConventions.CountryCodeMaxLength);
        builder.Property(s => s.Area).IsProtected();
        builder.Property(s => s.WhatHappened).IsProtected();
        builder.Property(s => s.ContactDetails).IsProtected();
        builder.Property(s => s.SafeTimes).IsProtected();
        builder.Property(s => s.ReferenceCode).HasMaxLength(ReferenceCodeLength);
        builder.Property(s => s.PassphraseHash).HasMaxLength(IntakeSubmission.PassphraseHashMaxLength);
        builder.PrimitiveCollection(s => s.HelpWanted).HasField("_helpWanted").UsePropertyAccessMode(PropertyAccessMode.Field).HasEnumNames();
        builder.PrimitiveCollection(s => s.ContactChannels).HasField("_contactChannels").UsePropertyAccessMode(PropertyAccessMode.Field).HasEnumNames();

        builder.HasOne<Country>().WithMany().HasForeignKey(s => s.CountryCode).OnDelete(DeleteBehavior.Restrict);

        builder.OwnsMany(s => s.AdditionalInformation, addition =>
        {
            addition.ToTable("IntakeAdditions");
            addition.WithOwner().HasForeignKey("IntakeSubmissionId");
            addition.HasKey("IntakeSubmissionId", nameof(IntakeAddition.Sequence));
            addition.Property(a => a.Sequence).ValueGeneratedNever();
            addition.Property(a => a.Text).IsProtected();
            addition.Property(a => a.SafeTimes).IsProtected();
        });
        builder.Navigation(s => s.AdditionalInformation).HasField("_additionalInformation").UsePropertyAccessMode(PropertyAccessMode.Field);

        // The person checks on the submission with its reference code.
        builder.HasIndex(s => s.ReferenceCode).IsUnique();
        builder.HasIndex(s => s.CaseId);
        builder.HasIndex(s => s.ReceivedAtUtc);

        // The reminder scan reads the range of unread moments that fell due since it last looked.
        builder.HasIndex(s => s.UnreadSinceUtc);
    }
}
