using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Audit;
using Portal.Domain.Drafts;
using Portal.Features.Drafts;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Drafts;

/// <summary>The server-side drafts: their author's alone, sealed at rest, audited when restored, gone when discarded, on sign-out or after their lifetime.</summary>
public sealed class DraftServiceTests : IClassFixture<TestDatabase>
{
    private const string Text = "Elle a peur de rentrer chez elle ; appeler Mme K. à Bunia avant lundi.";
    private readonly CaseWorld _world;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly DraftOptions _options = new();

    public DraftServiceTests(TestDatabase database) => _world = new CaseWorld(database);

    [Fact]
    public async Task The_author_finds_and_restores_their_draft_the_restore_is_audited_and_nobody_else_reads_or_replaces_it()
    {
        var (advocate, caseId) = await ClaimedCaseAsync();
        var coordinator = await _world.StaffAsync(Roles.Coordinator);

        Assert.True((await DraftsFor(advocate).KeepAsync(advocate, caseId, DraftService.NoteForm, "first words")).Succeeded);
        Assert.True((await DraftsFor(advocate).KeepAsync(advocate, caseId, DraftService.NoteForm, Text)).Succeeded);

        var offer = await DraftsFor(advocate).FindAsync(advocate, caseId, DraftService.NoteForm);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, offer?.SavedAtUtc);
        Assert.Equal(0, await AuditCountAsync(advocate, AuditAction.RestoredDraft));
        Assert.Equal(Text, await DraftsFor(advocate).RestoreAsync(advocate, caseId, DraftService.NoteForm));
        Assert.Equal(1, await AuditCountAsync(advocate, AuditAction.RestoredDraft));

        // A coordinator may work on the case, but the draft is the advocate's: not offered, not restored, and their own
        // typing is a draft of their own.
        Assert.Null(await DraftsFor(coordinator).FindAsync(coordinator, caseId, DraftService.NoteForm));
        Assert.Null(await DraftsFor(coordinator).RestoreAsync(coordinator, caseId, DraftService.NoteForm));
        Assert.True((await DraftsFor(coordinator).KeepAsync(coordinator, caseId, DraftService.NoteForm, "coordinator's words")).Succeeded);
        Assert.Equal(Text, await DraftsFor(advocate).RestoreAsync(advocate, caseId, DraftService.NoteForm));
        Assert.Equal(0, await AuditCountAsync(coordinator, AuditAction.RestoredDraft));
    }

    [Fact]
    public async Task Someone_who_may_not_work_on_the_case_can_keep_nothing_and_finds_nothing()
    {
        var (advocate, caseId) = await ClaimedCaseAsync();
        await DraftsFor(advocate).KeepAsync(advocate, caseId, DraftService.NoteForm, Text);
        var otherCountry = await _world.StaffAsync(Roles.Advocate, "SS");
        var sameCountry = await _world.StaffAsync(Roles.Advocate, "CF");

        Assert.Equal("NotFound", (await DraftsFor(otherCountry).KeepAsync(otherCountry, caseId, DraftService.NoteForm, "x")).Outcome.ToString());
        Assert.Null(await DraftsFor(otherCountry).FindAsync(otherCountry, caseId, DraftService.NoteForm));
        Assert.Equal("Forbidden", (await DraftsFor(sameCountry).KeepAsync(sameCountry, caseId, DraftService.NoteForm, "x")).Outcome.ToString());
        Assert.Null(await DraftsFor(sameCountry).RestoreAsync(sameCountry, caseId, DraftService.NoteForm));
        Assert.Equal(1, await RowsAsync(caseId));
    }

    [Fact]
    public async Task The_text_is_sealed_in_the_database_column()
    {
        var (advocate, caseId) = await ClaimedCaseAsync();
        await DraftsFor(advocate).KeepAsync(advocate, caseId, DraftService.NewReferralForm, Text);

        var raw = Assert.Single(await _world.Database.QueryAsync("SELECT \"Content\" FROM \"Drafts\" WHERE \"CaseId\" = @case", ("@case", _world.Database.Id(caseId))));
        var stored = Assert.IsType<string>(raw);
        Assert.DoesNotContain("Bunia", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("peur", stored, StringComparison.Ordinal);
        Assert.NotEqual(Text, stored);
        Assert.Equal(Text, await DraftsFor(advocate).RestoreAsync(advocate, caseId, DraftService.NewReferralForm));
    }

    [Fact]
    public async Task A_discarded_or_emptied_draft_is_gone_and_signing_out_removes_every_draft_of_the_person()
    {
        var (advocate, caseId) = await ClaimedCaseAsync();
        var drafts = DraftsFor(advocate);
        await drafts.KeepAsync(advocate, caseId, DraftService.NoteForm, Text);
        Assert.True((await drafts.DiscardAsync(advocate, caseId, DraftService.NoteForm)).Succeeded);
        Assert.Null(await drafts.FindAsync(advocate, caseId, DraftService.NoteForm));

        await drafts.KeepAsync(advocate, caseId, DraftService.NoteForm, Text);
        await drafts.KeepAsync(advocate, caseId, DraftService.NoteForm, "   ");
        Assert.Equal(0, await RowsAsync(caseId));

        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        await drafts.KeepAsync(advocate, caseId, DraftService.NoteForm, Text);
        await drafts.KeepAsync(advocate, caseId, DraftService.NewReferralForm, "{}");
        await DraftsFor(coordinator).KeepAsync(coordinator, caseId, DraftService.NoteForm, "kept");
        await drafts.DiscardAllOfAsync(advocate.UserId);
        Assert.Null(await drafts.FindAsync(advocate, caseId, DraftService.NoteForm));
        Assert.Null(await drafts.FindAsync(advocate, caseId, DraftService.NewReferralForm));
        Assert.NotNull(await DraftsFor(coordinator).FindAsync(coordinator, caseId, DraftService.NoteForm));
    }

    [Fact]
    public async Task A_draft_past_its_lifetime_is_no_longer_offered_and_the_expiry_job_deletes_it()
    {
        var (advocate, caseId) = await ClaimedCaseAsync();
        var drafts = DraftsFor(advocate);
        await drafts.KeepAsync(advocate, caseId, DraftService.NoteForm, Text);
        _clock.Advance(_options.Lifetime - TimeSpan.FromMinutes(1));
        await drafts.KeepAsync(advocate, caseId, DraftService.NewReferralForm, "{}"); // younger: stays
        Assert.NotNull(await drafts.FindAsync(advocate, caseId, DraftService.NoteForm));

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await drafts.FindAsync(advocate, caseId, DraftService.NoteForm));
        Assert.Null(await drafts.RestoreAsync(advocate, caseId, DraftService.NoteForm));
        Assert.Equal(0, await AuditCountAsync(advocate, AuditAction.RestoredDraft));

        var job = new DraftExpiryJob(_world.Database.Contexts, Options.Create(_options), _clock);
        Assert.True(await job.RunAsync(CancellationToken.None) >= 1);
        await using var db = _world.Database.NewContext();
        Assert.Equal([DraftService.NewReferralForm], await db.Drafts.Where(d => d.CaseId == caseId).Select(d => d.Form).ToListAsync());
    }

    [Fact]
    public async Task The_keeper_sends_one_save_per_pause_and_keeps_what_is_waiting_when_the_form_goes_away()
    {
        var (advocate, caseId) = await ClaimedCaseAsync();
        var drafts = DraftsFor(advocate);
        var kept = new System.Collections.Concurrent.ConcurrentQueue<DateTime?>();
        var keeper = drafts.KeeperFor(advocate, caseId, DraftService.NoteForm);
        keeper.Kept += kept.Enqueue;

        keeper.Changed("E");
        keeper.Changed("El");
        keeper.Changed("Elle");
        _clock.Advance(_options.KeepAfterPause);
        await Eventually.TrueAsync(() => kept.Count == 1, TimeSpan.FromSeconds(30), () => $"{kept.Count} saves after one pause");
        Assert.Equal("Elle", await drafts.RestoreAsync(advocate, caseId, DraftService.NoteForm));

        keeper.Changed(Text); // the page goes away before the pause is over: kept anyway
        await keeper.DisposeAsync();
        Assert.Equal(2, kept.Count);
        Assert.Equal(Text, await drafts.RestoreAsync(advocate, caseId, DraftService.NoteForm));
    }

    private DraftService DraftsFor(UserScope scope) =>
        new(_world.Database.Contexts, _world.ScopeFor(scope), _world.PathFor(scope), Options.Create(_options), _clock, NullLogger<DraftService>.Instance);

    private async Task<(UserScope Advocate, Guid CaseId)> ClaimedCaseAsync()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CF");
        var intake = await _world.NewIntakeAsync("CF");
        Assert.True((await _world.CasesFor(advocate).ClaimAsync(advocate, intake.Id)).Succeeded);
        return (advocate, intake.Id);
    }

    private async Task<int> RowsAsync(Guid caseId)
    {
        await using var db = _world.Database.NewContext();
        return await db.Drafts.CountAsync(d => d.CaseId == caseId);
    }

    private async Task<int> AuditCountAsync(UserScope who, AuditAction action)
    {
        await using var db = _world.Database.NewContext();
        return await db.AuditEntries.CountAsync(e => e.Action == action && e.UserId == who.UserId && e.RecordType == DraftService.RecordType);
    }
}
