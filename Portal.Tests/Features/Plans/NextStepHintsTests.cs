using System.Globalization;
using Bunit;
using Portal.Domain.Plans;
using Portal.Domain.Referrals;
using Portal.Features.Plans;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Plans;

public sealed class NextStepHintsTests : MudBunitContext
{
    private IRenderedComponent<NextStepHints> RenderSteps(params NextStep[] steps) =>
        Render<NextStepHints>(p => p.Add(c => c.Steps, steps));

    private static string[] Lines(IRenderedComponent<NextStepHints> hints) =>
        [.. hints.FindAll("[data-testid='next-step']").Select(li => li.TextContent)];

    [Fact]
    public void Each_step_reads_as_a_sentence_naming_the_kind_of_assistance()
    {
        var hints = RenderSteps(
            new NextStep(NextStepKind.RecordConsentBeforeSending, ReferralType.Legal),
            new NextStep(NextStepKind.ChooseAnotherProvider, ReferralType.Medical),
            new NextStep(NextStepKind.ReviewAssessment, Days: 91));

        Assert.Equal(
            [
                "Record consent before sending the Legal referral.",
                "The Medical referral was declined: choose another provider.",
                "The assessment has not been reviewed for 91 days: review it with the person.",
            ],
            Lines(hints));
        Assert.Equal(["RecordConsentBeforeSending", "ChooseAnotherProvider", "ReviewAssessment"], hints.FindAll("[data-testid='next-step']").Select(li => li.GetAttribute("data-kind")));
    }

    [Fact]
    public void Every_kind_of_step_has_its_own_sentence()
    {
        var steps = Enum.GetValues<NextStepKind>().Select(kind => new NextStep(kind, ReferralType.Education, 2)).ToArray();

        var lines = Lines(RenderSteps(steps));

        Assert.Equal(steps.Length, lines.Distinct().Count());
        Assert.All(lines, line => Assert.DoesNotContain("Next_", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_to_do_shows_nothing()
    {
        var hints = RenderSteps();

        Assert.Empty(hints.FindAll("[data-testid='next-steps']"));
    }

    [Fact]
    public void In_French_the_steps_and_the_kind_of_assistance_are_french_and_counts_take_their_plural()
    {
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("fr");
        try
        {
            var hints = RenderSteps(
                new NextStep(NextStepKind.ChooseAnotherProvider, ReferralType.Medical),
                new NextStep(NextStepKind.GoalOverdue, ReferralType.Legal, 1),
                new NextStep(NextStepKind.ReviewAssessment, Days: 120));

            Assert.Equal(
                [
                    "L'orientation « Médical » a été refusée : choisissez un autre prestataire.",
                    "Un objectif « Juridique » a dépassé sa date visée de 1 jour.",
                    "L'évaluation n'a pas été révisée depuis 120 jours : révisez-la avec la personne.",
                ],
                Lines(hints));
            Assert.Contains("Prochaines étapes", hints.Find("[data-testid='next-steps']").TextContent, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }
}
