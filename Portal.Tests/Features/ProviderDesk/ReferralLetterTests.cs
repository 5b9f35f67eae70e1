using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Consents;
using Portal.Domain.Providers;
using Portal.Domain.Referrals;
using Portal.Features.ProviderDesk;
using Portal.Resources;
using Portal.Tests.TestSupport;
using UglyToad.PdfPig;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Features.ProviderDesk;

/// <summary>The letter read back from its PDF: what a provider would see printed, not what the code meant to draw.</summary>
public sealed class ReferralLetterTests
{
    private const string Resource = "Portal/Features/ProviderDesk/ProviderDeskText";
    private const string Zone = "Africa/Kinshasa";
    private const string Phone = "+243 81 555 0199";

    private readonly FakeTimeProvider _clock = NewClock();
    private readonly Case _case;
    private readonly ServiceProvider _provider = Provider();
    private readonly IdentityRecord _identity;
    private readonly Referral _referral;
    private readonly ReferralLetter _letter = new(Localizers.For<ProviderDeskText>(), Localizers.For<SharedResource>());

    public ReferralLetterTests()
    {
        _case = CaseIn(CaseStatus.Assistance, _clock);
        _case.UpdateProfile(SurvivorProfile.Create(Sex.Female, AgeGroup.Adult, null, 1998, ["fr", "sg"], false, null, "Kalehe", false, _clock));
        _identity = IdentityRecord.Create(_case.Id, new IdentityDetails("Amani", "Kahindo", null, Phone, "amani@example.org", ContactChannel.Phone, "Weekdays after 16:00", "Avenue 12"));
        _referral = Referral.Create(_case, ReferralType.Medical, _provider, "Post-exposure prophylaxis and a check-up.", ReferralUrgency.Urgent, Advocate, _clock);
    }

    [Fact]
    public void With_name_and_contact_shared_the_letter_names_the_person_and_their_phone_whatever_the_callers_culture()
    {
        var copy = SentWith(SharedField.Name | SharedField.Contact);
        _referral.Schedule(Utc(2026, 3, 5, 10), "provider-1", _clock);
        copy = copy with { AppointmentAtUtc = _referral.AppointmentAtUtc };
        var callers = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr");
        byte[] pdf;
        try
        {
            pdf = _letter.Render(copy, "Clinique Espoir", "en", Zone);
            Assert.Equal("fr", CultureInfo.CurrentUICulture.Name);
        }
        finally
        {
            CultureInfo.CurrentUICulture = callers;
        }

        var text = AllText(pdf);
        Assert.Contains("Amani Kahindo", text, StringComparison.Ordinal);
        Assert.Contains(Phone, text, StringComparison.Ordinal);
        Assert.Contains("amani@example.org", text, StringComparison.Ordinal);
        Assert.Contains(En("Letter_Title"), text, StringComparison.Ordinal);
        Assert.Contains(En("Letter_Footer"), text, StringComparison.Ordinal);
        Assert.Contains(copy.Reference, text, StringComparison.Ordinal);
        Assert.Contains("2026-03-05 11:00 (Africa/Kinshasa)", text, StringComparison.Ordinal);
        Assert.Contains(TimeZones.Describe(copy.SentAtUtc!.Value, Zone), text, StringComparison.Ordinal);
        Assert.DoesNotContain("Kalehe", text, StringComparison.Ordinal);
        Assert.DoesNotContain("1998", text, StringComparison.Ordinal);
        Assert.DoesNotContain(En("Letter_NotShared"), text, StringComparison.Ordinal);
        using var document = PdfDocument.Open(pdf);
        Assert.Equal(copy.Reference, document.Information.Title);
        Assert.Null(document.Information.Author);
    }

    [Fact]
    public void With_nothing_shared_the_letter_says_so_and_names_no_one()
    {
        var copy = SentWith(SharedField.None);
        Assert.Equal("Amani", _identity.GivenName);

        var text = AllText(_letter.Render(copy, "Clinique Espoir", "en", Zone));

        Assert.DoesNotContain("Amani", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Kahindo", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0199", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Weekdays", text, StringComparison.Ordinal);
        Assert.DoesNotContain(En("Letter_Name"), text, StringComparison.Ordinal);
        Assert.Contains(En("Letter_NotShared"), text, StringComparison.Ordinal);
        Assert.Contains("Post-exposure prophylaxis and a check-up.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_french_provider_reads_the_letter_in_french()
    {
        var copy = SentWith(SharedField.AgeAndSex | SharedField.District);

        var text = AllText(_letter.Render(copy, "Clinique Espoir", "fr", Zone));

        Assert.StartsWith(Fr("Letter_Title"), text, StringComparison.Ordinal);
        Assert.Equal("Orientation", Fr("Letter_Title"));
        foreach (var key in new[] { "Letter_Reference", "Letter_CaseNumber", "Letter_Urgency", "Letter_Reason", "Letter_AboutPerson", "Letter_Sex", "Letter_District", "Letter_Footer" })
        {
            Assert.Contains(Fr(key), text, StringComparison.Ordinal);
        }

        Assert.Contains("Médical", text, StringComparison.Ordinal);
        Assert.Contains("Urgente", text, StringComparison.Ordinal);
        Assert.Contains("Femme", text, StringComparison.Ordinal);
        Assert.Contains("Kalehe", text, StringComparison.Ordinal);
        Assert.DoesNotContain(En("Letter_AboutPerson"), text, StringComparison.Ordinal);
        Assert.DoesNotContain(En("Letter_Footer"), text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_reason_runs_onto_further_pages_to_its_last_line()
    {
        var words = Enumerable.Range(1, 1000).Select(i => $"w{i:D4}").ToList();
        const string lastLine = "Finally the person asks for a female doctor and an interpreter in Sango.";
        var reason = string.Join(" ", words) + "\n\n" + lastLine;
        Assert.True(reason.Length >= 6000, $"The reason has {reason.Length} characters.");
        var copy = SentWith(SharedField.None) with { Reason = reason };

        var pages = PageTexts(_letter.Render(copy, "Clinique Espoir", "en", Zone));

        Assert.True(pages.Count > 1, $"The letter has {pages.Count} page(s).");
        var all = pages.SelectMany(page => page.Split(' ')).ToHashSet(StringComparer.Ordinal);
        Assert.All(words, word => Assert.Contains(word, all));
        var lastPage = pages[^1].Split(' ');
        Assert.All(lastLine.Split(' '), word => Assert.Contains(word, lastPage));
        Assert.All(pages, page => Assert.Contains(En("Letter_Footer"), page, StringComparison.Ordinal));
    }

    /// <summary>Consent as given, then the referral sent, and what its provider may read of it.</summary>
    private ProviderCopy SentWith(SharedField shared)
    {
        _case.RecordConsent(ConsentGiver.Person, forServices: true, forSharingNonIdentifyingData: true, [_provider.Id], shared, null, Advocate, _clock);
        _referral.Send(_case, _provider, Policy, Advocate, _clock);
        var copy = ProviderCopy.Of(_referral, _case, _identity, _clock.GetUtcDateTime());
        Assert.Equal(shared, copy.Shared);
        return copy;
    }

    private static string En(string key) => ResourceFiles.Text(Resource, key, "en");

    private static string Fr(string key) => ResourceFiles.Text(Resource, key, "fr");

    private static string AllText(byte[] pdf) => string.Join(" ", PageTexts(pdf));

    /// <summary>Each page's words in reading order, one space apart, so a phrase a line wraps still reads whole.</summary>
    private static List<string> PageTexts(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().Select(page => string.Join(" ", page.GetWords().Select(word => word.Text))).ToList();
    }
}
