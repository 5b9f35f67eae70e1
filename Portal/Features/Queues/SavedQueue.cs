using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Domain.Queues;

namespace Portal.Features.Queues;

/// <summary>
/// A saved queue's filter and order, read from and written to its JSON text: the filter's properties, and the order
/// under "Order" when the user chose one (a queue saved before orders were kept has none and opens in the default).
/// </summary>
public static class SavedQueueFilters
{
    private const string OrderProperty = "Order";

    private static readonly JsonSerializerOptions Json = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static string ToJson(QueueFilter filter, QueueOrder? order = null)
    {
        var document = JsonSerializer.SerializeToNode(filter, Json)!.AsObject();
        if (order is not null)
        {
            document[OrderProperty] = JsonSerializer.SerializeToNode(order, Json);
        }

        return document.ToJsonString(Json);
    }

    extension(SavedQueue queue)
    {
        public QueueFilter Filter => JsonSerializer.Deserialize<QueueFilter>(queue.FilterJson, Json) ?? QueueFilter.None;

        public QueueOrder? Order =>
            JsonNode.Parse(queue.FilterJson) is JsonObject document && document[OrderProperty] is { } order ? order.Deserialize<QueueOrder>(Json) : null;
    }
}
