using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Features.Shared;
using Portal.Features.Referrals;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Referrals;

/// <summary>The follow-up dialog opened again from a kept draft, as the follow-ups tab opens it on Restore.</summary>
public sealed class FollowUpDialogTests : MudBunitContext
{
    [Fact]
    public async Task A_kept_draft_of_a_change_comes_back_with_its_reason_and_date()
    {
        var followUpId = Guid.NewGuid();
        var kept = new FollowUpDraft(FollowUpDialogMode.Snooze, followUpId, new FollowUpForm(null, null, null, new DateTime(2026, 12, 14, 16, 30, 0), false, "She is in hospital until Monday."));
        var draft = FollowUpDialog.FromDraft(JsonSerializer.Serialize(kept));
        Assert.NotNull(draft);
        Assert.Equal((FollowUpDialogMode.Snooze, followUpId), (draft.Mode, draft.FollowUpId));
        Assert.Null(FollowUpDialog.FromDraft("not a draft"));

        FollowUpForm? sent = null;
        var provider = Render<MudDialogProvider>();
        var parameters = new DialogParameters<FollowUpDialog>
        {
            { d => d.Mode, draft.Mode },
            { d => d.Zone, TimeZoneInfo.Utc },
            { d => d.Restored, draft.Form },
            {
                d => d.Submit, form =>
                {
                    sent = form;
                    return Task.FromResult(CommandResult.Done);
                }
            },
        };
        await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<FollowUpDialog>("Snooze", parameters));

        provider.WaitForAssertion(() => Assert.Equal("She is in hospital until Monday.", provider.Find("[data-testid='followup-text']").GetAttribute("value")));
        await provider.InvokeAsync(() => provider.Find("[data-testid='followup-confirm']").Click());
        provider.WaitForAssertion(() => Assert.NotNull(sent));
        Assert.Equal(kept.Form, sent);
    }
}
