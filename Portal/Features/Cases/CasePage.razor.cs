using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;
using Portal.Domain.Cases;
using Portal.Domain.Plans;
using Portal.Features.Children;
using Portal.Features.Drafts;
using Portal.Features.Plans;
using Portal.Features.Referrals;
using Portal.Features.Shared;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Cases;

/// <summary>
/// The case page: loads the header and overview, runs the case's own commands, follows live changes and presence. The
/// tabs of other features (referrals, children, follow-ups) and the timeline load their own parts; the page tells them
/// to reload by raising <see cref="_generation"/>.
/// </summary>
public partial class CasePage
{
    private static readonly (CaseAction Action, CaseTransition Transition)[] Transitions =
    [
        (CaseAction.StartActionPlan, CaseTransition.StartActionPlan),
        (CaseAction.StartAssistance, CaseTransition.StartAssistance),
        (CaseAction.StartFollowUp, CaseTransition.StartFollowUp),
        (CaseAction.RequestClosure, CaseTransition.RequestClosure),
        (CaseAction.ApproveClosure, CaseTransition.ApproveClosure),
        (CaseAction.RejectClosure, CaseTransition.RejectClosure),
        (CaseAction.Reopen, CaseTransition.Reopen),
    ];

    private UserScope? _scope;
    private CaseWorkspace? _workspace;
    private bool _loaded;
    private bool _busy;
    private int _generation;
    private int _overdueReferrals;
    private int _staleClaims;
    private IReadOnlyList<NextStep> _nextSteps = [];
    private string? _stale;
    private string? _reassignTo;
    private DateTime _now;
    private IReadOnlyList<(string Id, string Name)> _candidates = [];
    private IReadOnlyList<CasePresence.Viewer> _viewers = [];
    private IDisposable? _subscription;
    private IDisposable? _presence;
    private IDisposable? _presenceWatch;
    private Coalescer? _refresh;
    private Guid? _joinedCase;
    private DraftOfferBanner? _closureOffer;

    // The closure request's draft keeper while its dialog is open: if the page goes away first, what is waiting is kept at once.
    private DraftKeeper? _closureKeeper;

    [Parameter]
    public string Number { get; set; } = "";

    [Inject]
    private CaseService Cases { get; set; } = default!;

    [Inject]
    private ReferralService Referrals { get; set; } = default!;

    [Inject]
    private ChildService Children { get; set; } = default!;

    [Inject]
    private PlanService Plans { get; set; } = default!;

    [Inject]
    private DraftService Drafts { get; set; } = default!;

    [Inject]
    private CasePresence Presence { get; set; } = default!;

    [Inject]
    private ICurrentUser CurrentUser { get; set; } = default!;

    [Inject]
    private CircuitConnection Connection { get; set; } = default!;

    [Inject]
    private ILiveEvents LiveEvents { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _scope = await CurrentUser.GetAsync();
        await LoadAsync(recordView: true);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!RendererInfo.IsInteractive || _scope is null || _workspace is null || _joinedCase == _workspace.Case.Id)
        {
            return;
        }

        // (Re)join when the page first shows a case or moves to another one.
        _subscription?.Dispose();
        _presence?.Dispose();
        _presenceWatch?.Dispose();
        var caseId = _workspace.Case.Id;
        _joinedCase = caseId;
        _refresh ??= new Coalescer(TimeSpan.FromMilliseconds(150), () => InvokeAsync(OnCaseChangedAsync));
        _subscription = LiveEvents.SubscribeFor(_scope, e => e.CaseId == caseId, _ =>
        {
            _refresh.Trigger();
            return Task.CompletedTask;
        });
        _presenceWatch = Presence.Watch(changed =>
        {
            if (changed == caseId)
            {
                _ = InvokeAsync(() =>
                {
                    _viewers = Presence.ViewersOf(caseId).Where(v => v.UserId != _scope.UserId).ToList();
                    StateHasChanged();
                });
            }
        });
        _presence = Presence.Join(caseId, _scope.UserId, _scope.DisplayName, Connection);
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        _presence?.Dispose();
        _presenceWatch?.Dispose();
        _refresh?.Dispose();
        if (_closureKeeper is not null)
        {
            await _closureKeeper.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private async Task LoadAsync(bool recordView = false)
    {
        _now = Clock.GetUtcNow().UtcDateTime;
        // Only the interactive render counts as a look at the case; prerendering is the same visit's first pass.
        _workspace = RendererInfo.IsInteractive ? await Cases.GetWorkspaceAsync(_scope!, Number, recordView) : _workspace;
        _loaded = RendererInfo.IsInteractive;
        _stale = null;
        _generation++;
        if (_workspace is { } w)
        {
            _overdueReferrals = await Referrals.CountOverdueAsync(_scope!, w.Case.Id);
            _staleClaims = await Children.CountStaleForCaseAsync(_scope!, w.Case.Id);
            _nextSteps = await Plans.GetNextStepsAsync(_scope!, w.Case.Id);
            _candidates = w.Actions.Contains(CaseAction.Reassign) ? await Cases.GetReassignCandidatesAsync(_scope!, w.Case.Id) : [];
        }
    }

    /// <summary>Someone changed the case: refresh what is shown, unless the user is mid-edit in a dialog (the save then reports the conflict).</summary>
    private async Task OnCaseChangedAsync()
    {
        if (_workspace is null || _scope is null)
        {
            return;
        }

        if (await Cases.GetVersionAsync(_scope, _workspace.Case.Id) is null)
        {
            _workspace = null; // no longer in scope (e.g. reassigned out of the user's countries)
        }
        else
        {
            await LoadAsync();
        }

        StateHasChanged();
    }

    private async Task ReloadAsync()
    {
        await LoadAsync(recordView: true);
        StateHasChanged();
    }

    private async Task ClaimAsync()
    {
        _busy = true;
        try
        {
            var claim = await Cases.ClaimAsync(_scope!, _workspace!.Case.Id);
            if (!claim.Succeeded)
            {
                Snackbar.Add(claim.Value is { } holder ? T["AlreadyClaimedBy", holder] : R.Describe(claim), Severity.Warning);
            }

            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private Task ReleaseAsync() => RunAsync(seen => Cases.ReleaseAsync(_scope!, seen));

    private Task ReassignAsync() => RunAsync(seen => Cases.ReassignAsync(_scope!, seen, _reassignTo!));

    private Task ChangeRiskAsync(RiskLevel level) => RunAsync(seen => Cases.ChangeRiskAsync(_scope!, seen, level));

    private Task RevokeConsentAsync() => RunAsync(seen => Cases.RevokeConsentAsync(_scope!, seen));

    /// <summary>Runs a command on the case as shown; a conflict says who changed what, and the user's view stays until they reload.</summary>
    private async Task RunAsync(Func<Seen<Case>, Task<CommandResult>> command)
    {
        _busy = true;
        try
        {
            var result = await command(Seen.Of(_workspace!.Case));
            if (result.Outcome == CommandOutcome.Conflict)
            {
                _stale = R.Describe(result);
                return;
            }

            if (!result.Succeeded)
            {
                Snackbar.Add(R.Describe(result), Severity.Error);
            }

            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private Task TransitionAsync(CaseTransition transition) =>
        transition == CaseTransition.RequestClosure ? RequestClosureAsync(null) : ShowTransitionAsync(transition, null, null);

    // The closure request the person was writing when the page went away, put back into its dialog.
    private Task RestoreClosureRequestAsync(string content) => RequestClosureAsync(TransitionDialog.FromDraft(content));

    /// <summary>A closure request keeps its reason and comment as a draft while the dialog is open.</summary>
    private async Task RequestClosureAsync(ClosureRequestDraft? restored)
    {
        _closureOffer?.Withdraw(); // what is typed now replaces the kept draft
        await using var keeper = Drafts.KeeperFor(_scope!, _workspace!.Case.Id, DraftService.ClosureRequestForm);
        _closureKeeper = keeper;
        await ShowTransitionAsync(CaseTransition.RequestClosure, keeper, restored);
        _closureKeeper = null;
    }

    private async Task ShowTransitionAsync(CaseTransition transition, DraftKeeper? keeper, ClosureRequestDraft? restored)
    {
        var c = _workspace!.Case;
        var seen = Seen.Of(c);
        var parameters = new DialogParameters<TransitionDialog>
        {
            { d => d.Transition, transition },
            { d => d.Submit, (comment, reason) => Cases.TransitionAsync(_scope!, seen, transition, comment, reason) },
            { d => d.CaseId, c.Id },
            { d => d.Request, c.ClosureReason is { } why ? new ClosureRequestView(_workspace.NameOf(c.ClosureRequestedBy), why, c.ClosureComment) : null },
            { d => d.Keeper, keeper },
            { d => d.Restored, restored },
        };
        await ShowAndReloadAsync<TransitionDialog>(T[$"Transition_{transition}"], parameters);
    }

    private async Task EditProfileAsync()
    {
        var seen = Seen.Of(_workspace!.Case);
        var parameters = new DialogParameters<ProfileDialog>
        {
            { d => d.Current, _workspace.Case.Profile },
            { d => d.Submit, profile => Cases.UpdateProfileAsync(_scope!, seen, profile) },
        };
        await ShowAndReloadAsync<ProfileDialog>(T["Profile"], parameters);
    }

    private async Task EditAllegationAsync()
    {
        var seen = Seen.Of(_workspace!.Case);
        var parameters = new DialogParameters<AllegationDialog>
        {
            { d => d.Current, _workspace.Case.Allegation },
            { d => d.Submit, details => Cases.SaveAllegationAsync(_scope!, seen, details) },
        };
        await ShowAndReloadAsync<AllegationDialog>(T["Tab_Allegation"], parameters);
    }

    private async Task RecordConsentAsync()
    {
        var seen = Seen.Of(_workspace!.Case);
        var parameters = new DialogParameters<ConsentDialog>
        {
            { d => d.Current, _workspace.Consent },
            { d => d.Providers, await Cases.GetProvidersAsync(_scope!, seen.Id) },
            { d => d.Submit, input => Cases.RecordConsentAsync(_scope!, seen, input) },
        };
        await ShowAndReloadAsync<ConsentDialog>(T["Consent_Record"], parameters);
    }

    private async Task RevealAsync()
    {
        var caseId = _workspace!.Case.Id;
        var parameters = new DialogParameters<RevealIdentityDialog>
        {
            { d => d.Reveal, reason => Cases.RevealIdentityAsync(_scope!, caseId, reason) },
        };
        await Dialogs.ShowAsync<RevealIdentityDialog>(T["Identity"], parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
    }

    private async Task ShowAndReloadAsync<TDialog>(string title, DialogParameters<TDialog> parameters)
        where TDialog : IComponent
    {
        var dialog = await Dialogs.ShowAsync<TDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            await LoadAsync();
        }
    }
}
