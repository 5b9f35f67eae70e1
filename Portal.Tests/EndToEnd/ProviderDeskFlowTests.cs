using System.Globalization;
using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// The referral loop closed with a provider that answers in the portal, in real Chromium: three people on their own
/// screens (the advocate, the clinic's staff member, a coordinator) and another provider's staff member who must see none of it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ProviderDeskFlowTests(EndToEndFixture fixture)
{
    private const string CaseText = "Portal/Features/Cases/CaseText";
    private const string ReferralText = "Portal/Features/Referrals/ReferralText";

    /// <summary>The demo legal-aid provider whose staff answer in the portal, and its demo staff member.</summary>
    private const string LegalAid = "Legal Aid Clinic Bangui (demo)";
    private const string ClinicStaff = "provider.cf@example.org";
    private const string OtherProviderStaff = "provider2.cf@example.org";

    [Fact]
    public async Task A_legal_referral_reaches_the_clinic_live_with_the_consented_fields_only_and_its_answers_reach_the_case_and_dashboard()
    {
        var advocate = await fixture.NewPageAsync();
        await advocate.SignInAsync("advocate.cf@example.org", returnPath: "/queues/new");
        var culture = await advocate.Locator("html").GetAttributeAsync("lang") ?? "en";
        string Case(string key) => ResourceFiles.Text(CaseText, key, culture);
        string Referral(string key) => ResourceFiles.Text(ReferralText, key, culture);

        var clinic = await fixture.NewPageAsync();
        await clinic.SignInAsync(ClinicStaff);
        await Assertions.Expect(clinic).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/provider$"));
        var coordinator = await fixture.NewPageAsync();
        await coordinator.SignInAsync("coordinator@example.org", returnPath: "/dashboard");
        var legalRow = coordinator.GetByTestId("referrals-Legal");
        await Assertions.Expect(legalRow).ToBeVisibleAsync();
        var legalFiguresBefore = await legalRow.InnerTextAsync();

        // The advocate takes up a new intake; the person consents to services and to sharing their sex and age only.
        var number = await advocate.ClaimFirstNewIntakeAsync();
        await advocate.OpenTabAsync(Case("Tab_Consent"));
        await advocate.GetByTestId("record-consent").ClickAsync();
        var consent = advocate.Locator(".mud-dialog");
        await consent.GetByText(Case("Consent_ForServices")).ClickAsync();
        await consent.GetByText(LegalAid).ClickAsync();
        await consent.GetByText(Case("Consent_Field_AgeAndSex")).ClickAsync();
        await advocate.GetByTestId("consent-save").ClickAsync();
        await Assertions.Expect(consent).ToBeHiddenAsync();
        await Assertions.Expect(advocate.GetByTestId("consent-shared-fields")).ToContainTextAsync(Case("Consent_Field_AgeAndSex"));

        await advocate.OpenTabAsync(Case("Tab_Referrals"));
        await advocate.GetByTestId("referral-create").ClickAsync();
        var dialog = advocate.Locator(".mud-dialog");
        await advocate.ChooseAsync(advocate.GetByTestId("referral-type"), Referral("Enum_ReferralType_Legal"));
        await advocate.ChooseAsync(advocate.GetByTestId("referral-provider"), LegalAid);
        const string reason = "Advice on a child-support claim across two jurisdictions";
        await dialog.Locator("textarea").First.FillAsync(reason);
        await Assertions.Expect(dialog).ToContainTextAsync($"{reason.Length} / ");
        await advocate.GetByTestId("referral-save").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        var row = advocate.GetByTestId("referral-row").Filter(new() { HasText = LegalAid });
        await row.GetByTestId("referral-action-Send").ClickAsync();
        await advocate.GetByTestId("referral-action-confirm").ClickAsync();
        await Assertions.Expect(row.Locator("[data-referral-status]")).ToHaveAttributeAsync("data-referral-status", "Sent");
        await Assertions.Expect(row.GetByTestId("referral-provider-in-portal")).ToBeVisibleAsync();

        // It appears on the clinic's open desk without a reload, and opens with the reason and only sex and age.
        var arrived = clinic.GetByTestId("desk-row-link").Filter(new() { HasText = number });
        await Assertions.Expect(arrived).ToBeVisibleAsync();
        await arrived.ClickAsync();
        await Assertions.Expect(clinic.GetByTestId("desk-reason")).ToHaveTextAsync(reason);
        await Assertions.Expect(clinic.GetByTestId("desk-sex-age")).ToBeVisibleAsync();
        await Assertions.Expect(clinic.GetByTestId("desk-name")).ToHaveCountAsync(0);
        await Assertions.Expect(clinic.GetByTestId("desk-contact")).ToHaveCountAsync(0);
        var referralUrl = clinic.Url;

        // The clinic gives an appointment: the advocate's case shows it live, accepted, with the appointment.
        var deskCulture = await clinic.Locator("html").GetAttributeAsync("lang") ?? "en";
        await clinic.GetByTestId("desk-action-Schedule").ClickAsync();
        var schedule = clinic.Locator(".mud-dialog");
        var date = clinic.Locator("[data-testid=referral-appointment-date] input, input[data-testid=referral-appointment-date]").First;
        var day = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await date.FillAsync(day);
        await date.PressAsync("Tab");
        await clinic.GetByTestId("referral-action-confirm").ClickAsync();
        await Assertions.Expect(schedule).ToBeHiddenAsync();
        await Assertions.Expect(clinic.GetByTestId("desk-appointment")).ToContainTextAsync(day);
        await Assertions.Expect(row.Locator("[data-referral-status]")).ToHaveAttributeAsync("data-referral-status", "Accepted");
        await Assertions.Expect(advocate.GetByTestId("referral-appointment")).ToContainTextAsync(day);

        // The clinic completes it: the case and the coordinator's dashboard follow.
        await clinic.GetByTestId("desk-action-Complete").ClickAsync();
        var complete = clinic.Locator(".mud-dialog");
        await clinic.ChooseAsync(clinic.GetByTestId("referral-outcome-select"), ResourceFiles.Text(ReferralText, "Enum_ReferralOutcome_ServiceProvided", deskCulture));
        await clinic.GetByTestId("referral-action-confirm").ClickAsync();
        await Assertions.Expect(complete).ToBeHiddenAsync();
        await Assertions.Expect(row.Locator("[data-referral-status]")).ToHaveAttributeAsync("data-referral-status", "Completed");
        await Assertions.Expect(advocate.GetByTestId("referral-outcome")).ToContainTextAsync(Referral("Enum_ReferralOutcome_ServiceProvided"));
        await Assertions.Expect(legalRow).Not.ToHaveTextAsync(legalFiguresBefore);

        // Another provider's staff member reaches nothing of it, by the desk's address or the office's.
        var other = await fixture.NewPageAsync();
        await other.SignInAsync(OtherProviderStaff);
        await Assertions.Expect(other.GetByTestId("desk-row-link").Filter(new() { HasText = number })).ToHaveCountAsync(0);
        await other.GotoAsync(referralUrl);
        await Assertions.Expect(other.GetByTestId("desk-not-found")).ToBeVisibleAsync();
        await Assertions.Expect(other.GetByTestId("desk-reason")).ToHaveCountAsync(0);
        var referralId = referralUrl.Split('/')[^1];
        var denied = await other.APIRequest.GetAsync($"/provider/referrals/{referralId}/letter.pdf", new() { MaxRedirects = 0 });
        Assert.True(denied.Status == 404, $"{denied.Status} {string.Join("; ", denied.Headers.Select(h => $"{h.Key}={h.Value}"))}");
        Assert.NotEqual(200, (await other.APIRequest.GetAsync($"/referrals/{referralId}/letter.pdf", new() { MaxRedirects = 0 })).Status);
        await other.GotoAsync($"/cases/{number}");
        await Assertions.Expect(other.GetByText(reason)).ToHaveCountAsync(0);
        Assert.DoesNotContain(number, await other.Locator("body").InnerTextAsync(), StringComparison.Ordinal);

        // The clinic's own letter downloads: a PDF.
        var letter = await clinic.APIRequest.GetAsync($"/provider/referrals/{referralId}/letter.pdf");
        Assert.Equal((200, "application/pdf"), (letter.Status, letter.Headers["content-type"]));
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await letter.BodyAsync(), 0, 4), StringComparison.Ordinal);

        foreach (var page in new[] { advocate, clinic, coordinator, other })
        {
            await page.Context.CloseAsync();
        }
    }
}
