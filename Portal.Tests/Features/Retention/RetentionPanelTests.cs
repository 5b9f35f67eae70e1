using System.Globalization;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Audit;
using Portal.Features.Retention;
using Portal.Features.Shared;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Retention;

/// <summary>The retention panel of the case page, wired to the real service on a real database.</summary>
public sealed class RetentionPanelTests : MudBunitContext, IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly TestDatabase _database;
    private readonly CaseWorld _world;

    public RetentionPanelTests(TestDatabase database)
    {
        _database = database;
        _world = new CaseWorld(database);
    }

    [Theory]
    [InlineData("en", "will be erased on 2034-03-02 (10 years after closure)", "Say why the case must be kept.", "Held from erasure by")]
    [InlineData("fr", "sera effacée le 2034-03-02 (10 ans après la clôture)", "Indiquez pourquoi le dossier doit être conservé.", "Retenu de l'effacement par")]
    public async Task A_coordinator_holds_a_closed_case_with_a_reason_shown_as_text_and_audited(string language, string rule, string reasonRequired, string held)
    {
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(language);
        try
        {
            var advocate = await _world.StaffAsync(Roles.Advocate, "SS");
            var coordinator = await _world.StaffAsync(Roles.Coordinator, "SS");
            var survivorCase = await RetentionCases.ClosedAsync(_database, "SS", new DateTime(2024, 3, 2, 10, 0, 0, DateTimeKind.Utc), advocate, coordinator);
            var panel = RenderFor(coordinator, survivorCase.Id);
            panel.WaitForAssertion(() => Assert.Contains(rule, panel.Find("[data-testid=retention-rule]").TextContent, StringComparison.Ordinal));

            // Without a reason: refused on the spot, nothing held.
            await panel.InvokeAsync(() => panel.Find("[data-testid=retention-hold]").Click());
            panel.WaitForAssertion(() => Assert.Equal(reasonRequired, panel.Find("[data-testid=retention-error]").TextContent.Trim()));
            Assert.Empty(panel.FindAll("[data-testid=retention-held]"));

            await panel.InvokeAsync(() => panel.Find("[data-testid=retention-reason]").Change("<b>Paternity claim</b> before the court"));
            await panel.InvokeAsync(() => panel.Find("[data-testid=retention-hold]").Click());

            panel.WaitForAssertion(() => Assert.Contains(held, panel.Find("[data-testid=retention-held]").TextContent, StringComparison.Ordinal));
            Assert.Equal("<b>Paternity claim</b> before the court", panel.Find("[data-testid=retention-held-reason]").TextContent);
            Assert.Empty(panel.FindAll("[data-testid=retention-held-reason] b"));
            Assert.Contains(coordinator.DisplayName, panel.Find("[data-testid=retention-held]").TextContent, StringComparison.Ordinal);
            Assert.Empty(panel.FindAll("[data-testid=retention-error]"));
            Assert.NotEmpty(panel.FindAll("[data-testid=retention-release]"));
            await using var db = _database.NewContext();
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditAction.ErasureHoldPlaced && e.RecordId == survivorCase.Id.ToString()));
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    [Fact]
    public async Task An_advocate_sees_the_rule_and_is_offered_no_hold()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "SS");
        var coordinator = await _world.StaffAsync(Roles.Coordinator, "SS");
        var survivorCase = await RetentionCases.ClosedAsync(_database, "SS", new DateTime(2024, 5, 6, 10, 0, 0, DateTimeKind.Utc), advocate, coordinator);

        var panel = RenderFor(advocate, survivorCase.Id);

        panel.WaitForAssertion(() => Assert.Contains("2034-05-06", panel.Find("[data-testid=retention-rule]").TextContent, StringComparison.Ordinal));
        Assert.Empty(panel.FindAll("[data-testid=retention-hold]"));
        Assert.Empty(panel.FindAll("[data-testid=retention-reason]"));
    }

    private IRenderedComponent<RetentionPanel> RenderFor(UserScope user, Guid caseId)
    {
        var current = new TestCurrentUser(user);
        var audit = ServicesAs.AuditLog(_database.Services, current);
        var path = new CommandPath(_database.Contexts, new CaseScope(_database.Service<SessionStore>(), audit), audit, _database.Service<ILiveEvents>());
        Services.AddSingleton(new RetentionService(
            _database.Contexts,
            current,
            path,
            new StaticOptions(new RetentionOptions { YearsAfterClosure = new(StringComparer.OrdinalIgnoreCase) { ["SS"] = 10 } }),
            new FakeTimeProvider(Now)));
        return Render<RetentionPanel>(p => p.Add(x => x.CaseId, caseId));
    }

    private sealed class StaticOptions(RetentionOptions value) : IOptionsMonitor<RetentionOptions>
    {
        public RetentionOptions CurrentValue => value;

        public RetentionOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RetentionOptions, string?> listener) => null;
    }
}
