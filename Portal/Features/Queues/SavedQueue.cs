using System.Text.Json;
using Portal.Domain.Queues;

namespace Portal.Features.Queues;

/// <summary>A saved queue's filter, read from and written to its JSON text.</summary>
public static class SavedQueueFilters
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static string ToJson(QueueFilter filter) => JsonSerializer.Serialize(filter, Json);

    extension(SavedQueue queue)
    {
        public QueueFilter Filter => JsonSerializer.Deserialize<QueueFilter>(queue.FilterJson, Json) ?? QueueFilter.None;
    }
}
