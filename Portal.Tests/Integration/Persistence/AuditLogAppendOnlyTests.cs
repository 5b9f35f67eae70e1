using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Audit;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Persistence;

/// <summary>The audit log is append-only: nothing going through the portal's context can change or remove an entry.</summary>
public sealed class AuditLogAppendOnlyTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _database;

    public AuditLogAppendOnlyTests(TestDatabase database) => _database = database;

    [Fact]
    public async Task Changing_a_tracked_entry_is_refused_before_anything_is_written()
    {
        var entry = await AppendAsync("first");

        await using (var db = _database.NewContext())
        {
            var tracked = await db.AuditEntries.SingleAsync(e => e.Id == entry.Id);
            db.Entry(tracked).Property(e => e.Detail).CurrentValue = "tampered";

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        }

        await AssertUnchangedAsync(entry);
    }

    [Fact]
    public async Task Removing_an_entry_is_refused_even_alongside_legitimate_appends()
    {
        var entry = await AppendAsync("to be kept");

        await using (var db = _database.NewContext())
        {
            var tracked = await db.AuditEntries.SingleAsync(e => e.Id == entry.Id);
            db.AuditEntries.Remove(tracked);
            db.AuditEntries.Add(AuditEntry.Append(tracked, AuditActor.System("test"), AuditAction.Exported, null, null, null, TimeProvider.System));

            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        }

        await AssertUnchangedAsync(entry);
        await using var check = _database.NewContext();
        Assert.Equal(entry.Id, await check.AuditEntries.MaxAsync(e => e.Id));
    }

    [Fact]
    public async Task Bulk_updates_and_deletes_that_bypass_change_tracking_are_refused_by_the_database()
    {
        var entry = await AppendAsync("bulk");

        await using (var db = _database.NewContext())
        {
            await Assert.ThrowsAnyAsync<DbException>(() => db.AuditEntries.Where(e => e.Id == entry.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Detail, "tampered")));
            await Assert.ThrowsAnyAsync<DbException>(() => db.AuditEntries.ExecuteDeleteAsync());
            await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditEntries" """));
        }

        await AssertUnchangedAsync(entry);
    }

    [Fact]
    public async Task Appending_still_works_and_the_chain_stays_intact()
    {
        await AppendAsync("one");
        await AppendAsync("two");

        await using var db = _database.NewContext();
        var all = await db.AuditEntries.OrderBy(e => e.Id).ToListAsync();
        Assert.True(AuditChain.Verify(all).IsIntact);
    }

    private async Task<AuditEntry> AppendAsync(string detail)
    {
        await using var db = _database.NewContext();
        var last = await db.AuditEntries.OrderByDescending(e => e.Id).FirstOrDefaultAsync();
        var entry = AuditEntry.Append(last, new AuditActor("user-1", "user@example.org", "Coordinator", null), AuditAction.ViewedCase, "Case", "CD-2026-0001", detail, new FakeTimeProvider(DateTimeOffset.UtcNow));
        db.AuditEntries.Add(entry);
        await db.SaveChangesAsync();
        return entry;
    }

    private async Task AssertUnchangedAsync(AuditEntry entry)
    {
        await using var db = _database.NewContext();
        var stored = await db.AuditEntries.SingleAsync(e => e.Id == entry.Id);
        Assert.Equal(Snapshot.Of(entry), Snapshot.Of(stored));
        Assert.Equal(AuditChain.ComputeHash(stored.PreviousHash, stored), stored.Hash);
    }
}
