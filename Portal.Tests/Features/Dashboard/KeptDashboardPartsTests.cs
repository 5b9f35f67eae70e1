using System.Reflection;
using Portal.Domain.Cases;
using Portal.Domain.Referrals;
using Portal.Features.Dashboard;
using Portal.Features.Referrals;
using Portal.Features.Shared;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Dashboard;

/// <summary>
/// An open dashboard keeps two parts across the events that cannot move them: the period's referrals, as rows of which
/// it reads again only the cases its live events name, and the allegations by year, dropped only by a change to a
/// case's record. Every command that writes them, run through the real service and its real events, must then leave
/// the kept figures equal to a computation from scratch.
/// </summary>
public sealed class KeptDashboardPartsTests : IClassFixture<TestDatabase>, IDisposable
{
    private static readonly DashboardFilter AllCountries = new();

    private readonly ReferralWorld _world;
    private readonly LiveViews _views;

    public KeptDashboardPartsTests(TestDatabase database)
    {
        _world = new ReferralWorld(database);
        _views = new LiveViews(_world.Cases.LiveEvents);
    }

    public void Dispose() => _views.Dispose();

    [Fact]
    public async Task Every_referral_command_reaches_the_kept_figures_through_its_own_event()
    {
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        using var cache = new DashboardFiguresCache(_views.Cache, _world.Cases.LiveEvents, TimeProvider.System);
        var kept = new DashboardService(_world.Database.Contexts, TimeProvider.System, _world.Cases.AuditFor(coordinator), _world.Policy, _world.Cases.ScopeFor(coordinator), cache);
        var fromScratch = new DashboardService(_world.Database.Contexts, TimeProvider.System, _world.Cases.AuditFor(coordinator), _world.Policy, _world.Cases.ScopeFor(coordinator));
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var provider = await _world.ProviderAsync("CF", "Health Centre", ReferralType.Medical, ReferralType.Psychosocial, ReferralType.Legal);
        var referrals = _world.ReferralsFor(advocate);
        await kept.GetAsync(coordinator, AllCountries); // the dashboard is open: the period's referrals are held
        var exercised = new HashSet<string>();

        async Task Step(string command, Func<Task<bool>> run)
        {
            Assert.True(await run(), command);
            exercised.Add(command);
            Assert.Equal(
                LiveReferralRowsTests.Describe(await fromScratch.GetAsync(coordinator, AllCountries)),
                LiveReferralRowsTests.Describe(await kept.GetAsync(coordinator, AllCountries)));
        }

        async Task<Guid> DraftAsync(ReferralType type)
        {
            Guid? id = null;
            await Step(nameof(ReferralService.CreateAsync), async () =>
            {
                var created = await referrals.CreateAsync(advocate, survivorCase.Id, new ReferralInput(type, provider.Id, "Needs support (test)", ReferralUrgency.Routine));
                id = created.Id;
                return created.Succeeded;
            });
            return id!.Value;
        }

        // Without consent: a coordinator sends it with a reason; then it is accepted and completed.
        var first = await DraftAsync(ReferralType.Medical);
        await Step(nameof(ReferralService.EditDraftAsync), async () =>
            (await referrals.EditDraftAsync(advocate, await _world.SeenAsync(first), new ReferralInput(ReferralType.Psychosocial, provider.Id, "Counselling (test)", ReferralUrgency.Urgent))).Succeeded);
        await Step(nameof(ReferralService.SendWithConsentOverrideAsync), async () =>
            (await _world.ReferralsFor(coordinator).SendWithConsentOverrideAsync(coordinator, await _world.SeenAsync(first), "The person's life is at risk (test)")).Succeeded);
        await Step(nameof(ReferralService.AcceptAsync), async () =>
            (await referrals.AcceptAsync(advocate, await _world.SeenAsync(first), null)).Succeeded);
        await Step(nameof(ReferralService.ScheduleAsync), async () =>
            (await referrals.ScheduleAsync(advocate, await _world.SeenAsync(first), DateTime.UtcNow.AddDays(2), null)).Succeeded);
        await Step(nameof(ReferralService.CompleteAsync), async () =>
            (await referrals.CompleteAsync(advocate, await _world.SeenAsync(first), ReferralOutcome.ServiceProvided, null)).Succeeded);

        // With consent: one sent and declined, one sent and withdrawn.
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: true, provider.Id);
        var second = await DraftAsync(ReferralType.Legal);
        await Step(nameof(ReferralService.SendAsync), async () => (await referrals.SendAsync(advocate, await _world.SeenAsync(second))).Succeeded);
        await Step(nameof(ReferralService.DeclineAsync), async () =>
            (await referrals.DeclineAsync(advocate, await _world.SeenAsync(second), ReferralDeclineReason.NoCapacity, "No lawyer this month (test)")).Succeeded);
        var third = await DraftAsync(ReferralType.Medical);
        await Step(nameof(ReferralService.SendAsync), async () => (await referrals.SendAsync(advocate, await _world.SeenAsync(third))).Succeeded);
        await Step(nameof(ReferralService.WithdrawAsync), async () =>
            (await referrals.WithdrawAsync(advocate, await _world.SeenAsync(third), "The person moved away (test)")).Succeeded);
        var fourth = await DraftAsync(ReferralType.Legal);
        await Step(nameof(ReferralService.SendAsync), async () => (await referrals.SendAsync(advocate, await _world.SeenAsync(fourth))).Succeeded);
        await Step(nameof(ReferralService.TakeStepAsync), async () =>
            (await referrals.TakeStepAsync(advocate, await _world.SeenAsync(fourth), ReferralAction.Decline, new ReferralStep(null, DeclineReason: ReferralDeclineReason.OutsideArea))).Succeeded);

        Assert.Equal(1, cache.ComputationsOf(DashboardPart.Referrals)); // each change was read with its case alone
        var commands = typeof(ReferralService).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType.IsGenericType && typeof(CommandResult).IsAssignableFrom(m.ReturnType.GetGenericArguments()[0]))
            .Select(m => m.Name);
        Assert.Equal(commands.Order(), exercised.Order()); // a new command that writes referrals belongs in this test
    }

    [Fact]
    public async Task Recording_and_correcting_an_allegation_reaches_the_kept_allegations_through_its_own_event()
    {
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        using var cache = new DashboardFiguresCache(_views.Cache, _world.Cases.LiveEvents, TimeProvider.System);
        var kept = new DashboardService(_world.Database.Contexts, TimeProvider.System, _world.Cases.AuditFor(coordinator), _world.Policy, _world.Cases.ScopeFor(coordinator), cache);
        var fromScratch = new DashboardService(_world.Database.Contexts, TimeProvider.System, _world.Cases.AuditFor(coordinator), _world.Policy, _world.Cases.ScopeFor(coordinator));
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var before = Describe(await kept.GetAsync(coordinator, AllCountries));

        foreach (var (entity, reported) in new[] { (AllegationEntityType.PeacekeepingMission, new DateOnly(2019, 3, 4)), (AllegationEntityType.ImplementingPartner, new DateOnly(2018, 5, 6)) })
        {
            var details = new AllegationDetails(entity, "Entity (test)", PersonnelCategory.StaffMember, AllegationClass.Abuse, AllegationSubtype.SexualAssault, reported, reported, InvestigationStatus.PreliminaryAssessment, null);
            var saved = await _world.Cases.CasesFor(advocate).SaveAllegationAsync(advocate, await _world.Cases.SeenAsync<Case>(survivorCase.Id), details);
            Assert.True(saved.Succeeded, saved.Message);
            Assert.Equal(Describe(await fromScratch.GetAsync(coordinator, AllCountries)), Describe(await kept.GetAsync(coordinator, AllCountries)));
        }

        Assert.NotEqual(before, Describe(await kept.GetAsync(coordinator, AllCountries)));
        Assert.Equal(3, cache.ComputationsOf(DashboardPart.Allegations));
    }

    private static string Describe(DashboardFigures figures) =>
        string.Join("; ", figures.AllegationYears.Select(y => $"{y.Year}: {y.UnMissions.Value} missions, {y.OtherEntities.Value} others"));
}
