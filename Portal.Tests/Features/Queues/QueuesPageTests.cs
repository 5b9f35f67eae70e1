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

// bUnit's Click/Change/Input dispatch to the renderer; what follows is awaited with WaitForAssertion.
#pragma warning disable CA1849

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

        // Found and clicked on the renderer's thread: a live refresh between the two would retire the handler.
        await cut.InvokeAsync(() => cut.Find($"[data-testid='claim-{intake.Number}']").Click());

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
    public async Task The_pager_under_the_grid_pages_through_the_queue_and_changes_the_page_size()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "ML");
        for (var i = 0; i < 30; i++)
        {
            await _world.NewIntakeAsync("ML");
        }

        var cut = RenderQueue(advocate, "new");
        cut.WaitForAssertion(() => Assert.Equal(25, Shown(cut).Count), TimeSpan.FromSeconds(5));
        Assert.Equal("1–25 of 30", cut.Find("[data-testid='pager-range']").TextContent);
        Assert.True(cut.Find("[data-testid='pager-previous']").HasAttribute("disabled"));
        var firstPage = Shown(cut);

        await cut.InvokeAsync(() => cut.Find("[data-testid='pager-next']").Click());

        cut.WaitForAssertion(() => Assert.Equal(5, Shown(cut).Count), TimeSpan.FromSeconds(5));
        cut.WaitForAssertion(() => Assert.Equal("26–30 of 30", cut.Find("[data-testid='pager-range']").TextContent));
        Assert.True(cut.Find("[data-testid='pager-next']").HasAttribute("disabled"));
        var secondPage = Shown(cut);
        Assert.Empty(firstPage.Intersect(secondPage));

        cut.Find("[data-testid='pager-size']").Change("10");

        cut.WaitForAssertion(() => Assert.Equal(10, Shown(cut).Count), TimeSpan.FromSeconds(5));
        cut.WaitForAssertion(() => Assert.Equal("1–10 of 30", cut.Find("[data-testid='pager-range']").TextContent));
        Assert.Equal(firstPage.Take(10), Shown(cut));
    }

    [Fact]
    public async Task A_live_change_keeps_the_page_the_user_is_on()
    {
        var queue = await OnTheSecondOfTwoPagesAsync("HT");

        // Another advocate claims a case on the second page: it leaves it, the viewer stays on the second page.
        await ClaimElsewhereAsync(queue, queue.SecondPage[0]);

        queue.Cut.WaitForAssertion(() => Assert.Equal(queue.SecondPage.Skip(1), Shown(queue.Cut)), TimeSpan.FromSeconds(5));
        queue.Cut.WaitForAssertion(() => Assert.Equal("26–29 of 29", queue.Cut.Find("[data-testid='pager-range']").TextContent));
    }

    [Fact]
    public async Task When_a_live_change_empties_the_page_the_user_is_on_the_queue_goes_back_to_the_first_page()
    {
        var queue = await OnTheSecondOfTwoPagesAsync("SS");

        // Every case of the second page and one of the first are claimed elsewhere: 24 are left, one page.
        foreach (var number in queue.SecondPage.Append(queue.FirstPage[0]))
        {
            await ClaimElsewhereAsync(queue, number);
        }

        queue.Cut.WaitForAssertion(() => Assert.Equal(queue.FirstPage.Skip(1), Shown(queue.Cut)), TimeSpan.FromSeconds(5));
        queue.Cut.WaitForAssertion(() => Assert.Equal("1–24 of 24", queue.Cut.Find("[data-testid='pager-range']").TextContent));
    }

    [Fact]
    public async Task A_header_sorts_the_queue_by_its_column_and_a_second_click_turns_the_order_round()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CD");
        var intakes = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            intakes.Add((await _world.NewIntakeAsync("CD")).Number);
        }

        // The queue's own order (highest risk first) before any header is clicked (another test may add CD intakes too).
        var cut = RenderQueue(advocate, "new");
        cut.WaitForAssertion(() => Assert.Subset(Shown(cut).ToHashSet(), intakes.ToHashSet()), TimeSpan.FromSeconds(5));
        var ascending = Shown(cut).Order(StringComparer.Ordinal).ToList();
        Assert.True(ascending.Count < 25, "one page holds every CD intake");
        Assert.Equal("none", cut.Find("[data-testid='sort-Number']").ParentElement!.GetAttribute("aria-sort"));

        await cut.InvokeAsync(() => cut.Find("[data-testid='sort-Number']").Click());

        cut.WaitForAssertion(() => Assert.Equal(ascending, Shown(cut)), TimeSpan.FromSeconds(5));
        Assert.Equal("ascending", cut.Find("[data-testid='sort-Number']").ParentElement!.GetAttribute("aria-sort"));

        await cut.InvokeAsync(() => cut.Find("[data-testid='sort-Number']").Click());

        cut.WaitForAssertion(() => Assert.Equal(ascending.AsEnumerable().Reverse(), Shown(cut)), TimeSpan.FromSeconds(5));
        Assert.Equal("descending", cut.Find("[data-testid='sort-Number']").ParentElement!.GetAttribute("aria-sort"));
        Assert.Equal("none", cut.Find("[data-testid='sort-Risk']").ParentElement!.GetAttribute("aria-sort"));
    }

    [Fact]
    public async Task A_new_intake_brought_in_by_a_live_change_lights_up_and_is_announced_where_its_order_puts_it()
    {
        var viewer = await _world.StaffAsync(Roles.Advocate, "CF");
        var waiting = await _world.NewIntakeAsync("CF", RiskLevel.Low);
        var cut = RenderQueue(viewer, "new");
        cut.WaitForElement($"[data-testid='claim-{waiting.Number}']", TimeSpan.FromSeconds(5));
        Assert.Equal("", cut.Find("[data-testid='queue-announcement']").TextContent);

        var urgent = await _world.NewIntakeAsync("CF", RiskLevel.High);
        await _world.LiveEvents.PublishAsync(new LiveEvent(LiveEventKind.CaseCreated, "CF", urgent.Id));

        // The highest risk first, as the New queue orders it; lit up, and said to screen readers.
        cut.WaitForAssertion(() => Assert.Equal(urgent.Number, Shown(cut)[0]), TimeSpan.FromSeconds(5));
        var arrived = cut.FindAll("tr[data-arrived='true'] [data-testid='case-link']").Select(a => a.TextContent);
        Assert.Equal([urgent.Number], arrived);
        Assert.Contains(urgent.Number, cut.Find("[data-testid='queue-announcement']").TextContent, StringComparison.Ordinal);
        Assert.Equal("polite", cut.Find("[data-testid='queue-announcement']").GetAttribute("aria-live"));
    }

    [Fact]
    public async Task A_chosen_order_goes_into_the_address_and_a_live_refresh_keeps_it()
    {
        var viewer = await _world.StaffAsync(Roles.Advocate, "CF");
        var mine = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            mine.Add((await _world.NewIntakeAsync("CF")).Number);
        }

        var cut = RenderQueue(viewer, "new");
        cut.WaitForAssertion(() => Assert.Subset(Shown(cut).ToHashSet(), mine.ToHashSet()), TimeSpan.FromSeconds(5));
        await cut.InvokeAsync(() => cut.Find("[data-testid='sort-Number']").Click());
        await cut.InvokeAsync(() => cut.Find("[data-testid='sort-Number']").Click());
        cut.WaitForAssertion(() => Assert.Equal("descending", cut.Find("[data-testid='sort-Number']").ParentElement!.GetAttribute("aria-sort")), TimeSpan.FromSeconds(5));
        Assert.EndsWith("/queues/new?sort=Number&dir=desc", Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri, StringComparison.Ordinal);

        var later = await _world.NewIntakeAsync("CF");
        await _world.LiveEvents.PublishAsync(new LiveEvent(LiveEventKind.CaseCreated, "CF", later.Id));

        cut.WaitForAssertion(() => Assert.Contains(later.Number, Shown(cut)), TimeSpan.FromSeconds(5));
        Assert.Equal(Shown(cut).Order(StringComparer.Ordinal).Reverse(), Shown(cut));
        Assert.Equal("descending", cut.Find("[data-testid='sort-Number']").ParentElement!.GetAttribute("aria-sort"));
    }

    [Fact]
    public async Task A_live_change_renders_again_only_the_row_that_changed()
    {
        // Every open queue page of the country refreshes after a change: the rows nothing happened to must not be
        // rendered (and sent to every browser) again.
        var viewer = await _world.StaffAsync(Roles.Advocate, "CD");
        var other = await _world.StaffAsync(Roles.Advocate, "CD");
        var intakes = new List<Portal.Domain.Cases.Case>();
        for (var i = 0; i < 4; i++)
        {
            intakes.Add(await _world.NewIntakeAsync("CD"));
        }

        var cut = RenderQueue(viewer, "all");
        cut.WaitForAssertion(() => Assert.Subset(Shown(cut).ToHashSet(), intakes.Select(c => c.Number).ToHashSet()), TimeSpan.FromSeconds(5));
        var claimed = intakes[1];
        int RenderedTimes(string number) => cut.FindComponents<QueueTableRow>().Single(r => r.Instance.Row.Number == number).RenderCount;
        var before = intakes.ToDictionary(c => c.Number, c => RenderedTimes(c.Number));

        await _world.CasesFor(other).ClaimAsync(other, claimed.Id);

        cut.WaitForAssertion(() => Assert.Equal(other.DisplayName, cut.Find($"[data-testid='assignee-{claimed.Number}']").TextContent), TimeSpan.FromSeconds(5));
        Assert.Equal(before[claimed.Number] + 1, RenderedTimes(claimed.Number));
        Assert.All(intakes.Where(c => c != claimed), c => Assert.Equal(before[c.Number], RenderedTimes(c.Number)));
    }

    [Fact]
    public async Task An_empty_queue_says_so_once_it_has_loaded()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "LB");

        var cut = RenderQueue(advocate, "mine");

        cut.WaitForElement("[data-testid='queue-empty']", TimeSpan.FromSeconds(5));
        Assert.Equal("false", cut.Find("[data-testid='queue-grid']").GetAttribute("aria-busy"));
        Assert.Empty(cut.FindAll("[data-testid='case-link']"));
    }

    [Fact]
    public async Task A_live_change_moves_the_navigation_count_without_rendering_the_navigation_links_again()
    {
        var viewer = await _world.StaffAsync(Roles.Advocate, "CD");
        var other = await _world.StaffAsync(Roles.Advocate, "CD");
        var intake = await _world.NewIntakeAsync("CD");
        await new SavedQueueService(_world.Database.Contexts, _world.Clock, _world.AuditFor(viewer)).SaveAsync(viewer, "Mine, high risk", QueueFilter.None with { RiskLevels = [RiskLevel.High] });
        AddServices(viewer);
        var nav = Render<MudNavMenu>(p => p.AddChildContent<QueueNav>());
        // The saved queue's link comes with the navigation's last render of its start (counts, then saved queues).
        nav.WaitForElement("[data-testid='saved-queue-link']", TimeSpan.FromSeconds(5));
        nav.WaitForElement("[data-testid='count-NewIntakes']", TimeSpan.FromSeconds(5));
        int Count() => int.Parse(nav.Find("[data-testid='count-NewIntakes']").TextContent, System.Globalization.CultureInfo.InvariantCulture);
        var before = Count();
        var linksRendered = nav.FindComponents<MudNavLink>().Select(l => l.RenderCount).ToList();

        await _world.CasesFor(other).ClaimAsync(other, intake.Id);

        // bUnit counts a component's render when anything inside it renders: "New intakes" holds the count that moved, the
        // other links (whose counts the claim did not move) must not have rendered at all.
        nav.WaitForAssertion(() => Assert.Equal(before - 1, Count()), TimeSpan.FromSeconds(5));
        var rendered = nav.FindComponents<MudNavLink>().Select(l => l.RenderCount).ToList();
        Assert.Equal(linksRendered.Count, rendered.Count);
        Assert.Equal(linksRendered.Skip(1), rendered.Skip(1));
    }

    [Fact]
    public async Task An_unknown_queue_says_so()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "SO");
        var cut = RenderQueue(advocate, "nonsense");

        Assert.NotNull(cut.Find(".mud-alert"));
        Assert.Empty(cut.FindAll("[data-testid='queue-grid']"));
    }

    private static List<string> Shown(IRenderedComponent<QueuesPage> cut) =>
        cut.FindAll("[data-testid='case-link']").Select(a => a.TextContent).ToList();

    /// <summary>
    /// Thirty new intakes in a country of the test's own; its advocate's "New intakes" page, moved on to the second
    /// page (rows 26–30); a second advocate of the country to change things.
    /// </summary>
    private async Task<TwoPages> OnTheSecondOfTwoPagesAsync(string country)
    {
        var viewer = await _world.StaffAsync(Roles.Advocate, country);
        var other = await _world.StaffAsync(Roles.Advocate, country);
        var intakes = new List<Portal.Domain.Cases.Case>();
        for (var i = 0; i < 30; i++)
        {
            intakes.Add(await _world.NewIntakeAsync(country));
        }

        var cut = RenderQueue(viewer, "new");
        cut.WaitForAssertion(() => Assert.Equal(25, Shown(cut).Count), TimeSpan.FromSeconds(5));
        var firstPage = Shown(cut);
        await cut.InvokeAsync(() => cut.Find("[data-testid='pager-next']").Click());
        // The pager hears of a load before the grid shows its rows: wait for both.
        cut.WaitForAssertion(() => Assert.Equal(5, Shown(cut).Count), TimeSpan.FromSeconds(5));
        cut.WaitForAssertion(() => Assert.Equal("26–30 of 30", cut.Find("[data-testid='pager-range']").TextContent));
        return new TwoPages(cut, other, intakes, firstPage, Shown(cut));
    }

    private Task ClaimElsewhereAsync(TwoPages queue, string number) =>
        _world.CasesFor(queue.Other).ClaimAsync(queue.Other, queue.Intakes.Single(c => c.Number == number).Id);

    private sealed record TwoPages(
        IRenderedComponent<QueuesPage> Cut, UserScope Other, List<Portal.Domain.Cases.Case> Intakes, List<string> FirstPage, List<string> SecondPage);

    private IRenderedComponent<QueuesPage> RenderQueue(UserScope viewer, string slug)
    {
        AddServices(viewer);
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        return Render<QueuesPage>(p => p.Add(q => q.Slug, slug));
    }

    private void AddServices(UserScope viewer)
    {
        Services.AddSingleton(_world.LiveEvents);
        Services.AddHybridCache();
        Services.AddSingleton<LiveViewCache>();
        Services.AddSingleton<QueueViewCache>();
        Services.AddSingleton(provider => new QueueService(
            _world.Database.Contexts, _world.Clock, _world.Database.Service<Portal.Domain.Reminders.ReminderPolicy>(), _world.ScopeFor(viewer), provider.GetRequiredService<QueueViewCache>()));
        Services.AddSingleton(new SavedQueueService(_world.Database.Contexts, _world.Clock, _world.AuditFor(viewer)));
        Services.AddSingleton(_world.CasesFor(viewer));
        Services.AddSingleton<ILiveEvents>(_world.LiveEvents);
        Services.AddSingleton(_world.Clock);
        Services.AddSingleton<ICurrentUser>(new CaseWorld.FixedUser(viewer));
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }
}
