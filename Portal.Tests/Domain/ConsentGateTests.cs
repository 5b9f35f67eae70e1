using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Consents;
using Portal.Domain.Providers;
using Portal.Domain.Referrals;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

public class ConsentGateTests
{
    private readonly FakeTimeProvider _clock = NewClock();
    private readonly Case _case;
    private readonly ServiceProvider _provider = Provider();

    public ConsentGateTests()
    {
        _case = CaseIn(CaseStatus.Assistance, _clock);
    }

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    [Fact]
    public void Without_any_consent_nothing_may_be_sent()
    {
        var check = ConsentGate.Check(_case, _provider.Id, Now);

        Assert.False(check.IsSatisfied);
        Assert.Equal(MissingConsent.NoConsentRecorded, Assert.Single(check.Missing).Kind);
    }

    [Fact]
    public void Consent_to_services_and_to_sharing_with_the_provider_satisfies_the_gate()
    {
        ConsentFor(_case, _clock, _provider);

        Assert.True(ConsentGate.Check(_case, _provider.Id, Now).IsSatisfied);
    }

    [Fact]
    public void Consent_without_services_is_missing_services()
    {
        _case.RecordConsent(ConsentGiver.Person, forServices: false, true, [_provider.Id], SharedField.None, null, Advocate, _clock);

        var check = ConsentGate.Check(_case, _provider.Id, Now);

        Assert.Equal(MissingConsent.NoConsentForServices, Assert.Single(check.Missing).Kind);
    }

    [Fact]
    public void A_provider_not_named_in_the_consent_is_missing_sharing()
    {
        var other = Provider();
        ConsentFor(_case, _clock, other);

        var check = ConsentGate.Check(_case, _provider.Id, Now);

        Assert.Equal(MissingConsent.NoConsentToShareWithProvider, Assert.Single(check.Missing).Kind);
    }

    [Fact]
    public void Every_missing_item_is_listed_with_a_message()
    {
        _case.RecordConsent(ConsentGiver.Person, forServices: false, false, [], SharedField.None, null, Advocate, _clock);

        var check = ConsentGate.Check(_case, _provider.Id, Now);

        Assert.Equal(
            new[] { MissingConsent.NoConsentForServices, MissingConsent.NoConsentToShareWithProvider },
            check.Missing.Select(m => m.Kind));
        Assert.All(check.Missing, m => Assert.False(string.IsNullOrWhiteSpace(m.Message)));
    }

    [Fact]
    public void Revoked_consent_no_longer_counts_until_new_consent_is_recorded()
    {
        ConsentFor(_case, _clock, _provider);
        _case.RevokeConsent(Advocate, _clock);

        Assert.Null(_case.CurrentConsent);
        Assert.Equal(MissingConsent.ConsentRevoked, Assert.Single(ConsentGate.Check(_case, _provider.Id, Now).Missing).Kind);

        ConsentFor(_case, _clock, _provider);
        Assert.True(ConsentGate.Check(_case, _provider.Id, Now).IsSatisfied);
    }

    [Fact]
    public void The_latest_consent_supersedes_earlier_ones()
    {
        ConsentFor(_case, _clock, _provider);
        _case.RecordConsent(ConsentGiver.Person, true, true, [], SharedField.None, "Nothing to the police.", Advocate, _clock);

        Assert.Equal(2, _case.Consents.Count);
        Assert.Equal(2, _case.CurrentConsent!.Sequence);
        Assert.Equal(MissingConsent.NoConsentToShareWithProvider, Assert.Single(ConsentGate.Check(_case, _provider.Id, Now).Missing).Kind);
    }

    [Fact]
    public void Revoking_without_consent_in_force_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => _case.RevokeConsent(Advocate, _clock));

        Assert.Equal(ErrorCodes.NoConsent, ex.Code);
    }

    [Fact]
    public void A_caregivers_consent_stops_counting_when_the_child_turns_18()
    {
        var child = ChildCase(new DateOnly(2010, 6, 15), birthYear: null);
        child.RecordConsent(ConsentGiver.Caregiver, true, true, [_provider.Id], SharedField.None, null, Advocate, _clock);

        Assert.True(ConsentGate.Check(child, _provider.Id, Utc(2028, 6, 14, 12)).IsSatisfied);
        Assert.False(child.NeedsReconsent(Utc(2028, 6, 14, 12)));

        var onBirthday = ConsentGate.Check(child, _provider.Id, Utc(2028, 6, 15, 0));
        Assert.True(child.NeedsReconsent(Utc(2028, 6, 15, 0)));
        Assert.Equal(MissingConsent.ReconsentRequiredAt18, Assert.Single(onBirthday.Missing).Kind);
    }

    [Fact]
    public void With_only_a_birth_year_reconsent_is_due_from_1_January_of_the_18th_year()
    {
        var child = ChildCase(null, birthYear: 2010);
        child.RecordConsent(ConsentGiver.Caregiver, true, true, [_provider.Id], SharedField.None, null, Advocate, _clock);

        Assert.False(child.NeedsReconsent(Utc(2027, 12, 31, 23)));
        Assert.True(child.NeedsReconsent(Utc(2028, 1, 1, 0)));
    }

    [Fact]
    public void The_persons_own_consent_after_18_counts_again()
    {
        var child = ChildCase(new DateOnly(2010, 6, 15), birthYear: null);
        child.RecordConsent(ConsentGiver.Caregiver, true, true, [_provider.Id], SharedField.None, null, Advocate, _clock);
        _clock.SetUtcNow(new DateTimeOffset(2028, 7, 1, 9, 0, 0, TimeSpan.Zero));

        child.RecordConsent(ConsentGiver.Person, true, true, [_provider.Id], SharedField.None, null, Advocate, _clock);

        Assert.False(child.NeedsReconsent(_clock));
        Assert.True(ConsentGate.Check(child, _provider.Id, Now).IsSatisfied);
    }

    [Fact]
    public void A_persons_own_consent_never_needs_reconsent()
    {
        var child = ChildCase(new DateOnly(2010, 6, 15), birthYear: null);
        child.RecordConsent(ConsentGiver.Person, true, true, [_provider.Id], SharedField.None, null, Advocate, _clock);

        Assert.False(child.NeedsReconsent(Utc(2030, 1, 1, 0)));
    }

    [Fact]
    public void Sending_without_consent_is_refused_with_the_missing_items_and_the_referral_stays_a_draft()
    {
        var referral = Referral.Create(_case, ReferralType.Medical, _provider, "Check-up", ReferralUrgency.Routine, Advocate, _clock);
        _case.RecordConsent(ConsentGiver.Person, forServices: true, true, [], SharedField.None, null, Advocate, _clock);

        var ex = Assert.Throws<ConsentRequiredException>(() => referral.Send(_case, _provider, Policy, Advocate, _clock));

        Assert.Equal(ErrorCodes.ReferralConsentRequired, ex.Code);
        Assert.Equal(MissingConsent.NoConsentToShareWithProvider, Assert.Single(ex.Missing).Kind);
        Assert.Equal(ReferralStatus.Draft, referral.Status);
        Assert.Null(referral.SentAtUtc);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Overriding_consent_needs_a_written_reason(string? reason)
    {
        var referral = Referral.Create(_case, ReferralType.SafetyAndProtection, _provider, "Threats", ReferralUrgency.Emergency, Advocate, _clock);

        var ex = Assert.Throws<DomainException>(() => referral.SendWithConsentOverride(_case, _provider, Policy, Coordinator, reason!, _clock));

        Assert.Equal(ErrorCodes.Required, ex.Code);
        Assert.Equal(ReferralStatus.Draft, referral.Status);
        Assert.Null(referral.ConsentOverride);
    }

    [Fact]
    public void A_consent_override_sends_and_records_who_why_and_what_was_missing()
    {
        var referral = Referral.Create(_case, ReferralType.SafetyAndProtection, _provider, "Threats", ReferralUrgency.Emergency, Advocate, _clock);

        referral.SendWithConsentOverride(_case, _provider, Policy, Coordinator, "Immediate danger to life; person unreachable.", _clock);

        Assert.Equal(ReferralStatus.Sent, referral.Status);
        Assert.NotNull(referral.ConsentOverride);
        Assert.Equal(Coordinator, referral.ConsentOverride.ByUserId);
        Assert.Equal("Immediate danger to life; person unreachable.", referral.ConsentOverride.Reason);
        Assert.Equal(nameof(MissingConsent.NoConsentRecorded), referral.ConsentOverride.MissingConsent);
        Assert.Equal(Now, referral.ConsentOverride.AtUtc);
    }

    [Fact]
    public void An_override_when_consent_is_complete_records_no_override()
    {
        ConsentFor(_case, _clock, _provider);
        var referral = Referral.Create(_case, ReferralType.Medical, _provider, "Check-up", ReferralUrgency.Routine, Advocate, _clock);

        referral.SendWithConsentOverride(_case, _provider, Policy, Coordinator, "Just in case", _clock);

        Assert.Equal(ReferralStatus.Sent, referral.Status);
        Assert.Null(referral.ConsentOverride);
    }

    private Case ChildCase(DateOnly? dateOfBirth, int? birthYear)
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        c.UpdateProfile(SurvivorProfile.Create(Sex.Female, AgeGroup.Child, dateOfBirth, birthYear, ["fr"], false, null, "Bria", false, _clock));
        return c;
    }
}
