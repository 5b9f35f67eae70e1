using System.Text.Json;
using Bunit;
using MudBlazor;
using MudBlazor.Extensions;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Features.Cases;
using Portal.Features.Shared;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Cases;

// bUnit's Click/Change/Input dispatch to the renderer; what follows is awaited with WaitForAssertion.
#pragma warning disable CA1849

public sealed class TransitionDialogTests : MudBunitContext
{
    [Fact]
    public async Task A_refused_closure_keeps_the_dialog_open_with_the_reason_and_what_was_typed()
    {
        string? sentComment = null;
        CaseClosureReason? sentReason = null;
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetService<IDialogService>();
        var parameters = new DialogParameters<TransitionDialog>
        {
            { d => d.Transition, CaseTransition.RequestClosure },
            {
                d => d.Submit, (comment, reason) =>
                {
                    (sentComment, sentReason) = (comment, reason);
                    return Task.FromResult(CommandResult.Refused(new DomainException(ErrorCodes.ClosureReasonRequired, "A closure needs a reason.")));
                }
            },
        };
        await provider.InvokeAsync(() => dialogs!.ShowAsync<TransitionDialog>("Request closure", parameters));

        provider.Find("[data-testid='transition-comment']").Input("She moved to Bambari.");
        provider.Find("[data-testid='transition-confirm']").Click();

        provider.WaitForAssertion(() => Assert.Contains("A closure needs a reason: choose one.", provider.Find("[data-testid='dialog-error']").TextContent, StringComparison.Ordinal));
        Assert.Equal("She moved to Bambari.", sentComment);
        Assert.Null(sentReason);
        Assert.Equal("She moved to Bambari.", provider.Find("[data-testid='transition-comment']").GetAttribute("value"));
    }

    [Fact]
    public async Task A_closure_request_kept_as_a_draft_comes_back_with_its_reason_and_comment()
    {
        var content = JsonSerializer.Serialize(new ClosureRequestDraft(CaseClosureReason.Relocated, "She moved to Bambari; followed there."));
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetService<IDialogService>();
        var parameters = new DialogParameters<TransitionDialog>
        {
            { d => d.Transition, CaseTransition.RequestClosure },
            { d => d.Submit, (_, _) => Task.FromResult(CommandResult.Done) },
            { d => d.Restored, TransitionDialog.FromDraft(content) },
        };
        await provider.InvokeAsync(() => dialogs!.ShowAsync<TransitionDialog>("Request closure", parameters));

        provider.WaitForAssertion(() => Assert.Equal("She moved to Bambari; followed there.", provider.Find("[data-testid='transition-comment']").GetAttribute("value")));
        Assert.Equal(CaseClosureReason.Relocated, provider.FindComponent<MudSelect<CaseClosureReason?>>().Instance.GetState(x => x.Value));
        Assert.Null(TransitionDialog.FromDraft("not a draft"));
    }

    [Fact]
    public async Task An_accepted_transition_closes_the_dialog()
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetService<IDialogService>();
        var parameters = new DialogParameters<TransitionDialog>
        {
            { d => d.Transition, CaseTransition.StartActionPlan },
            { d => d.Submit, (_, _) => Task.FromResult(CommandResult.Done) },
        };
        var reference = await provider.InvokeAsync(() => dialogs!.ShowAsync<TransitionDialog>("Start action plan", parameters));

        provider.Find("[data-testid='transition-confirm']").Click();

        var result = await reference.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(result!.Canceled);
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid='transition-dialog']")));
    }

    [Fact]
    public async Task A_conflict_names_who_saved_in_between_and_what_they_changed()
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetService<IDialogService>();
        var parameters = new DialogParameters<TransitionDialog>
        {
            { d => d.Transition, CaseTransition.StartAssistance },
            { d => d.Submit, (_, _) => Task.FromResult(CommandResult.ConflictWith(new Conflict("Case", "Sam Okafor", new DateTime(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc), ["Risk"], "Africa/Bangui"))) },
        };
        await provider.InvokeAsync(() => dialogs!.ShowAsync<TransitionDialog>("Start assistance", parameters));

        provider.Find("[data-testid='transition-confirm']").Click();

        provider.WaitForAssertion(() => Assert.Contains("\u2068Sam Okafor\u2069 saved this case at 2026-11-28 11:00 (Africa/Bangui)", provider.Find("[data-testid='dialog-error']").TextContent, StringComparison.Ordinal));
        Assert.Contains("They changed: risk.", provider.Find("[data-testid='dialog-error']").TextContent, StringComparison.Ordinal);
    }
}
