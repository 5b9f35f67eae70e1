using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>Each test has its own app and database, because one of them tampers with the chain.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class SecurityAuditTests : IAsyncLifetime
{
    private readonly SecurityAppFactory _factory = new();

    private IServiceProvider Services => _factory.Services;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Entries_record_who_with_which_role_from_where_and_chain_by_hash()
    {
        var coordinator = new TestCurrentUser(TestCurrentUser.Coordinator());
        var audit = ServicesAs.AuditLog(Services, coordinator);

        await audit.RecordAsync(AuditAction.ViewedCase, "Case", "CD-2026-0001");
        await audit.RecordAsync(AuditAction.RevealedIdentity, "Case", "CD-2026-0001");

        await using var db = await Db();
        var entries = await db.Set<AuditEntry>().OrderBy(e => e.Id).ToListAsync();
        var viewed = entries.Single(e => e.Action == AuditAction.ViewedCase);
        Assert.Equal((coordinator.Scope!.UserId, "coordinator@example.org", Roles.Coordinator, "192.0.2.10", "Case", "CD-2026-0001"),
            (viewed.UserId, viewed.UserName, viewed.Role, viewed.IpAddress, viewed.RecordType, viewed.RecordId));
        Assert.Equal(DateTimeKind.Utc, viewed.AtUtc.Kind);
        Assert.True(AuditChain.Verify(entries).IsIntact);
        Assert.Equal(entries[^2].Hash, entries[^1].PreviousHash);
    }

    [Fact]
    public async Task Concurrent_appends_never_fork_the_chain()
    {
        var audit = ServicesAs.AuditLog(Services, new TestCurrentUser(TestCurrentUser.Advocate("CD")));

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => audit.RecordAsync(AuditAction.ViewedCase, "Case", $"CD-2026-{i:0000}"))));

        var admin = ServicesAs.AuditLog(Services, new TestCurrentUser(TestCurrentUser.Administrator()));
        Assert.True((await admin.VerifyChainAsync()).IsIntact);
        await using var db = await Db();
        var ids = await db.Set<AuditEntry>().OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long)i), ids);
        Assert.True(ids.Count >= 40);
    }

    [Fact]
    public async Task Changing_a_stored_entry_breaks_the_chain_at_that_entry()
    {
        var audit = ServicesAs.AuditLog(Services, new TestCurrentUser(TestCurrentUser.Advocate("CD")));
        for (var i = 0; i < 5; i++)
        {
            await audit.RecordAsync(AuditAction.ViewedCase, "Case", $"CD-2026-{i:0000}");
        }

        var admin = ServicesAs.AuditLog(Services, new TestCurrentUser(TestCurrentUser.Administrator()));
        Assert.True((await admin.VerifyChainAsync()).IsIntact);
        long target;
        await using (var db = await Db())
        {
            target = await db.Set<AuditEntry>().Where(e => e.RecordId == "CD-2026-0002").Select(e => e.Id).SingleAsync();
            // Someone with direct access to the file removes the append-only guard, then hides who looked at a case.
            await DropAppendOnlyTriggersAsync(db);
            await db.Database.ExecuteSqlAsync($"UPDATE AuditEntries SET RecordId = 'CD-2026-9999' WHERE Id = {target}");
        }

        var result = await admin.VerifyChainAsync();

        Assert.False(result.IsIntact);
        Assert.Equal(target, result.FirstBrokenEntryId);
    }

    [Fact]
    public async Task Deleting_an_entry_breaks_the_chain()
    {
        var audit = ServicesAs.AuditLog(Services, new TestCurrentUser(TestCurrentUser.Advocate("CD")));
        for (var i = 0; i < 4; i++)
        {
            await audit.RecordAsync(AuditAction.ViewedCase, "Case", $"CD-2026-{i:0000}");
        }

        await using (var db = await Db())
        {
            await DropAppendOnlyTriggersAsync(db);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM AuditEntries WHERE Id = 2");
        }

        var result = await ServicesAs.AuditLog(Services, new TestCurrentUser(TestCurrentUser.Administrator())).VerifyChainAsync();
        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenEntryId);
    }

    [Fact]
    public async Task A_record_access_log_is_for_coordinators_and_asking_for_it_is_itself_recorded()
    {
        var advocate = ServicesAs.AuditLog(Services, new TestCurrentUser(TestCurrentUser.Advocate("CD")));
        await advocate.RecordAsync(AuditAction.ViewedCase, "Case", "CD-2026-0042");

        await Assert.ThrowsAsync<AccessDeniedException>(() => advocate.GetForRecordAsync("Case", "CD-2026-0042"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => advocate.VerifyChainAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => ServicesAs.AuditLog(Services, new TestCurrentUser(TestCurrentUser.Coordinator())).VerifyChainAsync());
        var log = await ServicesAs.AuditLog(Services, new TestCurrentUser(TestCurrentUser.Coordinator())).GetForRecordAsync("Case", "CD-2026-0042");

        Assert.Contains(log, e => e.Action == AuditAction.ViewedCase);
        Assert.Contains(log, e => e.Action == AuditAction.ViewedAuditLog);
        await using var db = await Db();
        Assert.Equal(3, await db.Set<AuditEntry>().CountAsync(e => e.Action == AuditAction.AccessDenied));
    }

    /// <summary>The triggers stop tampering through SQL; the hash chain must still reveal it when they are gone.</summary>
    private static async Task DropAppendOnlyTriggersAsync(PortalDbContext db)
    {
        await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS \"AuditEntries_AppendOnly_NoUpdate\"");
        await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS \"AuditEntries_AppendOnly_NoDelete\"");
    }

    private Task<PortalDbContext> Db() => Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
}
