using Portal.Domain.Queues;
using Portal.Features.Queues;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Queues;

/// <summary>A saved queue keeps the order it was saved in; one saved without an order opens in the queue's own.</summary>
public sealed class SavedQueueOrderTests : IClassFixture<TestDatabase>
{
    private readonly CaseWorld _world;

    public SavedQueueOrderTests(TestDatabase database) => _world = new CaseWorld(database);

    [Fact]
    public async Task A_saved_queue_opens_with_its_filter_and_the_order_it_was_saved_in()
    {
        var viewer = await _world.StaffAsync(Roles.Advocate, "SO");
        var service = new SavedQueueService(_world.Database.Contexts, _world.Clock, _world.AuditFor(viewer));
        var filter = new QueueFilter { OverdueOnly = true, CountryCode = "SO" };

        var (ordered, _) = await service.SaveAsync(viewer, "Overdue, assignee Z-A", filter, new QueueOrder(QueueSort.Assignee, Descending: true));
        var (unordered, _) = await service.SaveAsync(viewer, "Overdue", filter);

        var reopened = (await service.FindAsync(viewer, ordered!.Id))!;
        Assert.Equal(new QueueOrder(QueueSort.Assignee, true), reopened.Order);
        Assert.True(reopened.Filter.OverdueOnly);
        Assert.Equal("SO", reopened.Filter.CountryCode);
        Assert.Null((await service.FindAsync(viewer, unordered!.Id))!.Order);
        Assert.Null(SavedQueue.Create(viewer.UserId, "Old", """{"OverdueOnly":true}""", DateTime.UtcNow).Order);
    }
}
