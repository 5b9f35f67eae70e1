using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.Notes;
using Portal.Domain.Providers;
using Portal.Domain.Referrals;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

/// <summary>The smaller records around a case: profile, identity, children, notes, providers.</summary>
public class CaseRecordsTests
{
    private readonly FakeTimeProvider _clock = NewClock();

    [Fact]
    public void A_profile_follows_birth_data_as_the_person_grows_up()
    {
        var profile = SurvivorProfile.Create(Sex.Female, AgeGroup.Child, new DateOnly(2010, 6, 15), null, ["fr", "sg", "FR"], false, null, "Bria", true, _clock);

        Assert.Equal(AgeGroup.Child, profile.AgeGroupOn(new DateOnly(2028, 6, 14)));
        Assert.Equal(AgeGroup.Adult, profile.AgeGroupOn(new DateOnly(2028, 6, 15)));
        Assert.Equal(2010, profile.BirthYear);
        Assert.Equal(new[] { "fr", "sg" }, profile.Languages);
    }

    [Fact]
    public void Without_birth_data_the_recorded_age_group_stands()
    {
        var profile = SurvivorProfile.Create(Sex.Female, AgeGroup.Child, null, null, [], false, null, null, false, _clock);

        Assert.Equal(AgeGroup.Child, profile.AgeGroupOn(new DateOnly(2040, 1, 1)));
    }

    [Fact]
    public void Birth_data_must_be_plausible_and_consistent()
    {
        Assert.Equal(ErrorCodes.DateInFuture, Assert.Throws<DomainException>(() => Profile(new DateOnly(2026, 3, 10), null)).Code);
        Assert.Equal(ErrorCodes.InvalidValue, Assert.Throws<DomainException>(() => Profile(null, 1850)).Code);
        Assert.Equal(ErrorCodes.InvalidValue, Assert.Throws<DomainException>(() => Profile(new DateOnly(2010, 6, 15), 2011)).Code);
    }

    [Fact]
    public void A_phone_or_whatsapp_channel_needs_a_phone_number()
    {
        var ex = Assert.Throws<DomainException>(() => IdentityRecord.Create(Guid.NewGuid(), Identity() with { Phone = null }));

        Assert.Equal(ErrorCodes.Required, ex.Code);
        Assert.Throws<DomainException>(() => IdentityRecord.Create(Guid.NewGuid(), Identity() with { Phone = null, ContactChannel = ContactChannel.WhatsApp }));
    }

    [Fact]
    public void An_email_channel_needs_a_valid_address()
    {
        Assert.Equal(
            ErrorCodes.Required,
            Assert.Throws<DomainException>(() => IdentityRecord.Create(Guid.NewGuid(), Identity() with { ContactChannel = ContactChannel.Email })).Code);
        Assert.Equal(
            ErrorCodes.InvalidFormat,
            Assert.Throws<DomainException>(() => IdentityRecord.Create(Guid.NewGuid(), Identity() with { Email = "not an address" })).Code);
    }

    [Fact]
    public void An_identity_record_is_keyed_by_its_case_and_can_be_updated()
    {
        var caseId = Guid.NewGuid();
        var record = IdentityRecord.Create(caseId, Identity());

        record.Update(Identity() with { ContactChannel = ContactChannel.TrustedPerson, Phone = null, ExactAddress = "Quartier Lumumba" });

        Assert.Equal(caseId, record.CaseId);
        Assert.Equal(ContactChannel.TrustedPerson, record.ContactChannel);
        Assert.Null(record.Phone);
        Assert.Equal("Quartier Lumumba", record.ExactAddress);
        Assert.Equal("Amina", record.GivenName);
    }

    [Fact]
    public void A_childs_age_is_counted_in_completed_months()
    {
        var child = Child.Register(Guid.NewGuid(), "Child A", new DateOnly(2024, 5, 20), null, Sex.Male, null, _clock);

        Assert.Equal(21, child.AgeInMonths(new DateOnly(2026, 3, 3)));
        Assert.Equal(22, child.AgeInMonths(new DateOnly(2026, 3, 20)));
        Assert.Null(child.AgeInMonths(new DateOnly(2024, 1, 1)));
    }

    [Fact]
    public void A_child_needs_a_pseudonym_and_a_birth_date_not_in_the_future()
    {
        Assert.Equal(ErrorCodes.Required, Assert.Throws<DomainException>(() => Child.Register(Guid.NewGuid(), " ", null, 2024, Sex.Female, null, _clock)).Code);
        Assert.Equal(
            ErrorCodes.DateInFuture,
            Assert.Throws<DomainException>(() => Child.Register(Guid.NewGuid(), "Child B", new DateOnly(2027, 1, 1), null, Sex.Female, null, _clock)).Code);
    }

    [Fact]
    public void A_note_is_required_and_at_most_10000_characters()
    {
        var caseId = Guid.NewGuid();

        var note = Note.Create(caseId, new string('n', 10_000), Advocate, _clock);

        Assert.Equal(Start.UtcDateTime, note.CreatedAtUtc);
        Assert.Equal(Advocate, note.AuthorId);
        Assert.Equal(ErrorCodes.TooLong, Assert.Throws<DomainException>(() => Note.Create(caseId, new string('n', 10_001), Advocate, _clock)).Code);
        Assert.Equal(ErrorCodes.Required, Assert.Throws<DomainException>(() => Note.Create(caseId, "\n ", Advocate, _clock)).Code);
    }

    [Fact]
    public void A_provider_offers_at_least_one_service_and_can_be_deactivated_and_reactivated()
    {
        var provider = ServiceProvider.Create("ht", "Centre Kay Fanm", [ReferralType.Psychosocial, ReferralType.Legal], ["fr", "ht"], null);

        Assert.Equal("HT", provider.CountryCode);
        Assert.True(provider.IsActive);
        Assert.True(provider.Offers(ReferralType.Legal));
        Assert.False(provider.Offers(ReferralType.Medical));

        provider.Deactivate();
        Assert.False(provider.IsActive);
        provider.Activate();
        Assert.True(provider.IsActive);

        Assert.Equal(ErrorCodes.Required, Assert.Throws<DomainException>(() => provider.Update("Centre Kay Fanm", [], ["fr"], null)).Code);
    }

    private static IdentityDetails Identity() =>
        new("Amina", "K.", null, "+236 000 000", null, ContactChannel.Phone, "After 18:00", null);

    private SurvivorProfile Profile(DateOnly? dateOfBirth, int? birthYear) =>
        SurvivorProfile.Create(Sex.Female, AgeGroup.Unknown, dateOfBirth, birthYear, [], false, null, null, false, _clock);
}
