using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using Portal.Domain.Consents;
using Portal.Domain.Referrals;
using Portal.Features.Referrals;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Referrals;

/// <summary>The referral dialogs wired to the real service on a real database, as the case page wires them.</summary>
public sealed class ReferralDialogTests : MudBunitContext, IClassFixture<TestDatabase>
{
    private readonly ReferralWorld _world;

    public ReferralDialogTests(TestDatabase database)
    {
        _world = new ReferralWorld(database);
        Services.AddSingleton(TimeProvider.System);
    }

    [Fact]
    public async Task The_provider_list_offers_only_active_providers_of_the_cases_country_that_offer_the_chosen_type()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("SO");
        var legalAid = await _world.ProviderAsync("SO", "Legal Aid Clinic", ReferralType.Legal, ReferralType.PaternityAndChildSupport);
        var lawyers = await _world.ProviderAsync("SO", "Family Law Centre", ReferralType.Legal);
        var closed = await _world.ProviderAsync("SO", "Closed Legal Clinic", ReferralType.Legal);
        await _world.DeactivateAsync(closed.Id);
        var elsewhere = await _world.ProviderAsync("ML", "Legal Aid Gao", ReferralType.Legal);
        var hospital = await _world.ProviderAsync("SO", "Bangui Hospital", ReferralType.Medical);
        // A country of its own: other tests of this class add providers elsewhere.
        var host = await ShowReferralDialogAsync(advocate, survivorCase.Id);

        await ChooseTypeAsync(host, ReferralType.Legal);
        var legal = await ProviderChoicesAsync(host);
        await ChooseTypeAsync(host, ReferralType.Medical);
        var medical = await ProviderChoicesAsync(host);

        Assert.Equal(new[] { lawyers.Name, legalAid.Name }.Order(StringComparer.CurrentCulture), legal);
        Assert.DoesNotContain(closed.Name, legal);
        Assert.DoesNotContain(elsewhere.Name, legal);
        Assert.Equal([hospital.Name], medical);
    }

    [Fact]
    public async Task A_refusal_from_the_server_is_shown_in_the_dialog_next_to_the_field_and_what_was_entered_stays()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var provider = await _world.ProviderAsync("CF", "Legal Aid Clinic", ReferralType.Legal);
        var host = await ShowReferralDialogAsync(advocate, survivorCase.Id);
        await ChooseTypeAsync(host, ReferralType.Legal);
        // The reason is sent as it is typed (so a draft of it can be kept): it reaches the dialog after the field's pause.
        await host.InvokeAsync(() => host.Find("textarea").Input("Advice on a child-support claim"));
        host.WaitForAssertion(() => Assert.Equal("Advice on a child-support claim", host.FindComponent<MudTextField<string>>().Instance.GetState(x => x.Value)));

        // Deactivated by an administrator while the advocate was filling in the form.
        await _world.DeactivateAsync(provider.Id);
        await host.InvokeAsync(() => host.Find("[data-testid=referral-save]").Click());

        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=dialog-error]")));
        Assert.Contains("This provider is inactive and cannot receive new referrals.", host.Markup, StringComparison.Ordinal);
        Assert.NotEmpty(host.FindAll(".mud-dialog"));
        Assert.Equal("Advice on a child-support claim", host.FindComponent<MudTextField<string>>().Instance.GetState(x => x.Value));
        Assert.Equal(provider.Id, host.FindComponent<MudSelect<Guid?>>().Instance.GetState(x => x.Value));
        Assert.Null((await _world.ReferralsFor(advocate).GetForCaseAsync(advocate, survivorCase.Id))!.Referrals.FirstOrDefault());
    }

    [Theory]
    [InlineData(Roles.Advocate, false)]
    [InlineData(Roles.Coordinator, true)]
    public async Task A_send_refused_for_missing_consent_says_what_is_missing_and_only_a_coordinator_is_offered_the_override(string role, bool offered)
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var provider = await _world.ProviderAsync("CF", "Legal Aid Clinic", ReferralType.Legal);
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: true);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Legal);
        var user = role == Roles.Advocate ? advocate : await _world.Cases.StaffAsync(Roles.Coordinator);
        var referrals = _world.ReferralsFor(user);
        var seen = await _world.SeenAsync(id);
        var host = RenderHost();
        var parameters = new DialogParameters<ReferralActionDialog>
        {
            { d => d.Action, ReferralAction.Send },
            { d => d.Type, ReferralType.Legal },
            { d => d.ProviderName, provider.Name },
            { d => d.CanOverrideConsent, user.IsCoordinator },
            { d => d.Submit, async step => step.OverrideConsent ? await referrals.SendWithConsentOverrideAsync(user, seen, step.Text) : await referrals.SendAsync(user, seen) },
        };
        await host.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<ReferralActionDialog>("Send", parameters));

        await host.InvokeAsync(() => host.Find("[data-testid=referral-action-confirm]").Click());

        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=consent-missing]")));
        Assert.Single(host.FindAll($"[data-testid=consent-missing-{MissingConsent.NoConsentToShareWithProvider}]"));
        Assert.Contains("The person has not consented to sharing their information with this provider.", host.Markup, StringComparison.Ordinal);
        Assert.Equal(offered, host.FindAll("[data-testid=referral-override]").Count == 1);
        Assert.Equal(ReferralStatus.Draft, (await _world.ReferralAsync(id)).Status);
    }

    private IRenderedComponent<ContainerFragment> RenderHost() =>
        Render<ContainerFragment>(p => p.AddChildContent(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
        }));

    private async Task<IRenderedComponent<ContainerFragment>> ShowReferralDialogAsync(UserScope advocate, Guid caseId)
    {
        var referrals = _world.ReferralsFor(advocate);
        var host = RenderHost();
        var parameters = new DialogParameters<ReferralDialog>
        {
            { d => d.LoadProviders, type => referrals.GetProviderOptionsAsync(advocate, caseId, type) },
            { d => d.Submit, input => referrals.CreateAsync(advocate, caseId, input) },
        };
        await host.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<ReferralDialog>("New referral", parameters));
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=referral-save]")));
        return host;
    }

    private static async Task ChooseTypeAsync(IRenderedComponent<ContainerFragment> host, ReferralType type)
    {
        var select = host.FindComponent<MudSelect<ReferralType?>>();
        await host.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(type));
    }

    /// <summary>Opens the provider select and reads its options, as the user would see them.</summary>
    private static async Task<IReadOnlyList<string>> ProviderChoicesAsync(IRenderedComponent<ContainerFragment> host)
    {
        var select = host.FindComponent<MudSelect<Guid?>>();
        await host.InvokeAsync(() => select.Instance.OpenMenu());
        var items = host.FindAll(".mud-popover-open .mud-list-item").Select(i => i.TextContent.Trim()).ToList();
        await host.InvokeAsync(() => select.Instance.CloseMenu());
        return items.Select(text => text.Split('(')[0].Trim()).ToList();
    }

    /// <summary>Renders its child content; a host for the providers dialogs and popovers need.</summary>
    public sealed class ContainerFragment : ComponentBase
    {
        [Parameter]
        public RenderFragment? ChildContent { get; set; }

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder) => builder.AddContent(0, ChildContent);
    }
}
