using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Domain.Cases;
using Portal.Features.Cases;
using Portal.Features.Queues;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Queues;

/// <summary>The queue page over a real SQLite file, as a given user sees it.</summary>
public sealed class QueuesPageTests : MudBunitContext, IClassFixture<TestDatabase>
{
    private readonly CaseWorld _world;

    public QueuesPageTests(TestDatabase database) => _world = new CaseWorld(database);

    [Fact]
    public async Task An_advocate_claims_from_the_new_intakes_queue_and_the_row_leaves_it()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "SO");
        var intake = await _world.NewIntakeAsync("SO");
        var cut = RenderQueue(advocate, "new");

        var claim = cut.WaitForElement($"[data-testid='claim-{intake.Number}']");
        Assert.False(claim.HasAttribute("disabled"));
        claim.Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll($"[data-testid='claim-{intake.Number}']")), TimeSpan.FromSeconds(5));
        await using var db = _world.Database.NewContext();
        Assert.Equal(advocate.UserId, db.Cases.Single(c => c.Id == intake.Id).AssignedAdvocateId);
    }

    [Fact]
    public async Task Someone_who_does_not_work_cases_sees_the_claim_button_disabled()
    {
        var administrator = await _world.StaffAsync(Roles.Administrator);
        var intake = await _world.NewIntakeAsync("SO");
        var cut = RenderQueue(administrator, "all");

        cut.Find("[data-testid='filter-number']").Input(intake.Number);

        var claim = cut.WaitForElement($"[data-testid='claim-{intake.Number}']", TimeSpan.FromSeconds(5));
        Assert.True(claim.HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_case_claimed_elsewhere_shows_up_without_reloading_the_page()
    {
        var viewer = await _world.StaffAsync(Roles.Advocate, "LB");
        var other = await _world.StaffAsync(Roles.Advocate, "LB");
        var intake = await _world.NewIntakeAsync("LB", RiskLevel.High);
        var cut = RenderQueue(viewer, "all");
        cut.Find("[data-testid='filter-number']").Input(intake.Number);
        cut.WaitForElement($"[data-testid='claim-{intake.Number}']", TimeSpan.FromSeconds(5));

        await _world.CasesFor(other).ClaimAsync(other, intake.Id);

        cut.WaitForAssertion(() => Assert.Equal(other.DisplayName, cut.Find($"[data-testid='assignee-{intake.Number}']").TextContent), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_unknown_queue_says_so()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "SO");
        var cut = RenderQueue(advocate, "nonsense");

        Assert.NotNull(cut.Find(".mud-alert"));
        Assert.Empty(cut.FindAll("[data-testid='queue-grid']"));
    }

    private IRenderedComponent<QueuesPage> RenderQueue(UserScope viewer, string slug)
    {
        Services.AddSingleton(_world.Queues);
        Services.AddSingleton(new QueueViewCache(_world.Queues, _world.LiveEvents, _world.Clock));
        Services.AddSingleton(new SavedQueueService(_world.Database.Contexts, _world.Clock));
        Services.AddSingleton(_world.CasesFor(viewer));
        Services.AddSingleton<ILiveEvents>(_world.LiveEvents);
        Services.AddSingleton(_world.Clock);
        Services.AddSingleton<ICurrentUser>(new CaseWorld.FixedUser(viewer));
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        return Render<QueuesPage>(p => p.Add(q => q.Slug, slug));
    }
}
