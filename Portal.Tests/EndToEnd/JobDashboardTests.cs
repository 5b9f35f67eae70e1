using Microsoft.Playwright;
using Portal.Features.Reminders;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>The Hangfire dashboard in Chromium: its own scripts refresh the statistics and send the commands.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class JobDashboardTests(EndToEndFixture fixture)
{
    private const string StatsPath = "/hangfire/stats";
    private const string TriggerPath = "/hangfire/recurring/trigger";

    [Fact]
    public async Task The_statistics_refresh_and_an_Administrator_triggers_the_reminder_scan()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(EndToEndAccounts.Administrator);

        await ExpectStatisticsRefreshAsync(page);

        await page.GotoAsync("/hangfire/recurring");
        await page.Locator($"input.js-jobs-list-checkbox[value='{ReminderOptions.ScanJobId}']").CheckAsync();
        var trigger = page.Locator($"button.js-jobs-list-command[data-url='{TriggerPath}']");
        await Assertions.Expect(trigger).ToBeEnabledAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var answer = await page.RunAndWaitForResponseAsync(() => trigger.ClickAsync(), r => IsPost(r, TriggerPath));

        Assert.True(answer.Ok, $"The trigger was answered {answer.Status}.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_Coordinator_sees_the_statistics_refresh_but_cannot_trigger_a_job()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(EndToEndAccounts.Coordinator);

        await ExpectStatisticsRefreshAsync(page);

        await page.GotoAsync("/hangfire/recurring");
        await Assertions.Expect(page.Locator($"input.js-jobs-list-checkbox[value='{ReminderOptions.ScanJobId}']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"button[data-url='{TriggerPath}']")).ToHaveCountAsync(0);

        // The same request the Administrator's button sends, with the dashboard's own antiforgery header: refused.
        var status = await page.EvaluateAsync<int>(
            """
            async ([url, job]) => {
                const header = document.querySelector('meta[name="csrf-header"]').content;
                const token = document.querySelector('meta[name="csrf-token"]').content;
                const response = await fetch(url, {
                    method: 'POST',
                    headers: { 'Content-Type': 'application/x-www-form-urlencoded', [header]: token },
                    body: 'jobs%5B%5D=' + encodeURIComponent(job),
                });
                return response.status;
            }
            """,
            new[] { TriggerPath, ReminderOptions.ScanJobId });

        Assert.InRange(status, 401, 403);
        await page.Context.CloseAsync();
    }

    /// <summary>The dashboard's script polls the statistics; a failed poll shows "Unable to refresh the statistics".</summary>
    private static async Task ExpectStatisticsRefreshAsync(IPage page)
    {
        var poll = await page.RunAndWaitForResponseAsync(() => page.GotoAsync("/hangfire"), r => IsPost(r, StatsPath));

        Assert.Equal(200, poll.Status);
        Assert.Contains("enqueued:count", await poll.TextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByText("Unable to refresh the statistics")).ToHaveCountAsync(0);
    }

    private static bool IsPost(IResponse response, string path) =>
        response.Request.Method == "POST" && new Uri(response.Url).AbsolutePath == path;
}
