using Portal.Benchmarks.Reporting;
using Portal.Benchmarks.Scenarios;

namespace Portal.Benchmarks.Tests;

/// <summary>Scenario 7 tiny, on the demo portal: both kinds of answer are timed, and the report sets them side by side.</summary>
[Collection(DemoPortalCollection.Name)]
public sealed class SignInTimingTests(DemoPortalFixture fixture)
{
    [Fact]
    public async Task Wrong_passwords_and_unknown_names_are_both_timed_and_reported_side_by_side()
    {
        var idle = await SignInTimingScenario.RunAsync(fixture.Home, rounds: 3, busy: 0, _ => { });
        var busy = await SignInTimingScenario.RunAsync(fixture.Home, rounds: 3, busy: 2, _ => { });

        Assert.All([idle, busy], run =>
        {
            Assert.Equal(3, run.WrongPassword.Count);
            Assert.Equal(3, run.UnknownName.Count);
            Assert.True(run.WrongPassword.P50 > 0 && run.UnknownName.P50 > 0);
        });
        var report = SignInTimingScenario.Report([idle, busy], 3);
        Assert.Contains("| 2 | an unknown name |", report.Figures, StringComparison.Ordinal);
        Assert.Contains("medians", report.Comparison, StringComparison.Ordinal);
        Assert.Contains($"| 2 | {Format.Ms(busy.WrongPassword.P50)} | {Format.Ms(busy.UnknownName.P50)} |", report.Summary.Figures, StringComparison.Ordinal);
        Assert.Contains($"at most {Format.Ms(Math.Max(idle.MedianGap, busy.MedianGap))} apart", report.Summary.Verdict, StringComparison.Ordinal);
    }
}
