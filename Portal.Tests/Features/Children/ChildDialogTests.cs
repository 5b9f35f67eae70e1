using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Extensions;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Features.Children;
using Portal.Features.Shared;
using Portal.Infrastructure.Security;
using Portal.Tests.Features.Referrals;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Children;

// bUnit's Click/Change/Input dispatch to the renderer; what follows is awaited with WaitForAssertion.
#pragma warning disable CA1849

/// <summary>The child dialog wired to the real service on a real database, as the children tab wires it.</summary>
public sealed class ChildDialogTests : MudBunitContext, IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly ReferralWorld _world;
    private readonly FakeTimeProvider _clock = new(Start);

    public ChildDialogTests(TestDatabase database)
    {
        _world = new ReferralWorld(database);
        Services.AddSingleton<TimeProvider>(_clock);
    }

    [Fact]
    public async Task An_expected_child_is_recorded_with_its_expected_month_and_a_month_too_far_ahead_is_said_next_to_the_field()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var children = _world.ChildrenFor(advocate, _clock);
        var host = await ShowAsync(new DialogParameters<ChildDialog> { { d => d.Submit, input => children.AddChildAsync(advocate, survivorCase.Id, input) } });

        await host.InvokeAsync(() => host.Find("[data-testid=child-pseudonym-input]").Change("Child A"));
        await host.InvokeAsync(() => host.FindComponent<MudSelect<Sex?>>().Instance.ValueChanged.InvokeAsync(Sex.Unknown));
        await host.InvokeAsync(() => host.FindComponent<MudSwitch<bool>>().Instance.ValueChanged.InvokeAsync(true));
        host.WaitForAssertion(() => Assert.Single(host.FindComponents<MudSelect<int?>>()));
        await host.InvokeAsync(() => host.FindComponent<MudSelect<int?>>().Instance.ValueChanged.InvokeAsync(3));
        await host.InvokeAsync(() => host.FindComponents<MudNumericField<int?>>().Single().Instance.ValueChanged.InvokeAsync(2027));
        await host.InvokeAsync(() => host.Find("[data-testid=child-save]").Click());

        host.WaitForAssertion(() => Assert.Contains("At most 10 months from now.", host.Markup, StringComparison.Ordinal));
        Assert.Equal(3, host.FindComponent<MudSelect<int?>>().Instance.GetState(x => x.Value));
        Assert.Empty((await children.GetForCaseAsync(advocate, survivorCase.Id))!.Children);

        await host.InvokeAsync(() => host.FindComponents<MudNumericField<int?>>().Single().Instance.ValueChanged.InvokeAsync(2026));
        await host.InvokeAsync(() => host.Find("[data-testid=child-save]").Click());

        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[data-testid=child-dialog]")));
        var child = Assert.Single((await children.GetForCaseAsync(advocate, survivorCase.Id))!.Children).Child;
        Assert.True(child.IsExpected);
        Assert.Equal(("Child A", new DateOnly(2026, 3, 1), (int?)null), (child.Pseudonym, child.ExpectedMonth, child.BirthYear));
    }

    [Fact]
    public async Task Recording_the_birth_asks_for_the_birth_data_and_turns_the_expected_child_into_a_child()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var children = _world.ChildrenFor(advocate, _clock);
        await children.AddChildAsync(advocate, survivorCase.Id, new ChildInput("Child B", null, null, Sex.Unknown, null, Expected: true, 2026, 1));
        var expected = (await children.GetForCaseAsync(advocate, survivorCase.Id))!.Children.Single().Child;
        var host = await ShowAsync(new DialogParameters<ChildDialog>
        {
            { d => d.Current, expected },
            { d => d.Birth, true },
            { d => d.Submit, input => children.RecordBirthAsync(advocate, Seen.Of(expected), input) },
        });

        Assert.Empty(host.FindComponents<MudSwitch<bool>>());
        Assert.Empty(host.FindComponents<MudSelect<int?>>());
        await host.InvokeAsync(() => host.FindComponent<MudSelect<Sex?>>().Instance.ValueChanged.InvokeAsync(Sex.Male));
        await host.InvokeAsync(() => host.FindComponents<MudNumericField<int?>>().Single().Instance.ValueChanged.InvokeAsync(2026));
        await host.InvokeAsync(() => host.Find("[data-testid=child-save]").Click());

        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[data-testid=child-dialog]")));
        var child = (await children.GetForCaseAsync(advocate, survivorCase.Id))!.Children.Single().Child;
        Assert.False(child.IsExpected);
        Assert.Equal((2026, Sex.Male), (child.BirthYear, child.Sex));
    }

    private async Task<IRenderedComponent<ReferralDialogTests.ContainerFragment>> ShowAsync(DialogParameters<ChildDialog> parameters)
    {
        var host = Render<ReferralDialogTests.ContainerFragment>(p => p.AddChildContent(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
        }));
        await host.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<ChildDialog>("Add a child", parameters));
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=child-save]")));
        return host;
    }
}
