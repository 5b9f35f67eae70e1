using Portal.Domain.Cases;
using Portal.Domain.Intake;
using Portal.Features.Queues;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Queues;

/// <summary>What "New intakes" holds, and finding a case by its number or by the person's reference code, within scope only.</summary>
public sealed class QueueNewAndSearchTests : IClassFixture<TestDatabase>
{
    private readonly CaseWorld _world;

    public QueueNewAndSearchTests(TestDatabase database) => _world = new CaseWorld(database);

    [Fact]
    public async Task New_intakes_hold_intakes_nobody_has_taken_up_not_cases_released_further_on()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var cases = _world.CasesFor(advocate);
        var untouched = await _world.NewIntakeAsync("CF");
        var released = await _world.NewIntakeAsync("CF");
        var undone = await _world.NewIntakeAsync("CF");
        await cases.ClaimAsync(advocate, released.Id);
        Assert.True((await cases.ReleaseAsync(advocate, await _world.SeenAsync<Case>(released.Id))).Succeeded);
        await cases.ClaimAsync(advocate, undone.Id);
        Assert.True((await cases.UndoClaimAsync(advocate, await _world.SeenAsync<Case>(undone.Id))).Succeeded);

        var newIntakes = await _world.Queues.GetPageAsync(advocate, new QueueRequest(QueueKind.NewIntakes, QueueFilter.None, PageSize: 100));
        var heldByNobody = await _world.Queues.GetPageAsync(advocate, new QueueRequest(QueueKind.AllCases, new QueueFilter { Unclaimed = true }, PageSize: 100));
        var counts = await _world.Queues.GetCountsAsync(advocate);

        Assert.Equal(new[] { untouched.Number, undone.Number }.Order(StringComparer.Ordinal), newIntakes.Rows.Select(r => r.Number).Order(StringComparer.Ordinal));
        Assert.All(newIntakes.Rows, r => Assert.Equal(CaseStatus.Intake, r.Status));
        Assert.Equal(2, counts.NewIntakes);
        Assert.Contains(released.Number, heldByNobody.Rows.Select(r => r.Number)); // released, in Assessment: held by nobody, not new
    }

    [Fact]
    public async Task A_whole_reference_code_finds_its_case_as_typed_and_only_within_the_viewers_countries()
    {
        var haiti = await _world.StaffAsync(Roles.Advocate, "HT");
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var (inScope, inScopeCode) = await CaseWithRequestAsync("HT");
        var (outOfScope, outOfScopeCode) = await CaseWithRequestAsync("CD");
        var typed = inScopeCode.Replace("-", " ", StringComparison.Ordinal).ToLowerInvariant(); // "k7qm 4hxp r2td"

        var found = await SearchAsync(haiti, typed);
        var elsewhere = await SearchAsync(haiti, outOfScopeCode);
        var byCoordinator = await SearchAsync(coordinator, outOfScopeCode);
        var part = await SearchAsync(haiti, inScopeCode[..9]);
        var byNumber = await SearchAsync(haiti, inScope.Number[^4..]);

        Assert.Equal([inScope.Number], found.Rows.Select(r => r.Number));
        Assert.Empty(elsewhere.Rows);
        Assert.Equal(0, elsewhere.TotalCount);
        Assert.Equal([outOfScope.Number], byCoordinator.Rows.Select(r => r.Number));
        Assert.Empty(part.Rows); // a code is found whole or not at all
        Assert.Contains(inScope.Number, byNumber.Rows.Select(r => r.Number));
        Assert.DoesNotContain(outOfScope.Number, byNumber.Rows.Select(r => r.Number));
    }

    private Task<QueuePage> SearchAsync(UserScope viewer, string text) =>
        _world.Queues.GetPageAsync(viewer, new QueueRequest(QueueKind.AllCases, new QueueFilter { NumberSearch = text }, PageSize: 100));

    private async Task<(Case Case, string Code)> CaseWithRequestAsync(string country)
    {
        var survivorCase = await _world.NewIntakeAsync(country);
        var request = IntakeSubmission.Receive(
            new IntakeDetails("fr", country, null, "Je voudrais parler à quelqu'un.", [HelpKind.Medical], [ContactChannel.None], null, null, ChildBornAnswer.No),
            _world.Clock);
        request.LinkToCase(survivorCase.Id);
        await using var db = _world.Database.NewContext();
        db.Add(request);
        await db.SaveChangesAsync();
        return (survivorCase, request.ReferenceCode);
    }
}
