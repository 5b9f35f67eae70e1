using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Referrals;
using Portal.Features.Cases;
using Portal.Features.Referrals;
using Portal.Features.Shared;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Cases;

/// <summary>Closure through the shared command path: refused while work is open, and a closed case leaves /referrals.</summary>
public sealed class ClosureServiceTests : IClassFixture<TestDatabase>
{
    private readonly ReferralWorld _world;

    public ClosureServiceTests(TestDatabase database) => _world = new ReferralWorld(database);

    [Fact]
    public async Task A_sent_referral_holds_the_request_and_the_approval_and_the_closed_case_leaves_the_referrals_list()
    {
        var (survivorCase, advocate) = await _world.ClaimedCaseAsync("CF");
        var coordinator = await _world.Cases.StaffAsync(Roles.Coordinator);
        var provider = await _world.ProviderAsync("CF", "Clinique closure", ReferralType.Medical);
        await _world.ConsentAsync(survivorCase.Id, advocate.UserId, forServices: true, provider.Id);
        var id = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Medical, ReferralUrgency.Urgent);
        Assert.True((await _world.ReferralsFor(advocate).SendAsync(advocate, await _world.SeenAsync(id))).Succeeded);
        var cases = _world.Cases.CasesFor(advocate);

        var refused = await cases.TransitionAsync(advocate, await _world.Cases.SeenAsync<Case>(survivorCase.Id), CaseTransition.RequestClosure, null, CaseClosureReason.AssistanceCompleted);

        Assert.Equal((CommandOutcome.Refused, ErrorCodes.CaseOpenWork), (refused.Outcome, refused.Code));
        var work = (await cases.GetClosureWorkAsync(advocate, survivorCase.Id))!;
        Assert.Equal(id, Assert.Single(work.Referrals).Id);
        Assert.NotEmpty(work.FollowUps); // the policy's checks of the sent referral
        Assert.Contains(await ListedAsync(coordinator), r => r.Id == id);

        Assert.True((await _world.ReferralsFor(advocate).WithdrawAsync(advocate, await _world.SeenAsync(id), "Served elsewhere")).Succeeded);
        Assert.True((await cases.GetClosureWorkAsync(advocate, survivorCase.Id))!.For(survivorCase.Id).IsResolved); // its checks went with it
        Assert.True((await cases.TransitionAsync(advocate, await _world.Cases.SeenAsync<Case>(survivorCase.Id), CaseTransition.RequestClosure, null, CaseClosureReason.AssistanceCompleted)).Succeeded);

        // Work added while the request waits holds the approval.
        var late = await _world.DraftAsync(advocate, survivorCase.Id, provider, ReferralType.Medical);
        var held = await _world.Cases.CasesFor(coordinator).TransitionAsync(coordinator, await _world.Cases.SeenAsync<Case>(survivorCase.Id), CaseTransition.ApproveClosure, null);
        Assert.Equal((CommandOutcome.Refused, ErrorCodes.CaseOpenWork), (held.Outcome, held.Code));

        Assert.True((await _world.ReferralsFor(advocate).WithdrawAsync(advocate, await _world.SeenAsync(late), "Not needed")).Succeeded);
        Assert.True((await _world.Cases.CasesFor(coordinator).TransitionAsync(coordinator, await _world.Cases.SeenAsync<Case>(survivorCase.Id), CaseTransition.ApproveClosure, null)).Succeeded);

        await using var db = _world.Database.NewContext();
        Assert.Equal(CaseStatus.Closed, (await db.Cases.SingleAsync(c => c.Id == survivorCase.Id)).Status);
        Assert.DoesNotContain(await ListedAsync(coordinator), r => r.CaseId == survivorCase.Id);
    }

    private async Task<IReadOnlyList<ReferralRow>> ListedAsync(UserScope coordinator) =>
        (await _world.ReferralsFor(coordinator).ListAsync(coordinator, new ReferralQuery { Scope = ReferralListScope.AllVisible, PageSize = 100, Sort = ReferralSort.Created, Descending = true })).Rows;
}
