using System.Globalization;
using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// An advocate records the person's needs, plans a goal for the urgent one, ties a referral to it and sees where the
/// plan stands and what to do next, on the real case page in Chromium, in English and in French.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PlanFlowTests
{
    private const string PlanText = "Portal/Features/Plans/PlanText";
    private const string CaseText = "Portal/Features/Cases/CaseText";
    private const string ReferralText = "Portal/Features/Referrals/ReferralText";
    private const string Shared = "Portal/Resources/SharedResource";

    private readonly EndToEndFixture _fixture;

    public PlanFlowTests(EndToEndFixture fixture) => _fixture = fixture;

    /// <summary>The advocate works in the language of their account; the health centres are the demo providers of their country.</summary>
    [Theory]
    [InlineData("advocate.ss@example.org", "en", "Juba Health Centre (demo)")]
    [InlineData("advocate.cf@example.org", "fr", "Bangui Health Centre (demo)")]
    public async Task An_advocate_assesses_plans_a_goal_ties_a_referral_and_sees_the_plan_and_next_steps(string advocate, string culture, string healthCentre)
    {
        var page = await _fixture.NewPageAsync();
        await page.SignInAsync(advocate, returnPath: "/queues/new");
        Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang"));
        string Plan(string key, params object[] args) => string.Format(CultureInfo.InvariantCulture, ResourceFiles.Text(PlanText, key, culture), args);
        string Case(string key) => ResourceFiles.Text(CaseText, key, culture);
        string Text(string key) => ResourceFiles.Text(Shared, key, culture);
        var medical = Text("Enum_ReferralType_Medical");

        // Take up a new intake of the advocate's country.
        var number = (await page.GetByTestId("case-link").First.InnerTextAsync()).Trim();
        await page.GotoAsync($"/cases/{number}");
        await page.WaitForCircuitAsync();
        await page.GetByTestId("action-claim").ClickAsync();
        await Assertions.Expect(page.GetByTestId("action-release")).ToBeVisibleAsync();
        var steps = page.GetByTestId("next-step");
        await Assertions.Expect(steps.First).ToHaveTextAsync(Plan("Next_RecordAssessment"));

        // The assessment: an urgent medical need in the person's words, and the risk with its reason.
        await page.OpenTabAsync(Case("Tab_Plan"));
        await page.GetByTestId("record-assessment").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.GetByText(medical, new() { Exact = true }).ClickAsync();
        await page.GetByTestId("need-what-Medical").FillAsync("Post-exposure prophylaxis within 72 hours");
        await page.ChooseAsync(page.GetByTestId("need-urgency-Medical"), Text("Enum_ReferralUrgency_Emergency"));
        await page.GetByTestId("need-wish-Medical").FillAsync("Only with a woman doctor");
        await page.ChooseAsync(page.GetByTestId("assessment-risk"), Text("Enum_RiskLevel_High"));
        await page.GetByTestId("assessment-risk-reason").FillAsync("Lives beside the base");
        await page.GetByTestId("assessment-save").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();

        var need = page.GetByTestId("assessment-needs").Locator("[data-type='Medical']");
        await Assertions.Expect(need).ToContainTextAsync("Only with a woman doctor");
        await Assertions.Expect(need).ToContainTextAsync(Text("Enum_ReferralUrgency_Emergency"));
        await Assertions.Expect(page.GetByTestId("next-steps")).ToContainTextAsync(Plan("Next_PlanUrgentNeed", medical));

        // A goal for that need (offered as the need no goal answers yet).
        await page.GetByTestId("goal-add").ClickAsync();
        await page.GetByTestId("goal-description").FillAsync("Treatment and a check-up at two weeks");
        await page.GetByTestId("goal-save").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        var goal = page.GetByTestId("goal");
        await Assertions.Expect(goal.GetByTestId("goal-state")).ToHaveAttributeAsync("data-state", "NotStarted");
        await Assertions.Expect(page.GetByTestId("next-steps")).Not.ToContainTextAsync(Plan("Next_PlanUrgentNeed", medical));

        // A medical referral, made on the referrals tab and tied to the goal on the plan tab.
        await page.OpenTabAsync(Case("Tab_Referrals"));
        await page.GetByTestId("referral-create").ClickAsync();
        await page.ChooseAsync(page.GetByTestId("referral-type"), ResourceFiles.Text(ReferralText, "Enum_ReferralType_Medical", culture));
        await page.ChooseAsync(page.GetByTestId("referral-provider"), healthCentre);
        await dialog.Locator("textarea").First.FillAsync("Post-exposure prophylaxis");
        await page.GetByTestId("referral-save").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("next-steps")).ToContainTextAsync(Plan("Next_RecordConsentBeforeSending", medical));

        await page.OpenTabAsync(Case("Tab_Plan"));
        await page.ChooseAsync(goal.GetByTestId("goal-tie-select"), healthCentre);
        await goal.GetByTestId("goal-tie").ClickAsync();
        await Assertions.Expect(goal.GetByTestId("goal-referral")).ToContainTextAsync(healthCentre);
        await Assertions.Expect(goal.GetByTestId("goal-state")).ToHaveAttributeAsync("data-state", "UnderWay");
        await Assertions.Expect(goal.GetByTestId("goal-state")).ToHaveTextAsync(Text("Enum_GoalState_UnderWay"));
        await Assertions.Expect(page.GetByTestId("summary-under-way")).ToHaveTextAsync(Plan("Plan_Summary_UnderWay", 1));
        await Assertions.Expect(page.GetByTestId("summary-done")).ToHaveTextAsync(Plan("Plan_Summary_Done", 0));

        // The assessment is in the case's timeline.
        await page.OpenTabAsync(Case("Tab_Timeline"));
        var line = string.Format(CultureInfo.InvariantCulture, ResourceFiles.Text(CaseText, "Timeline_Assessment", culture), 1, Text("Enum_RiskLevel_High"));
        await Assertions.Expect(page.GetByTestId("timeline")).ToContainTextAsync(line);
        await page.Context.CloseAsync();
    }
}
