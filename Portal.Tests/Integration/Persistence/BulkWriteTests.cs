using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Notifications;
using Portal.Domain.Referrals;
using Portal.Infrastructure.Data;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.Persistence;

/// <summary>
/// The reminder scan stores its notifications, and the delivery jobs record them, with <see cref="BulkWrite"/>, not
/// SaveChanges. A row written that way must be the very row SaveChanges writes (ids, enums, dates, nulls in the same
/// form), or the portal's own queries would miss it; and a row changed by someone else first must not be overwritten.
/// </summary>
public sealed class BulkWriteTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _database;

    public BulkWriteTests(TestDatabase database) => _database = database;

    [Fact]
    public async Task A_bulk_inserted_notification_is_stored_exactly_as_save_changes_stores_it()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 3, 9, 15, 30, TimeSpan.Zero).AddTicks(1_234_560));
        var survivorCase = Case.OpenFromIntake(new CaseNumber("CD", 2026, 9_101), "CD", RiskLevel.High, "fr", null, clock);
        await using (var db = _database.NewContext())
        {
            db.Add(survivorCase);
            await db.SaveChangesAsync();
        }

        var subject = new NotificationSubject(survivorCase.Id, survivorCase.Number, "CD", Guid.NewGuid(), ReferralType: ReferralType.Legal);
        var due = clock.GetUtcNow().UtcDateTime.AddHours(-2);
        var notification = Notification.Plan(NotificationKind.ReferralNotAccepted, NotificationChannel.Email, "user-1", subject, due, isEscalation: true, isUrgent: false, due.AddMinutes(7), clock);

        await using (var db = _database.NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.InsertAsync([notification], CancellationToken.None);
            await transaction.CommitAsync();
        }

        var bulk = await RawRowAsync(notification.Id);
        await using (var db = _database.NewContext())
        {
            // Found by the portal's own queries, on its enum, date and id columns, with every value as planned.
            var read = await db.Notifications.AsNoTracking().SingleAsync(n =>
                n.Id == notification.Id && n.Status == NotificationStatus.Pending && n.Channel == NotificationChannel.Email
                && n.CaseId == survivorCase.Id && n.DeliverAfterUtc == notification.DeliverAfterUtc && n.DispatchedAtUtc == null);
            Assert.Equivalent(notification, read, strict: true);
            await db.Notifications.Where(n => n.Id == notification.Id).ExecuteDeleteAsync();
        }

        await using (var db = _database.NewContext())
        {
            db.Add(notification);
            await db.SaveChangesAsync();
        }

        var saved = await RawRowAsync(notification.Id);
        Assert.Equal(saved, bulk);
    }

    [Fact]
    public async Task A_taken_delivery_key_refuses_the_insert_as_save_changes_would()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var first = Notification.Plan(NotificationKind.PaternityClaimsDigest, NotificationChannel.InApp, "user-2", NotificationSubject.ForDigest(3), clock.GetUtcNow().UtcDateTime, true, false, clock.GetUtcNow().UtcDateTime, clock);
        var again = Notification.Plan(NotificationKind.PaternityClaimsDigest, NotificationChannel.InApp, "user-2", NotificationSubject.ForDigest(3), clock.GetUtcNow().UtcDateTime, true, false, clock.GetUtcNow().UtcDateTime, clock);
        Assert.Equal(first.DeliveryKey, again.DeliveryKey);
        await using (var db = _database.NewContext())
        {
            db.Add(first);
            await db.SaveChangesAsync();
        }

        await using (var db = _database.NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await Assert.ThrowsAsync<DbUpdateException>(() => db.InsertAsync([again], CancellationToken.None));
        }

        await using (var db = _database.NewContext())
        {
            Assert.Equal([first.Id], await db.Notifications.Where(n => n.DeliveryKey == first.DeliveryKey).Select(n => n.Id).ToListAsync());
        }
    }

    [Fact]
    public async Task A_bulk_update_writes_the_row_save_changes_writes_and_refuses_a_row_changed_meanwhile()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero).AddTicks(7_654_320));
        var now = clock.GetUtcNow().UtcDateTime;
        Notification Plan(string recipient) => Notification.Plan(NotificationKind.PaternityClaimsDigest, NotificationChannel.Email, recipient, NotificationSubject.ForDigest(2), now, true, false, now, clock);
        var viaBulk = Plan("user-bulk");
        var viaSave = Plan("user-save");
        var stale = Plan("user-stale");
        await using (var db = _database.NewContext())
        {
            db.AddRange(viaBulk, viaSave, stale);
            await db.SaveChangesAsync();
        }

        await using (var db = _database.NewContext())
        {
            var loaded = await db.Notifications.Where(n => n.Id == viaBulk.Id || n.Id == viaSave.Id).ToListAsync();
            foreach (var n in loaded)
            {
                n.Deliver(now.AddMinutes(1), "message@portal.example.org");
            }

            // The same change to two rows: one written by the bulk update, the other by SaveChanges.
            var bulkOne = loaded.Where(n => n.Id == viaBulk.Id).ToList();
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                Assert.True(await db.UpdateAsync(bulkOne, CancellationToken.None));
                await transaction.CommitAsync();
            }

            db.Accept(bulkOne);
            Assert.Equal(EntityState.Unchanged, db.Entry(bulkOne.Single()).State);
            Assert.Equal(EntityState.Modified, db.Entry(loaded.Single(n => n.Id == viaSave.Id)).State);
            Assert.Equal(1, await db.SaveChangesAsync());
        }

        var bulk = await RawRowAsync(viaBulk.Id);
        var saved = await RawRowAsync(viaSave.Id);
        string[] ownValues = ["Id", "DeliveryKey", "RecipientUserId", "Version"];
        Assert.Equal(saved.Where(c => !ownValues.Contains(c.Column)), bulk.Where(c => !ownValues.Contains(c.Column)));
        Assert.Equal(saved.Select(c => (c.Column, c.Type)), bulk.Select(c => (c.Column, c.Type)));

        await using (var first = _database.NewContext())
        await using (var second = _database.NewContext())
        {
            var mine = await first.Notifications.SingleAsync(n => n.Id == stale.Id);
            var theirs = await second.Notifications.SingleAsync(n => n.Id == stale.Id);
            theirs.Skip(NotificationSkipReason.NoLongerDue, now);
            await second.SaveChangesAsync();

            mine.Deliver(now, "late@portal.example.org");
            await using var transaction = await first.Database.BeginTransactionAsync();
            Assert.False(await first.UpdateAsync([mine], CancellationToken.None));
        }

        await using (var db = _database.NewContext())
        {
            var row = await db.Notifications.AsNoTracking().SingleAsync(n => n.Id == stale.Id);
            Assert.Equal((NotificationStatus.Skipped, (string?)null), (row.Status, row.MessageId));
        }
    }

    /// <summary>Every column of the stored row as the database gives it back: name, type and value.</summary>
    private async Task<List<(string Column, Type Type, object Value)>> RawRowAsync(Guid id)
    {
        await using var db = _database.NewContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT * FROM "Notifications" WHERE "Id" = @id""";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = _database.Id(id);
        command.Parameters.Add(parameter);
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var row = Enumerable.Range(0, reader.FieldCount).Select(i => (reader.GetName(i), reader.GetFieldType(i), reader.GetValue(i))).ToList();
        Assert.False(await reader.ReadAsync());
        return row;
    }
}
