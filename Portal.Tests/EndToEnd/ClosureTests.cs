using Microsoft.Playwright;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// The case: a case with a sent referral and an overdue follow-up was approved for closure and stayed on the
/// overdue list. Now the closure dialog lists the open work, the advocate settles each item there, the coordinator sees
/// the reason and the settled list, and the closed case is gone from the overdue list.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClosureTests
{
    private readonly EndToEndFixture _fixture;

    public ClosureTests(EndToEndFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_closure_is_requested_only_once_the_open_work_is_settled_and_the_closed_case_leaves_the_overdue_list()
    {
        var advocate = await _fixture.NewPageAsync();
        await advocate.SignInAsync("advocate.cf@example.org", returnPath: "/queues/due?overdue=true&referralStatus=Sent");
        var number = (await advocate.GetByTestId("case-link").First.InnerTextAsync()).Trim();

        await advocate.GotoAsync($"/cases/{number}");
        await advocate.WaitForCircuitAsync();
        await advocate.GetByTestId("action-RequestClosure").ClickAsync();
        var dialog = advocate.Locator(".mud-dialog");
        var work = dialog.GetByTestId("closure-work");

        // The open work is listed, and the request waits for it.
        await Assertions.Expect(work.GetByTestId("open-referral").First).ToBeVisibleAsync();
        await Assertions.Expect(work.GetByTestId("open-followup").First).ToBeVisibleAsync();
        await advocate.GetByTestId("closure-reason").ClickAsync();
        await advocate.Locator(".mud-popover-open .mud-list-item").First.ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("transition-confirm")).ToBeDisabledAsync();

        // A withdrawal without a reason is refused and nothing is lost.
        await work.GetByTestId("open-referral").First.GetByTestId("closure-withdraw").ClickAsync();
        await Assertions.Expect(work.GetByTestId("closure-work-error")).ToBeVisibleAsync();
        await Assertions.Expect(work.GetByTestId("open-referral").First).ToBeVisibleAsync();

        // Settle each item: referrals withdrawn with a reason, checks done, claims carried on, the person's words read.
        while (await work.GetByTestId("closure-withdraw").CountAsync() > 0)
        {
            var before = await work.GetByTestId("open-referral").CountAsync();
            var row = work.GetByTestId("open-referral").First;
            await row.Locator("input[data-testid=closure-reason-text], [data-testid=closure-reason-text] input").First.FillAsync("The person is served by a national programme now.");
            await row.GetByTestId("closure-withdraw").ClickAsync();
            await Assertions.Expect(work.GetByTestId("open-referral")).ToHaveCountAsync(before - 1);
        }

        while (await work.GetByTestId("closure-done").CountAsync() > 0)
        {
            var before = await work.GetByTestId("open-followup").CountAsync();
            await work.GetByTestId("closure-done").First.ClickAsync();
            await Assertions.Expect(work.GetByTestId("open-followup")).ToHaveCountAsync(before - 1);
        }

        while (await work.GetByTestId("closure-carry-on").CountAsync() > 0)
        {
            var before = await work.GetByTestId("closure-carry-on").CountAsync();
            await work.GetByTestId("closure-carry-on").First.ClickAsync();
            await Assertions.Expect(work.GetByTestId("closure-carry-on")).ToHaveCountAsync(before - 1);
        }

        if (await work.GetByTestId("closure-mark-read").CountAsync() > 0)
        {
            await work.GetByTestId("closure-mark-read").ClickAsync();
            await Assertions.Expect(work.GetByTestId("open-unread")).ToHaveCountAsync(0);
        }

        await Assertions.Expect(dialog.GetByTestId("transition-confirm")).ToBeEnabledAsync();
        await dialog.Locator("textarea").First.FillAsync("Everything settled with the person.");
        await dialog.GetByTestId("transition-confirm").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(advocate.GetByTestId("case-header").Locator("[data-status]")).ToHaveAttributeAsync("data-status", "ClosureRequested");

        // The coordinator sees why, and that nothing is left open, and approves.
        var coordinator = await _fixture.NewPageAsync();
        await coordinator.SignInAsync("coordinator@example.org", returnPath: $"/cases/{number}");
        await coordinator.WaitForCircuitAsync();
        await coordinator.GetByTestId("action-ApproveClosure").ClickAsync();
        var approval = coordinator.Locator(".mud-dialog");
        await Assertions.Expect(approval.GetByTestId("closure-request")).ToContainTextAsync("Everything settled with the person.");
        await Assertions.Expect(approval.GetByTestId("open-referral")).ToHaveCountAsync(0);
        await Assertions.Expect(approval.GetByTestId("open-followup")).ToHaveCountAsync(0);
        await Assertions.Expect(approval.GetByTestId("transition-confirm")).ToBeEnabledAsync();
        await approval.GetByTestId("transition-confirm").ClickAsync();
        await Assertions.Expect(approval).ToBeHiddenAsync();
        await Assertions.Expect(coordinator.GetByTestId("case-header").Locator("[data-status]")).ToHaveAttributeAsync("data-status", "Closed");

        // The closed case has left the overdue list.
        await coordinator.GotoAsync($"/queues/all?overdue=true&number={number}");
        await coordinator.WaitForCircuitAsync();
        await Assertions.Expect(coordinator.GetByTestId("queue-empty")).ToBeVisibleAsync();
        await Assertions.Expect(coordinator.GetByTestId("case-link").Filter(new() { HasText = number })).ToHaveCountAsync(0);

        await advocate.Context.CloseAsync();
        await coordinator.Context.CloseAsync();
    }
}
